// The purchase saga against the real billing service: billing's binary runs as a child process on a free port
// with its own database in the test's PostgreSQL, and premieres' Orders drive it over HTTP. Its failure
// branches: billing refuses (insufficient funds), billing unreachable, the price changed, the seats gone.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <memory>
#include <thread>

#include "chance/auth/auth.hpp"
#include "chance/core/uuid.hpp"
#include "chance/http/client.hpp"
#include "chance/http/router.hpp"
#include "chance/http/server.hpp"
#include "chance/pg/migrations.hpp"
#include "pgtest.hpp"
#include "premieres/catalog.hpp"
#include "premieres/clients/billing_client.hpp"
#include "premieres/ordering/orders.hpp"
#include "premieres/ordering/routes.hpp"
#include "premieres/ordering/store.hpp"
#include "premieres/rentals/rentals.hpp"
#include "sandbox_acquirer/acquirer.hpp"

#ifndef CHANCE_BILLING_BINARY
#error "CHANCE_BILLING_BINARY must be defined"
#endif

using namespace chance;
using namespace chance::premieres;

namespace {
// std::strings: the environment below is built from them with operator+.
const std::string kInternalSecret(64, 'a');  // NOLINT(cert-err58-cpp): a test constant, allocated before main
const std::string kWebhookSecret(64, 'b');   // NOLINT(cert-err58-cpp): a test constant, allocated before main

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    (void)::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // as before: not checked here
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// The billing service, started for the test suite with its own database; stopped (SIGTERM) at the end.
class BillingProcess {
  public:
    BillingProcess() : port_(free_port()) {
        // The sandbox acquirer billing creates its payments at, in this process: it sends nothing by itself
        // (the tests sign the notifications they need), it only answers billing's "create a payment".
        acquirer_ = std::make_unique<acquirer::Acquirer>(acquirer::Options{
            .public_origin = "http://127.0.0.1:1",
            .webhook_url = url() + "/api/v1/payments/webhook",
            .key = auth::key_from_hex(kWebhookSecret),
        });
        acquirer_->install(acquirer_router_);
        acquirer_server_ = std::make_unique<http::Server>(http::ServerOptions{.port = 0}, acquirer_router_);
        acquirer_server_->start();
        // getenv: this test never changes its environment, so reading it from any thread is safe.
        const char* nats = std::getenv("CHANCE_TEST_NATS_URL");  // NOLINT(concurrency-mt-unsafe)
        std::vector<std::string> env{
            "CHANCE_HTTP_PORT=" + std::to_string(port_),
            "CHANCE_PG_DSN=" + db_.dsn(),
            "CHANCE_PG_POOL_SIZE=4",
            "CHANCE_NATS_URL=" + std::string(nats ? nats : "nats://127.0.0.1:1"),
            "CHANCE_INTERNAL_SECRET=" + kInternalSecret,
            "CHANCE_PAYMENT_WEBHOOK_SECRET=" + kWebhookSecret,
            "CHANCE_PUBLIC_ORIGIN=http://127.0.0.1:1",
            "CHANCE_LOG_LEVEL=error",
            "CHANCE_WORKER_THREADS=4",
            "CHANCE_PAYMENT_PROVIDER_URL=http://127.0.0.1:" + std::to_string(acquirer_server_->port())};
        if (const char* path = std::getenv("PATH"))  // NOLINT(concurrency-mt-unsafe): as above
            env.push_back(std::string("PATH=") + path);
        // Everything the child needs is made before fork(): this process has threads now.
        std::vector<char*> envp;
        envp.reserve(env.size() + 1);
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        char* argv[] = {const_cast<char*>(CHANCE_BILLING_BINARY), nullptr};
        pid_ = ::fork();
        if (pid_ == 0) {
            ::execve(CHANCE_BILLING_BINARY, argv, envp.data());
            ::_exit(127);
        }
        http::Client probe(url(), {.timeout = std::chrono::milliseconds(500), .retries = 0});
        for (int i = 0; i < 300; ++i) {
            try {
                if (probe.send("GET", "/readyz").status == 200) return;
            } catch (const std::exception&) {
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("billing exited at start");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        throw std::runtime_error("billing did not become ready on port " + std::to_string(port_));
    }
    ~BillingProcess() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    pg::Pool& db() { return pool_; }

  private:
    pgtest::TempDatabase db_;
    pg::Pool pool_{db_.dsn(), {.size = 2}};
    int port_;
    http::Router acquirer_router_;
    std::unique_ptr<acquirer::Acquirer> acquirer_;
    std::unique_ptr<http::Server> acquirer_server_;
    pid_t pid_ = -1;
};

std::string service_identity() {
    return auth::sign_identity({"premieres", "service", ""}, auth::key_from_hex(kInternalSecret));
}

struct Saga : ::testing::Test {
    static inline std::unique_ptr<BillingProcess> billing_process;
    static void SetUpTestSuite() { billing_process = std::make_unique<BillingProcess>(); }
    static void TearDownTestSuite() { billing_process.reset(); }

    pgtest::TempDatabase db;
    pg::Pool pool{db.dsn(), {.size = 4}};
    time::SystemClock clock;
    Catalog catalog{pool, clock};
    http::Client billing_http{billing_process->url()};
    premieres::billing::Client payments{billing_http, service_identity};
    ordering::Orders orders{pool, catalog, payments, clock};
    std::string user = "u-" + random_hex(6);

    Saga() {
        auto c = pool.acquire();
        pg::migrate(*c,
                    {{"premieres", CHANCE_PREMIERES_DIR "/migrations"}, {"messaging", CHANCE_MESSAGING_MIGRATIONS}});
        seed_demo_catalog(pool, CHANCE_PREMIERES_DIR "/seed");
    }

    // Tops the customer's balance up through billing's own path: a payment, then the provider's signed
    // notification that it succeeded.
    void top_up(const std::string& who, int64_t kopecks) {
        http::Headers h;
        h.set("Content-Type", "application/json");
        h.set(auth::kIdentityHeader,
              auth::sign_identity({who, "customer", "Europe/Moscow"}, auth::key_from_hex(kInternalSecret)));
        auto made = billing_http.send("POST", "/api/v1/billing/fill", h,
                                      boost::json::serialize(boost::json::object{{"summ", kopecks}}));
        ASSERT_EQ(made.status, 201) << made.body;
        auto payment = std::string(boost::json::parse(made.body).at("payment_id").as_string());
        auto body = boost::json::serialize(boost::json::object{{"event_id", "evt_" + random_hex(8)},
                                                               {"payment_id", payment},
                                                               {"status", "succeeded"},
                                                               {"amount", kopecks},
                                                               {"reason", ""}});
        http::Headers wh;
        wh.set("Content-Type", "application/json");
        wh.set(acquirer::kSignatureHeader, acquirer::signature(auth::key_from_hex(kWebhookSecret), body));
        auto hook = billing_http.send("POST", "/api/v1/payments/webhook", wh, body);
        ASSERT_EQ(hook.status, 200) << hook.body;
    }
    int64_t balance(const std::string& who) { return payments.balance(who); }
    // Withdrawals billing recorded for the order.
    int64_t debits(const std::string& order_id) {
        return billing_process->db()
            .exec({"t_debits", "SELECT count(*) AS n FROM transactions WHERE type = 'withdraw' AND order_id = $1"},
                  pg::Params(order_id))
            .int64(0, "n");
    }
    int64_t premiere(const std::string& title) {
        return pool.exec({"t_premiere", "SELECT id FROM premieres WHERE title = $1"}, pg::Params(title)).int64(0, "id");
    }
    // A start inside the premiere's reservation window, an hour from now or at its opening.
    std::string start_for(int64_t id) {
        return pool
            .exec({"t_start",
                   "SELECT rfc3339(greatest(now() + interval '1 hour', reservable_from + interval '1 minute')) "
                   "AS s FROM premieres WHERE id = $1"},
                  pg::Params(id))
            .text(0, "s");
    }
    // A live show of a premiere in the storefront with one online seat, two hours ahead: {premiere, show}.
    std::pair<int64_t, int64_t> one_seat_show() {
        auto r = pool.exec({"t_show",
                            "INSERT INTO live_shows (premiere_id, starts_at, capacity) SELECT id, "
                            "date_trunc('second', now()) + interval '2 hours', 1 FROM premieres "
                            "WHERE capacity IS NOT NULL AND NOT hidden ORDER BY id LIMIT 1 RETURNING premiere_id, id"});
        return {r.int64(0, "premiere_id"), r.int64(0, "id")};
    }
    // A seat at the show, placed as POST /orders would place it.
    ordering::Order place_seat(const std::string& who, int64_t premiere_id, int64_t show) {
        auto body = boost::json::serialize(
            boost::json::object{{"items", boost::json::array{boost::json::object{
                                              {"premiere_id", premiere_id}, {"period", 24}, {"show_id", show}}}}});
        return orders.create_order(who, random_hex(8), auth::sha256_hex(body),
                                   [&] { return ordering::read_order_form(body); });
    }
    ordering::Order place(const std::string& who, int64_t premiere_id, int period = 24) {
        auto body = boost::json::serialize(boost::json::object{
            {"items", boost::json::array{boost::json::object{
                          {"premiere_id", premiere_id}, {"period", period}, {"starts_at", start_for(premiere_id)}}}}});
        return orders.create_order(who, random_hex(8), auth::sha256_hex(body),
                                   [&] { return ordering::read_order_form(body); });
    }
    std::string status_of(const std::string& order_id) {
        return pool.exec({"t_status", "SELECT status FROM orders WHERE id = $1::uuid"}, pg::Params(order_id))
            .text(0, "status");
    }
    int64_t rentals_of(const std::string& order_id) {
        return pool
            .exec({"t_rentals", "SELECT count(*) AS n FROM rentals WHERE order_id = $1::uuid"}, pg::Params(order_id))
            .int64(0, "n");
    }
    // The problem `fn` throws (a failure when it throws none).
    template <typename F>
    Problem problem_of(F&& fn) {
        try {
            fn();
        } catch (const Problem& p) {
            return p;
        }
        ADD_FAILURE() << "no problem was thrown";
        return Problem(200, "");
    }
};
}  // namespace

TEST_F(Saga, ConfirmDebitsOnceCreatesTheRentalAndEmailsTheConfirmation) {
    top_up(user, 100000);
    auto order = place(user, premiere("Маузер"));
    EXPECT_EQ(order.status, "pending_payment");
    EXPECT_EQ(order.next, "confirm");
    EXPECT_EQ(order.balance, 100000);
    auto paid = orders.confirm(user, order.id);
    EXPECT_EQ(paid.status, "paid");
    EXPECT_EQ(paid.balance, 100000 - order.total);
    EXPECT_EQ(balance(user), 100000 - order.total);
    EXPECT_EQ(rentals_of(order.id), 1);
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(pool.exec({"t_outbox", "SELECT count(*) AS n FROM outbox WHERE subject = 'notify.purchase_confirmed'"})
                  .int64(0, "n"),
              1);
    auto again = orders.confirm(user, order.id);  // a repeated confirm answers the paid order, debits nothing
    EXPECT_EQ(again.status, "paid");
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(balance(user), 100000 - order.total);
}

TEST_F(Saga, BillingRefusingForLackOfFundsIs402AndTheOrderStaysPayable) {
    top_up(user, 10000);
    auto order = place(user, premiere("Маузер"));
    EXPECT_EQ(order.next, "top_up");
    auto p = problem_of([&] { orders.confirm(user, order.id); });
    EXPECT_EQ(p.status(), 402);
    EXPECT_EQ(p.type(), "insufficient-funds");
    EXPECT_EQ(p.extra().at("shortfall").as_int64(), order.total - 10000);
    EXPECT_EQ(p.extra().at("balance").as_int64(), 10000);
    EXPECT_EQ(p.extra().at("order_id").as_string(), order.id);
    EXPECT_EQ(balance(user), 10000);  // nothing paid
    EXPECT_EQ(debits(order.id), 0);
    EXPECT_EQ(rentals_of(order.id), 0);
    EXPECT_EQ(status_of(order.id), "pending_payment");
    top_up(user, order.total);  // still payable once the balance covers it
    EXPECT_EQ(orders.confirm(user, order.id).status, "paid");
    EXPECT_EQ(balance(user), 10000);
    EXPECT_EQ(debits(order.id), 1);
}

TEST_F(Saga, BillingUnreachableIs503LeavesTheOrderAndTheRecoveryLoopFinishesItOnce) {
    top_up(user, 100000);
    auto order = place(user, premiere("Маузер"));
    http::Client closed("http://127.0.0.1:" + std::to_string(free_port()),
                        {.timeout = std::chrono::milliseconds(500), .connect_timeout = std::chrono::milliseconds(200)});
    premieres::billing::Client unreachable(closed, service_identity);
    ordering::Orders cut_off(pool, catalog, unreachable, clock);
    auto p = problem_of([&] { cut_off.confirm(user, order.id); });
    EXPECT_EQ(p.status(), 503);
    EXPECT_EQ(p.type(), "unavailable");
    EXPECT_EQ(status_of(order.id), "pending_payment");
    EXPECT_EQ(rentals_of(order.id), 0);
    EXPECT_EQ(balance(user), 100000);
    // Marked as being confirmed before billing was called: the recovery loop takes it up once it is stuck.
    EXPECT_TRUE(pool.exec({"t_started",
                           "SELECT confirm_started_at IS NOT NULL AS started FROM orders WHERE id = "
                           "$1::uuid"},
                          pg::Params(order.id))
                    .boolean(0, "started"));
    EXPECT_EQ(cut_off.recover_stuck_orders(), 0);  // too recent to count as stuck
    pool.exec({"t_age",
               "UPDATE orders SET confirm_started_at = confirm_started_at - interval '1 minute' "
               "WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_EQ(cut_off.recover_stuck_orders(), 0);  // billing still unreachable: it stays for a later pass
    EXPECT_EQ(status_of(order.id), "pending_payment");
    EXPECT_EQ(orders.recover_stuck_orders(), 1);  // billing back
    EXPECT_EQ(status_of(order.id), "paid");
    EXPECT_EQ(orders.recover_stuck_orders(), 0);
    EXPECT_EQ(rentals_of(order.id), 1);
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(balance(user), 100000 - order.total);
}

TEST_F(Saga, APriceChangedSinceTheOrderIs409AndNothingIsDebited) {
    top_up(user, 200000);
    auto id = premiere("Маузер");
    auto order = place(user, id);
    pool.exec({"t_price", "UPDATE premieres SET price_online = price_online + 10000 WHERE id = $1"}, pg::Params(id));
    auto p = problem_of([&] { orders.confirm(user, order.id); });
    EXPECT_EQ(p.status(), 409);
    EXPECT_EQ(p.type(), "price-changed");
    EXPECT_GT(p.extra().at("new_price").as_int64(), order.total);
    EXPECT_EQ(balance(user), 200000);
    EXPECT_EQ(debits(order.id), 0);
    EXPECT_EQ(status_of(order.id), "pending_payment");
}

TEST_F(Saga, SeatsOfALiveShowGoneIs409BeforeAnyDebit) {
    const auto seat = one_seat_show();
    const int64_t live = seat.first, show = seat.second;
    auto other = "u-" + random_hex(6);
    top_up(user, 500000);
    top_up(other, 500000);
    auto order = place_seat(user, live, show);
    auto first = place_seat(other, live, show);  // the other customer takes the last seat first
    EXPECT_EQ(orders.confirm(other, first.id).status, "paid");
    auto p = problem_of([&] { orders.confirm(user, order.id); });
    EXPECT_EQ(p.status(), 409);
    EXPECT_EQ(p.detail(), "Онлайн-места на этот показ закончились");
    EXPECT_EQ(debits(order.id), 0);
    EXPECT_EQ(balance(user), 500000);
    EXPECT_EQ(rentals_of(order.id), 0);
    // POST /rent/ of the sold-out show: refused before the debit, and its order (stored as being confirmed)
    // closed so that the recovery loop does not take it up.
    auto rent = problem_of([&] { orders.rent(user, random_hex(8), {live, 24, std::nullopt, show}); });
    EXPECT_EQ(rent.status(), 409);
    EXPECT_EQ(balance(user), 500000);
    EXPECT_EQ(pool.exec({"t_cancelled", "SELECT count(*) AS n FROM orders WHERE user_id = $1 AND status = 'cancelled'"},
                        pg::Params(user))
                  .int64(0, "n"),
              1);
}

TEST_F(Saga, SeatsGoneAfterTheDebitOfARecoveredOrderAreRefundedAndTheOrderCancelled) {
    const auto seat = one_seat_show();
    const int64_t live = seat.first, show = seat.second;
    auto other = "u-" + random_hex(6);
    top_up(user, 500000);
    top_up(other, 500000);
    auto order = place_seat(user, live, show);
    // The process died after marking the confirmation started (before billing answered); meanwhile another
    // customer took the last seat.
    pool.exec({"t_crashed", "UPDATE orders SET confirm_started_at = now() - interval '1 minute' WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_EQ(orders.confirm(other, place_seat(other, live, show).id).status, "paid");
    EXPECT_EQ(orders.recover_stuck_orders(), 0);  // debited, then the seat was gone: compensated
    EXPECT_EQ(status_of(order.id), "cancelled");
    EXPECT_EQ(rentals_of(order.id), 0);
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(billing_process->db()
                  .exec({"t_refunds",
                         "SELECT coalesce(sum(amount), 0) AS s FROM transactions WHERE type = 'refund' "
                         "AND order_id = $1"},
                        pg::Params(order.id))
                  .int64(0, "s"),
              order.total);
    EXPECT_EQ(balance(user), 500000);
    EXPECT_EQ(pool.exec({"t_event",
                         "SELECT count(*) AS n FROM rental_events WHERE order_id = $1::uuid AND type = "
                         "'order_cancelled_sold_out'"},
                        pg::Params(order.id))
                  .int64(0, "n"),
              1);
    EXPECT_EQ(orders.recover_stuck_orders(), 0);  // nothing left to recover
    EXPECT_EQ(debits(order.id), 1);
}

TEST_F(Saga, BillingsOwnRefusalsBecomeLocalProblemsWithTheirType) {
    // A refund over what was debited for the order: billing's 422, here a 409 billing-refused.
    auto over = problem_of([&] { payments.refund({user, "no-such-order", 100, random_hex(8), "test"}); });
    EXPECT_EQ(over.status(), 409);
    EXPECT_EQ(over.type(), "billing-refused");
    // A request billing does not accept from this caller (a wrong service identity): 502 billing-rejected.
    premieres::billing::Client stranger(billing_http, [] {
        return auth::sign_identity({"premieres", "service", ""}, auth::key_from_hex(std::string(64, 'c')));
    });
    auto rejected = problem_of([&] { stranger.balance(user); });
    EXPECT_EQ(rejected.status(), 502);
    EXPECT_EQ(rejected.type(), "billing-rejected");
}

TEST_F(Saga, OrdersRefusedForFundsNeverHoldBackTheRecoveryOfADebitedOne) {
    // Twenty-one confirmations refused for lack of funds, older than an interrupted one.
    auto poor = "u-" + random_hex(6);
    auto id = premiere("Маузер");
    std::vector<std::string> refused;
    for (int i = 0; i < 21; ++i) {
        auto order = place(poor, id);
        EXPECT_EQ(problem_of([&] { orders.confirm(poor, order.id); }).status(), 402);
        refused.push_back(order.id);
    }
    // A confirmation whose debit went through, then the process died before finish_paid.
    top_up(user, 100000);
    auto order = place(user, id);
    ordering::store::mark_confirm_started(pool, order.id);
    EXPECT_TRUE(payments.withdraw({user, order.id, id, order.total, "order:" + order.id}).paid);
    pool.exec({"t_age_all",
               "UPDATE orders SET confirm_started_at = confirm_started_at - interval '2 minutes' "
               "WHERE confirm_started_at IS NOT NULL AND user_id = $1"},
              pg::Params(poor));
    pool.exec({"t_age_one",
               "UPDATE orders SET confirm_started_at = confirm_started_at - interval '1 minute' WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_EQ(orders.recover_stuck_orders(), 1);
    EXPECT_EQ(status_of(order.id), "paid");
    EXPECT_EQ(rentals_of(order.id), 1);
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(balance(user), 100000 - order.total);
    for (const auto& o : refused) {
        EXPECT_EQ(status_of(o), "pending_payment");
        EXPECT_EQ(debits(o), 0);
    }
}

TEST_F(Saga, AnOrderRefusedForFundsIsNotPaidByTheLoopAfterATopUpAndExpires) {
    top_up(user, 10000);
    auto order = place(user, premiere("Маузер"));
    EXPECT_EQ(problem_of([&] { orders.confirm(user, order.id); }).status(), 402);
    pool.exec({"t_age",
               "UPDATE orders SET confirm_started_at = now() - interval '1 minute' WHERE id = $1::uuid "
               "AND confirm_started_at IS NOT NULL"},
              pg::Params(order.id));
    top_up(user, order.total);
    EXPECT_EQ(orders.recover_stuck_orders(), 0);  // the customer did not confirm again: nothing is debited
    EXPECT_EQ(status_of(order.id), "pending_payment");
    EXPECT_EQ(debits(order.id), 0);
    EXPECT_EQ(balance(user), 10000 + order.total);
    pool.exec({"t_old", "UPDATE orders SET created_at = now() - interval '31 minutes' WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_GE(orders.expire_orders(), 1);  // it expires as an order never confirmed does
    EXPECT_EQ(status_of(order.id), "expired");
    EXPECT_EQ(problem_of([&] { orders.confirm(user, order.id); }).status(), 409);
    EXPECT_EQ(debits(order.id), 0);
    EXPECT_EQ(balance(user), 10000 + order.total);
}

TEST_F(Saga, ARefusalNeverTakesBackAnotherConfirmationInFlight) {
    top_up(user, 10000);
    auto id = premiere("Маузер");
    auto order = place(user, id);
    // Confirmation A marks the order and is slow to send its debit; confirmation B is refused meanwhile.
    EXPECT_TRUE(ordering::store::mark_confirm_started(pool, order.id));
    EXPECT_EQ(problem_of([&] { orders.confirm(user, order.id); }).status(), 402);
    // A top-up lands, A's debit goes through, and the process dies before finish_paid: still being confirmed.
    top_up(user, order.total);
    EXPECT_TRUE(payments.withdraw({user, order.id, id, order.total, "order:" + order.id}).paid);
    pool.exec({"t_old",
               "UPDATE orders SET created_at = now() - interval '31 minutes', "
               "confirm_started_at = confirm_started_at - interval '1 minute' WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_EQ(orders.expire_orders(), 0);  // never expired after its debit
    // The loop's debit races a new confirmation: the loop's token is stale, the order stays being confirmed.
    auto stuck = ordering::store::stuck_orders(pool);
    ASSERT_EQ(stuck.size(), 1u);
    EXPECT_TRUE(ordering::store::mark_confirm_started(pool, order.id));
    EXPECT_FALSE(ordering::store::confirm_abandoned(pool, order.id, stuck.front().started));
    pool.exec({"t_age",
               "UPDATE orders SET confirm_started_at = confirm_started_at - interval '1 minute' "
               "WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_EQ(orders.recover_stuck_orders(), 1);
    EXPECT_EQ(status_of(order.id), "paid");
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(balance(user), 10000);
}

// Three replicas run the same scheduler at once over one database (docs/architecture.md, «Three replicas at
// once»). Each pass below is one replica's; they start together.
namespace {
template <typename F>
void at_once(int replicas, F&& pass) {
    std::latch start(replicas);
    std::vector<std::jthread> threads;
    threads.reserve(static_cast<size_t>(replicas));
    for (int r = 0; r < replicas; ++r)
        threads.emplace_back([&, r] {
            start.arrive_and_wait();
            pass(r);
        });
}
}  // namespace

TEST_F(Saga, ThreeReplicasRecoveringTheSameStuckOrdersDebitAndConfirmEachOnce) {
    top_up(user, 2000000);
    std::vector<ordering::Order> stuck;
    stuck.reserve(6);
    for (int i = 0; i < 6; ++i) stuck.push_back(place(user, premiere("Маузер")));
    int64_t total = 0;
    for (const auto& o : stuck) total += o.total;
    // Every confirmation was lost after its mark (the processes died before billing answered).
    pool.exec({"t_all_crashed",
               "UPDATE orders SET confirm_started_at = now() - interval '1 minute', confirms_in_flight = 1 "
               "WHERE user_id = $1"},
              pg::Params(user));
    std::vector<std::unique_ptr<pg::Pool>> pools;
    std::vector<std::unique_ptr<ordering::Orders>> replicas;
    for (int r = 0; r < 3; ++r) {
        pools.push_back(std::make_unique<pg::Pool>(db.dsn(), pg::PoolOptions{.size = 2}));
        replicas.push_back(std::make_unique<ordering::Orders>(*pools.back(), catalog, payments, clock));
    }
    at_once(3, [&](int r) {
        for (int pass = 0; pass < 3; ++pass) {
            replicas[static_cast<size_t>(r)]->recover_stuck_orders();
            replicas[static_cast<size_t>(r)]->expire_orders();
        }
    });
    for (const auto& o : stuck) {
        EXPECT_EQ(status_of(o.id), "paid") << o.id;
        EXPECT_EQ(debits(o.id), 1) << o.id;
        EXPECT_EQ(rentals_of(o.id), 1) << o.id;
    }
    EXPECT_EQ(balance(user), 2000000 - total);
    EXPECT_EQ(pool.exec({"t_outbox", "SELECT count(*) AS n FROM outbox WHERE subject = 'notify.purchase_confirmed'"})
                  .int64(0, "n"),
              static_cast<int64_t>(stuck.size()));  // one confirmation email per order
}

TEST_F(Saga, ThreeReplicasRecoveringASoldOutOrderRefundItOnceAndRecordItOnce) {
    const auto seat = one_seat_show();
    const int64_t live = seat.first, show = seat.second;
    auto other = "u-" + random_hex(6);
    top_up(user, 500000);
    top_up(other, 500000);
    auto order = place_seat(user, live, show);
    pool.exec({"t_crashed", "UPDATE orders SET confirm_started_at = now() - interval '1 minute' WHERE id = $1::uuid"},
              pg::Params(order.id));
    EXPECT_EQ(orders.confirm(other, place_seat(other, live, show).id).status, "paid");  // the last seat
    std::vector<std::unique_ptr<pg::Pool>> pools;
    std::vector<std::unique_ptr<ordering::Orders>> replicas;
    for (int r = 0; r < 3; ++r) {
        pools.push_back(std::make_unique<pg::Pool>(db.dsn(), pg::PoolOptions{.size = 2}));
        replicas.push_back(std::make_unique<ordering::Orders>(*pools.back(), catalog, payments, clock));
    }
    at_once(3, [&](int r) { replicas[static_cast<size_t>(r)]->recover_stuck_orders(); });
    EXPECT_EQ(status_of(order.id), "cancelled");
    EXPECT_EQ(debits(order.id), 1);
    EXPECT_EQ(balance(user), 500000);  // debited once, refunded once
    EXPECT_EQ(pool.exec({"t_event",
                         "SELECT count(*) AS n FROM rental_events WHERE order_id = $1::uuid AND type = "
                         "'order_cancelled_sold_out'"},
                        pg::Params(order.id))
                  .int64(0, "n"),
              1);
}

TEST_F(Saga, ThreeReplicasSendingRemindersSendEachOnce) {
    top_up(user, 2000000);
    for (int i = 0; i < 5; ++i) orders.confirm(user, place(user, premiere("Маузер")).id);
    // Every rental's window is open and ends within the reminder lead: both reminders are due for each.
    pool.exec({"t_due",
               "UPDATE rentals SET starts_at = now() - interval '10 minutes', ends_at = now() + interval '20 minutes' "
               "WHERE user_id = $1"},
              pg::Params(user));
    std::vector<std::unique_ptr<pg::Pool>> pools;
    std::vector<std::unique_ptr<rentals::Rentals>> replicas;
    for (int r = 0; r < 3; ++r) {
        pools.push_back(std::make_unique<pg::Pool>(db.dsn(), pg::PoolOptions{.size = 2}));
        replicas.push_back(std::make_unique<rentals::Rentals>(*pools.back(), payments, clock));
    }
    std::atomic<int> sent{0};
    at_once(3, [&](int r) {
        for (int pass = 0; pass < 3; ++pass) sent += replicas[static_cast<size_t>(r)]->send_reminders();
    });
    EXPECT_EQ(sent.load(), 10);
    auto count = [&](const char* subject) {
        return pool.exec({"t_reminders", "SELECT count(*) AS n FROM outbox WHERE subject = $1"}, pg::Params(subject))
            .int64(0, "n");
    };
    EXPECT_EQ(count("notify.rental_started"), 5);
    EXPECT_EQ(count("notify.rental_ending_soon"), 5);
}
