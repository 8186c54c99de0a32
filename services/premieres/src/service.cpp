#include "premieres/service.hpp"

#include <thread>

#include "chance/core/config.hpp"
#include "chance/core/log.hpp"

#include "chance/messaging/events.hpp"
#include "premieres/catalog.hpp"
#include "premieres/catalog/routes.hpp"
#include "premieres/clients/billing_client.hpp"
#include "premieres/customer_data.hpp"
#include "premieres/ordering/orders.hpp"
#include "premieres/ordering/routes.hpp"
#include "premieres/ordering/shows.hpp"
#include "premieres/ordering/vouchers.hpp"
#include "premieres/rentals/failures.hpp"
#include "premieres/rentals/playback.hpp"
#include "premieres/rentals/rentals.hpp"
#include "premieres/rentals/routes.hpp"
#include "premieres/rentals/viewing.hpp"

#ifndef CHANCE_PREMIERES_DIR
#error "CHANCE_PREMIERES_DIR must be defined"
#endif

namespace chance::premieres {

service::ServiceSpec spec() {
    return {
        .name = "premieres",
        .default_port = 8082,
        .settings = {{"billing-url", "http://127.0.0.1:8083", "billing service"},
                     {"seed", "", "demo = apply the demo catalog at start"},
                     {"seed-dir", std::string(CHANCE_PREMIERES_DIR) + "/seed", "demo catalog files"},
                     {"public-origin", "http://localhost:8080", "the origin customers use"},
                     {"seller-name", "Шанс-видео", "the seller's legal name on receipts"},
                     {"seller-inn", "", "the seller's ИНН on receipts"},
                     {"seller-address", "", "the seller's legal address on receipts"},
                     {"seller-tax-system", "", "the taxation system on receipts (e.g. УСН доход)"},
                     {"seller-vat", "none", "VAT of every receipt line: none, 0, 10 or 20 (%)"},
                     {"seller-email", "no-reply@chance-video.local", "the sender address on receipts"},
                     {"reminder-lead-minutes", "60", "remind this long before a rental ends"},
                     {"reminder-soon-minutes", "15", "remind this long before a rental's window opens"},
                     {"support-refund-limit", "100000", "kopecks a support member may refund at once (admins: any)"},
                     {"report-time-zone", "Europe/Moscow", "the sales report's days"},
                     {"scheduler-interval-ms", "1000", "how often reminders, recovery and expiry run"},
                     {"media-dir", std::string(CHANCE_PREMIERES_DIR) + "/../../var/media",
                      "HLS screenings by premiere id"},
                     {"playback-ttl-seconds", "240", "lifetime of a signed playback URL"},
                     {"search-concurrency", "2", "searches and suggestions computed by PostgreSQL at once (1-256)"},
                     {"search-index", "memory",
                      "memory = search pages from the in-memory index (ADR 0011); off = from the search statement"}},
        .large_bodies = {{"/api/v1/admin/imports", kMaxImportBytes}}};
}

void install(service::Runtime& rt) {
    static time::SystemClock clock;
    int search_concurrency = rt.config().get_int("search-concurrency");
    if (search_concurrency < 1 || search_concurrency > 256)
        throw core::ConfigError("CHANCE_SEARCH_CONCURRENCY must be between 1 and 256");
    auto search_index = rt.config().get("search-index");
    if (search_index != "memory" && search_index != "off")
        throw core::ConfigError("CHANCE_SEARCH_INDEX must be memory or off");
    auto catalog = std::make_shared<Catalog>(
        rt.pool(), clock,
        CatalogOptions{.search_concurrency = search_concurrency, .search_index = search_index == "memory"});
    install_catalog(rt.router(), *catalog);
    rt.keep(catalog);
    auto admin = std::make_shared<CatalogAdmin>(rt.pool(), [catalog] { catalog->refresh_version(); });
    install_admin(rt.router(), *admin);
    rt.keep(admin);
    auto imports = std::make_shared<CatalogImports>(rt.pool(), *admin);
    install_imports(rt.router(), *imports);
    rt.keep(imports);
    auto billing_http = std::make_shared<http::Client>(rt.config().get("billing-url"));
    rt.keep(billing_http);
    auto billing_client = std::make_shared<billing::Client>(*billing_http, [&rt] { return rt.service_identity(); });
    rt.keep(billing_client);
    auto public_origin = rt.config().get("public-origin");
    auto orders = std::make_shared<ordering::Orders>(rt.pool(), *catalog, *billing_client, clock,
                                                     ordering::Config{.public_origin = public_origin});
    rt.keep(orders);
    auto vat = rt.config().get("seller-vat");
    if (vat != "none" && vat != "0" && vat != "10" && vat != "20")
        throw core::ConfigError("CHANCE_SELLER_VAT must be none, 0, 10 or 20");
    auto history = std::make_shared<ordering::History>(
        rt.pool(), ordering::Seller{.name = rt.config().get("seller-name"),
                                    .inn = rt.config().get("seller-inn"),
                                    .address = rt.config().get("seller-address"),
                                    .tax_system = rt.config().get("seller-tax-system"),
                                    .vat = vat,
                                    .site = public_origin,
                                    .email = rt.config().get("seller-email")});
    rt.keep(history);
    ordering::install_routes(rt.router(), *orders, *history);
    auto customer_rentals = std::make_shared<rentals::Rentals>(
        rt.pool(), *billing_client, clock,
        rentals::Config{.reminder_lead = std::chrono::minutes(rt.config().get_int("reminder-lead-minutes")),
                        .soon_lead = std::chrono::minutes(rt.config().get_int("reminder-soon-minutes")),
                        .public_origin = public_origin});
    rt.keep(customer_rentals);
    rentals::install_routes(rt.router(), *customer_rentals);
    auto viewing = std::make_shared<rentals::Viewing>(rt.pool());
    rt.keep(viewing);
    install_playback(rt.router(), *customer_rentals, *viewing,
                     {rt.config().get("media-dir"), rt.internal_key(),
                      std::chrono::seconds(rt.config().get_int("playback-ttl-seconds"))});
    auto customer_data = std::make_shared<CustomerData>(*orders, *history, *customer_rentals, *viewing);
    rt.keep(customer_data);
    install_customer_data_routes(rt.router(), *customer_data, rt.pool());
    auto limit = rt.config().get_int("support-refund-limit");
    if (limit < 0) throw core::ConfigError("CHANCE_SUPPORT_REFUND_LIMIT must not be negative");
    auto staff_refunds = std::make_shared<ordering::StaffRefunds>(rt.pool(), *billing_client,
                                                                  ordering::StaffRefunds::Config{limit, public_origin});
    rt.keep(staff_refunds);
    auto sales = std::make_shared<ordering::SalesReport>(rt.pool(), rt.config().get("report-time-zone"));
    rt.keep(sales);
    ordering::install_staff_routes(rt.router(), *staff_refunds, *sales);
    auto vouchers = std::make_shared<ordering::Vouchers>(rt.pool());
    rt.keep(vouchers);
    ordering::install_voucher_routes(rt.router(), *vouchers);
    auto shows = std::make_shared<ordering::LiveShows>(rt.pool(), *billing_client, clock);
    rt.keep(shows);
    ordering::install_show_routes(rt.router(), *shows);
    auto failures = std::make_shared<rentals::PlaybackFailures>(rt.pool(), *customer_rentals, *staff_refunds, clock);
    rt.keep(failures);
    rentals::install_failure_routes(rt.router(), *failures);
    rt.on_ready([orders, customer_rentals, catalog, imports, failures, shows](service::Runtime& r) {
        r.start_outbox_relays({messaging::send_notify_stream()});
        r.spawn("catalog-imports", [imports](const std::stop_token& st) { imports->run(st); });
        // An account's deletion (ADR 0021): its cart emptied and its rentals stopped, once per event (the inbox).
        r.on_account_deleted("premieres", &CustomerData::erase);
        r.spawn("catalog-version", [catalog, dsn = r.config().get("pg-dsn")](const std::stop_token& st) {
            catalog->follow_version(dsn, st);
        });
        int every = r.config().get_int("scheduler-interval-ms");
        r.spawn("scheduler", [orders, customer_rentals, failures, shows, every](const std::stop_token& st) {
            while (!st.stop_requested()) {
                try {
                    orders->recover_stuck_orders();
                    orders->expire_orders();
                    customer_rentals->send_reminders();
                    failures->refund_unplayable();
                    shows->refund_cancelled();
                } catch (const std::exception& e) {
                    log::warn("scheduler pass failed", {{"error", e.what()}});
                }
                for (int waited = 0; waited < every && !st.stop_requested(); waited += 50)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
    });
    if (rt.config().get("seed") == "demo") {
        rt.on_ready([](service::Runtime& r) { seed_demo_catalog(r.db(), r.config().get("seed-dir")); });
    }
    // Before the replica reports ready, its pool is open and its search index loaded (a failure leaves
    // searches to the statement while follow_version() tries again): its first searches wait for neither.
    rt.on_ready([catalog](service::Runtime& r) {
        try {
            r.pool().warm();
        } catch (const std::exception& e) {
            log::warn("could not open every pooled connection at start", {{"error", e.what()}});
        }
        catalog->sync_index();
    });
}

}  // namespace chance::premieres
