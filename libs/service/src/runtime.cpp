#include "chance/service/runtime.hpp"

#include <boost/json.hpp>

#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/http/middleware.hpp"
#include "chance/http/server.hpp"
#include "chance/messaging/events.hpp"
#include "chance/messaging/nats.hpp"
#include "chance/pg/migrations.hpp"

#ifndef CHANCE_SOURCE_DIR
#error "CHANCE_SOURCE_DIR must be defined"
#endif

namespace chance::service {

namespace {
std::vector<core::Setting> common_settings(const ServiceSpec& spec) {
    std::vector<core::Setting> s{
        {"http-host", "127.0.0.1", "address to listen on"},
        {"http-port", std::to_string(spec.default_port), "port to listen on"},
        {"pg-dsn", "postgresql://chance@127.0.0.1:15432/chance_" + spec.name, "PostgreSQL URI", true},
        {"pg-pool-size", "8", "database connections"},
        {"nats-url", "nats://127.0.0.1:14222", "NATS server, or the servers of a cluster separated by commas"},
        {"internal-secret", std::nullopt, "64 hex chars: key of the gateway's signed identity", true},
        {"log-level", "info", "debug|info|warn|error"},
        {"io-threads", "1", "HTTP I/O threads"},
        {"worker-threads", "8", "handler threads"},
        {"migrations-dir", std::string(CHANCE_SOURCE_DIR) + "/services/" + spec.name + "/migrations",
         "this service's migrations"},
    };
    if (spec.uses_nats) {
        s.push_back({"outbox-relay-workers", "2", "outbox relays side by side (they split the rows, SKIP LOCKED)"});
        s.push_back(
            {"nats-stream-replicas", "1", "copies of each JetStream stream this service declares (3 in a cluster)"});
    }
    for (const auto& extra : spec.settings) s.push_back(extra);
    return s;
}
}  // namespace

Runtime::Runtime(ServiceSpec spec, int argc, char** argv)
    : spec_(std::move(spec)), config_(core::Config::load(common_settings(spec_), argc, argv)) {
    log::init(spec_.name, log::parse_level(config_.get("log-level")));
    try {
        internal_key_ = auth::key_from_hex(config_.get("internal-secret"));
    } catch (const std::invalid_argument&) {
        throw core::ConfigError("CHANCE_INTERNAL_SECRET must be 64 hex characters");
    }
    migrations_.emplace_back(spec_.name, config_.get("migrations-dir"));
    if (spec_.uses_nats) {
        migrations_.emplace_back("messaging", std::string(CHANCE_SOURCE_DIR) + "/libs/messaging/migrations");
        int replicas = config_.get_int("nats-stream-replicas");
        if (replicas < 1 || replicas > 5)
            throw core::ConfigError("CHANCE_NATS_STREAM_REPLICAS must be between 1 and 5");
        nats_ = std::make_unique<messaging::Nats>(config_.get("nats-url"), spec_.name, replicas);
    }
    pool_ = std::make_unique<pg::Pool>(config_.get("pg-dsn"), pg::PoolOptions{.size = config_.get_int("pg-pool-size")});

    router_.use(http::request_id_middleware());
    router_.use(http::access_log_middleware());
    router_.use([this](http::Request& req, const http::Handler& next) {
        if (!db_ready_ && req.path != "/healthz" && req.path != "/readyz" && req.path != "/metrics")
            throw pg::Unavailable("database not ready yet");
        return next(req);
    });
    if (spec_.verifies_identity) router_.use(identity_middleware(internal_key_));
    router_.get(
        "/healthz",
        [](http::Request&) {
            return http::Response::json(boost::json::object{{"status", "ok"}});
        },
        http::Dispatch::non_blocking);
    router_.get("/readyz", [this](http::Request&) {
        bool db_ok = db_ready_ && started_ && pool_->ping();
        bool nats_ok = !nats_ || nats_->connected();
        boost::json::object body{{"status", db_ok && nats_ok ? "ready" : "not_ready"},
                                 {"service", spec_.name},
                                 {"postgres", db_ok ? "ok" : "unreachable"}};
        if (nats_) body["nats"] = nats_ok ? "ok" : "unreachable";
        return http::Response::json(db_ok && nats_ok ? 200 : 503, body);
    });
    router_.get(
        "/metrics",
        [](http::Request&) {
            return http::Response::text(200, metrics::Registry::global().render(), "text/plain; version=0.0.4");
        },
        http::Dispatch::non_blocking);
}

Runtime::~Runtime() = default;

void Runtime::add_migrations(std::string component, std::string dir) {
    migrations_.emplace_back(std::move(component), std::move(dir));
}

pg::Pool& Runtime::db() {
    if (!db_ready_) throw pg::Unavailable("database not ready yet");
    return *pool_;
}

messaging::Nats& Runtime::nats() {
    if (!nats_) throw std::logic_error(spec_.name + " does not use NATS");
    return *nats_;
}

bool Runtime::ready() const { return db_ready_ && started_ && (!nats_ || nats_->connected()); }

std::string Runtime::service_identity() const {
    return auth::sign_identity({spec_.name, "service", ""}, internal_key_, std::chrono::seconds(60));
}

void Runtime::spawn(std::string name, std::function<void(std::stop_token)> fn) {
    std::lock_guard lock(workers_mu_);
    workers_.emplace_back([name = std::move(name), fn = std::move(fn)](const std::stop_token& st) {
        while (!st.stop_requested()) {
            try {
                fn(st);
                return;
            } catch (const std::exception& e) {
                log::error("background worker failed; restarting in 1 s", {{"worker", name}, {"error", e.what()}});
                for (int i = 0; i < 10 && !st.stop_requested(); ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    });
}

void Runtime::init_loop(const std::stop_token& st) {
    std::chrono::milliseconds delay{250};
    std::vector<pg::MigrationSet> sets;
    for (const auto& [c, d] : migrations_) sets.push_back({c, d});
    while (!st.stop_requested()) {
        try {
            auto lease = pool_->acquire();
            pg::migrate(*lease, sets);
            break;
        } catch (const pg::SchemaTooNew& e) {
            log::error("refusing to start", {{"error", e.what()}});
            std::exit(3);  // NOLINT(concurrency-mt-unsafe): nothing is served yet; the supervisor sees the code
        } catch (const pg::Unavailable& e) {
            log::warn("cannot reach the database; retrying",
                      {{"error", e.internal()}, {"retry_in_ms", static_cast<int64_t>(delay.count())}});
        } catch (const std::exception& e) {
            log::error("database start-up failed; retrying",
                       {{"error", e.what()}, {"retry_in_ms", static_cast<int64_t>(delay.count())}});
        }
        for (auto waited = std::chrono::milliseconds(0); waited < delay && !st.stop_requested();
             waited += std::chrono::milliseconds(50))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        delay = std::min(delay * 2, std::chrono::milliseconds(10'000));
    }
    if (st.stop_requested()) return;
    db_ready_ = true;
    log::info("database ready");
    for (auto& fn : on_ready_) {
        try {
            fn(*this);
        } catch (const std::exception& e) {
            log::error("start-up hook failed", {{"error", e.what()}});
        }
    }
    started_ = true;
}

int Runtime::run() {
    http::ServerOptions opt;
    opt.host = config_.get("http-host");
    opt.port = static_cast<uint16_t>(config_.get_int("http-port"));
    opt.io_threads = config_.get_int("io-threads");
    opt.worker_threads = config_.get_int("worker-threads");
    opt.large_bodies = spec_.large_bodies;
    http::Server server(opt, router_);
    try {
        server.start();
    } catch (const std::exception& e) {
        log::error("cannot start", {{"error", e.what()}});
        return 2;
    }
    log::info("listening", {{"host", opt.host}, {"port", static_cast<int64_t>(server.port())}});
    if (nats_) nats_->start();
    spawn("init", [this](const std::stop_token& st) { init_loop(st); });
    int sig = http::wait_for_termination();
    log::info("shutting down", {{"signal", sig}});
    server.shutdown();
    {
        std::lock_guard lock(workers_mu_);
        for (auto& w : workers_) w.request_stop();
    }
    workers_.clear();
    if (nats_) nats_->stop();
    log::info("stopped");
    return 0;
}

std::optional<Caller> optional_user(const http::Request& req) {
    auto uid = req.context_value("user_id");
    if (!uid) return std::nullopt;
    return Caller{*uid, req.context_value("role").value_or("customer"), req.context_value("tz").value_or("")};
}

Caller require_user(const http::Request& req) {
    auto c = optional_user(req);
    if (!c || c->role == "service") throw unauthorized();
    return *c;
}

Caller require_admin(const http::Request& req) {
    auto c = require_user(req);
    if (c.role != "admin") throw forbidden("Нужны права администратора");
    return c;
}

Caller require_staff(const http::Request& req) {
    auto c = require_user(req);
    if (c.role != "admin" && c.role != "support") throw forbidden("Нужны права сотрудника магазина");
    return c;
}

Caller require_service(const http::Request& req) {
    auto c = optional_user(req);
    if (!c) throw unauthorized("Нужна подпись сервиса");
    if (c->role != "service") throw not_found("Такого адреса нет");
    return *c;
}

http::Middleware identity_middleware(std::string key) {
    return [key = std::move(key)](http::Request& req, const http::Handler& next) {
        if (auto token = req.headers.get(auth::kIdentityHeader)) {
            auto id = auth::verify_identity(*token, key);
            if (!id) throw unauthorized("Подпись запроса недействительна");
            req.context["user_id"] = id->user_id;
            req.context["role"] = id->role;
            req.context["tz"] = id->time_zone;
        }
        return next(req);
    };
}

void Runtime::start_outbox_relays(const std::vector<messaging::StreamSpec>& streams) {
    for (int w = 0; w < config_.get_int("outbox-relay-workers"); ++w) {
        auto relay = std::make_shared<messaging::OutboxRelay>(db(), nats(), streams);
        keep(relay);
        spawn("outbox-relay-" + std::to_string(w), [relay](const std::stop_token& st) { relay->run(st); });
    }
}

void Runtime::on_account_deleted(const std::string& durable,
                                 std::function<void(pg::Transaction&, const std::string& user_id)> erase) {
    auto consumer = std::make_shared<messaging::Consumer>(
        db(), nats(), messaging::account_events_stream(),
        messaging::ConsumerSpec{.stream = "AccountEvents", .durable = durable, .filter_subject = "account.deleted"},
        [erase = std::move(erase)](pg::Transaction& tx, const messaging::Envelope& e) {
            const auto* user = e.payload.if_contains("user_id");
            if (!user || !user->is_string()) throw messaging::PermanentFailure("account.deleted without user_id");
            erase(tx, std::string(user->as_string()));
        });
    keep(consumer);
    spawn("account-deletions", [consumer](const std::stop_token& st) { consumer->run(st); });
}

}  // namespace chance::service
