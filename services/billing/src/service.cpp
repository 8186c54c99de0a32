#include "billing/service.hpp"

#include <boost/json.hpp>

#include "billing/ledger.hpp"
#include "billing/provider.hpp"
#include "billing/return_url.hpp"
#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/uuid.hpp"
#include "chance/messaging/events.hpp"

namespace chance::billing {

namespace {
constexpr pg::Query kPaymentInsert{"payment_insert",
                                   "INSERT INTO payments (id, user_id, amount, return_url, provider) "
                                   "VALUES ($1::uuid, $2, $3, $4, $5)"};
constexpr pg::Query kPaymentAtProvider{"payment_at_provider",
                                       "UPDATE payments SET provider_payment_id = $2, updated_at = now() "
                                       "WHERE id = $1::uuid"};
constexpr pg::Query kPaymentGet{
    "payment_get",
    "SELECT id::text AS id, user_id, amount, status, return_url, decline_reason, provider_payment_id "
    "FROM payments WHERE id = $1::uuid"};
constexpr pg::Query kPaymentFinal{
    "payment_finalise",
    "UPDATE payments SET status = $2, decline_reason = $3, updated_at = now() "
    "WHERE id = $1::uuid AND status NOT IN ('succeeded', 'declined') RETURNING user_id, amount"};
// A customer's top-ups for their download of their data (ADR 0021), oldest first.
constexpr pg::Query kPaymentsOf{
    "payments_of_user",
    "SELECT id::text AS id, amount, status, decline_reason, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS updated_at "
    "FROM payments WHERE user_id = $1 ORDER BY created_at, id"};
constexpr pg::Query kEvent{
    "provider_event_insert",
    "INSERT INTO provider_events (event_id, payment_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING"};

struct Billing {
    Billing(service::Runtime& rt)
        : rt(rt),
          ledger(rt.pool()),
          origin(rt.config().get("public-origin")),
          provider(make_provider(rt.config().get("payment-provider"), rt.config().get("payment-provider-url"),
                                 auth::key_from_hex(rt.config().get("payment-webhook-secret")))) {}

    service::Runtime& rt;
    Ledger ledger;
    std::string origin;
    std::unique_ptr<PaymentProvider> provider;  // the acquirer, over HTTP: billing only creates and verifies

    static std::string header_key(const http::Request& req) {
        auto key = req.headers.get("Idempotency-Key");
        if (!key || key->empty() || key->size() > 200)
            throw bad_request("Нужен заголовок Idempotency-Key", {{"Idempotency-Key", "Обязательный заголовок"}});
        return *key;
    }

    pg::Result own_payment(const http::Request& req, const std::string& id) {
        auto caller = service::require_user(req);
        if (!is_uuid(id)) throw not_found("Платёж не найден");
        auto p = rt.db().exec(kPaymentGet, pg::Params(id));
        if (p.empty() || p.text(0, "user_id") != caller.user_id) throw not_found("Платёж не найден");
        return p;
    }

    http::Response fill(http::Request& req) {
        auto caller = service::require_user(req);
        json::Reader r(req.body);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        auto ret = r.str("return_url", false, 500);
        std::string return_url = ret.value_or("/billing");
        r.finish();
        if (!is_store_path(return_url))
            throw unprocessable("Адрес возврата должен быть страницей магазина",
                                {{"return_url",
                                  "Ожидается путь страницы магазина: начинается с одного «/», без "
                                  "обратной косой черты и управляющих символов"}});
        auto id = uuid_v7();
        rt.db().exec(kPaymentInsert, pg::Params(id, caller.user_id, *summ, return_url, provider->name()));
        // The provider sends the browser back to the store's page with the payment's id.
        auto back = origin + return_url + (return_url.find('?') == std::string::npos ? "?" : "&") + "payment=" + id;
        auto created = provider->create({id, *summ, "Пополнение баланса «Шанс-видео»", back});
        rt.db().exec(kPaymentAtProvider, pg::Params(id, created.provider_payment_id));
        return http::Response::json(
            201, boost::json::object{{"payment_id", id}, {"confirmation_url", created.confirmation_url}});
    }

    http::Response payment_status(http::Request& req) {
        auto p = own_payment(req, req.param("id"));
        auto reason = p.opt_text(0, "decline_reason");
        return http::Response::json(boost::json::object{{"payment_id", p.text(0, "id")},
                                                        {"amount", p.int64(0, "amount")},
                                                        {"status", p.text(0, "status")},
                                                        {"decline_reason", json::or_null(reason)}});
    }

    http::Response webhook(http::Request& req) {
        auto n = provider->verify(req.body, req.headers.get(provider->signature_header()));
        if (!n) throw unauthorized("Подпись уведомления неверна").with_type("webhook-signature-invalid");
        auto p = rt.db().exec(kPaymentGet, pg::Params(n->payment_id));
        if (p.empty()) throw not_found("Платёж не найден");
        if (p.int64(0, "amount") != n->amount)
            throw unprocessable("Сумма не совпадает с платежом", {{"amount", "Не совпадает"}})
                .with_type("payment-mismatch");
        auto at_provider = p.opt_text(0, "provider_payment_id");
        if (!n->provider_payment_id.empty() && at_provider && *at_provider != n->provider_payment_id)
            throw unprocessable("Платёж у провайдера не совпадает с платежом",
                                {{"provider_payment_id", "Не совпадает"}})
                .with_type("payment-mismatch");
        auto user = p.text(0, "user_id");
        bool succeeded = n->status == "succeeded";
        rt.db().transact([&](pg::Transaction& tx) {
            tx.exec(kEvent, pg::Params(n->event_id, n->payment_id));
            auto changed = tx.exec(
                kPaymentFinal,
                pg::Params(n->payment_id, n->status,
                           succeeded || n->reason.empty() ? std::optional<std::string>{} : std::optional(n->reason)));
            if (changed.empty()) return;  // a replay of an already processed result
            if (succeeded) Ledger::credit_top_up(tx, user, n->payment_id, n->amount);
            boost::json::object params{{"payment_id", n->payment_id}, {"amount", n->amount}};
            if (!succeeded) params["reason"] = n->reason.empty() ? "Платёж отклонён" : n->reason;
            auto tmpl = succeeded ? "topup_succeeded" : "topup_failed";
            messaging::enqueue(
                tx, std::string("notify.") + tmpl,
                messaging::make_event(succeeded ? "billing.top_up.succeeded.v1" : "billing.top_up.failed.v1",
                                      {{"user_id", user}, {"template", tmpl}, {"params", params}}));
        });
        return http::Response::json(boost::json::object{{"status", "accepted"}});
    }

    http::Response withdraw(http::Request& req) {
        service::require_service(req);
        auto key = header_key(req);
        json::Reader r(req.body);
        auto premiere = r.int64("id", true, 1);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        auto user = r.str("user_id", true, 40, 1);
        auto order = r.str("order_id", false, 100);
        r.finish();
        return http::Response::json(ledger.withdraw({*user, *summ, *premiere, order.value_or(""), key}));
    }

    http::Response refund(http::Request& req) {
        service::require_service(req);
        auto key = header_key(req);
        json::Reader r(req.body);
        auto user = r.str("user_id", true, 40, 1);
        auto order = r.str("order_id", true, 100, 1);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        auto reason = r.str("reason", false, 300);
        r.finish();
        return http::Response::json(ledger.refund({*user, *summ, *order, reason.value_or(""), key}));
    }
};
}  // namespace

service::ServiceSpec spec() {
    return {
        .name = "billing",
        .default_port = 8083,
        .settings = {{"public-origin", "http://localhost:8080", "the origin customers use"},
                     {"payment-provider", "sandbox", "the acquirer billing uses (known: sandbox)"},
                     {"payment-provider-url", "http://127.0.0.1:10090", "the acquirer's API (the sandbox acquirer)"},
                     {"payment-webhook-secret", std::nullopt,
                      "64 hex chars: key shared with the acquirer (signs its API calls and notifications)", true}}};
}

void install(service::Runtime& rt) {
    auto b = std::make_shared<Billing>(rt);
    rt.keep(b);
    auto& r = rt.router();
    r.get("/api/v1/billing/amount/", [b](http::Request& req) {
        auto caller = service::require_user(req);
        auto res = http::Response::json(
            boost::json::object{{"amount", b->ledger.balance(caller.user_id)}, {"currency", "RUB"}});
        res.headers.set("Cache-Control", "no-store");
        return res;
    });
    r.post("/api/v1/billing/fill", [b](http::Request& req) { return b->fill(req); });
    r.get("/api/v1/billing/history", [b](http::Request& req) {
        auto caller = service::require_user(req);
        std::optional<int64_t> cursor;
        if (auto c = req.query_param("cursor"); c && !c->empty()) {
            if (c->size() > 18 || c->find_first_not_of("0123456789") != std::string::npos)
                throw bad_request("Некорректный курсор", {{"cursor", "Ожидается значение next_cursor"}});
            cursor = std::stoll(*c);
        }
        int limit = 20;
        if (auto l = req.query_param("limit"); l && !l->empty()) {
            if (l->size() > 2 || l->find_first_not_of("0123456789") != std::string::npos || std::stoi(*l) < 1 ||
                std::stoi(*l) > 50)
                throw bad_request("Некорректный limit", {{"limit", "От 1 до 50"}});
            limit = std::stoi(*l);
        }
        return http::Response::json(b->ledger.history(caller.user_id, cursor, limit));
    });
    r.get("/api/v1/billing/payments/:id", [b](http::Request& req) { return b->payment_status(req); });
    r.get("/internal/balance/:user", [b](http::Request& req) {
        service::require_service(req);
        return http::Response::json(
            boost::json::object{{"amount", b->ledger.balance(req.param("user"))}, {"currency", "RUB"}});
    });
    // What billing holds about a customer (ADR 0021): the balance, every ledger transaction and every top-up. An
    // account's deletion changes nothing here: the ledger's records are kept as accounting law requires.
    r.get("/internal/users/:user/data", [b](http::Request& req) {
        service::require_service(req);
        const auto& user = req.param("user");
        boost::json::array transactions;
        std::optional<int64_t> cursor;
        for (;;) {
            auto page = b->ledger.history(user, cursor, 50);
            for (auto& t : page["items"].as_array()) transactions.push_back(std::move(t));
            const auto& next = page["next_cursor"];
            if (!next.is_string()) break;
            cursor = std::stoll(std::string(next.as_string()));
        }
        boost::json::array payments;
        auto rows = b->rt.db().exec(kPaymentsOf, pg::Params(user));
        for (int i = 0; i < rows.rows(); ++i) {
            auto reason = rows.opt_text(i, "decline_reason");
            payments.push_back(boost::json::object{{"id", rows.text(i, "id")},
                                                   {"amount", rows.int64(i, "amount")},
                                                   {"status", rows.text(i, "status")},
                                                   {"decline_reason", json::or_null(reason)},
                                                   {"created_at", rows.text(i, "created_at")},
                                                   {"updated_at", rows.text(i, "updated_at")}});
        }
        return http::Response::json(boost::json::object{{"balance", b->ledger.balance(user)},
                                                        {"currency", "RUB"},
                                                        {"transactions", std::move(transactions)},
                                                        {"payments", std::move(payments)}});
    });
    r.post("/api/v1/billing/withdraw/", [b](http::Request& req) { return b->withdraw(req); });
    r.post("/api/v1/billing/refund/", [b](http::Request& req) { return b->refund(req); });
    r.post("/api/v1/payments/webhook", [b](http::Request& req) { return b->webhook(req); });
    rt.on_ready([](service::Runtime& rt) { rt.start_outbox_relays({messaging::send_notify_stream()}); });
}

}  // namespace chance::billing
