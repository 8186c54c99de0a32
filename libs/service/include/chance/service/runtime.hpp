#pragma once
// What every service process shares: configuration, logs, the HTTP server with /healthz, /readyz and
// /metrics, the PostgreSQL pool with migrations (retried with backoff while the database is down), the
// NATS connection, the gateway's signed identity, background workers and graceful shutdown.
#include <atomic>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "chance/auth/auth.hpp"
#include "chance/core/config.hpp"
#include "chance/http/router.hpp"
#include "chance/messaging/nats.hpp"
#include "chance/pg/pg.hpp"

namespace chance::service {

struct ServiceSpec {
    std::string name;                     // "billing"
    uint16_t default_port = 0;            // local default
    std::vector<core::Setting> settings;  // service-specific settings
    bool uses_nats = true;
    // Services trust the gateway's signed identity header; the gateway itself strips it instead.
    bool verifies_identity = true;
    // Paths (prefixes) whose request bodies may exceed the server's 1 MiB, with their limit.
    std::vector<std::pair<std::string, size_t>> large_bodies = {};
};

class Runtime {
  public:
    Runtime(ServiceSpec spec, int argc, char** argv);
    ~Runtime();

    const core::Config& config() const { return config_; }
    const std::string& name() const { return spec_.name; }
    http::Router& router() { return router_; }
    // The pool; throws pg::Unavailable (503) until the database has been reached and migrated.
    pg::Pool& db();
    // The pool for wiring components at start-up. Requests reach handlers only once the database is
    // migrated (until then the runtime answers 503 itself).
    pg::Pool& pool() { return *pool_; }
    // Keeps a component alive as long as the runtime.
    void keep(std::shared_ptr<void> component) { kept_.push_back(std::move(component)); }
    messaging::Nats& nats();
    bool ready() const;
    const std::string& internal_key() const { return internal_key_; }
    // A signed identity for calls from this service to another (role "service").
    std::string service_identity() const;

    // Runs once after the database is reachable and migrated (seeding, background workers).
    void on_ready(std::function<void(Runtime&)> fn) { on_ready_.push_back(std::move(fn)); }
    // A background loop; it must return soon after stop is requested.
    void spawn(std::string name, std::function<void(std::stop_token)> fn);
    // The outbox relays of this service (setting outbox-relay-workers), publishing to `streams`.
    void start_outbox_relays(const std::vector<messaging::StreamSpec>& streams);
    // Consumes account.deleted (stream AccountEvents, durable `durable`, ADR 0021): `erase` runs once per deleted
    // account, in the consumer's transaction with its inbox row, with the account's user id.
    void on_account_deleted(const std::string& durable,
                            std::function<void(pg::Transaction&, const std::string& user_id)> erase);
    void add_migrations(std::string component, std::string dir);

    // Starts serving and blocks until SIGTERM/SIGINT; returns the process exit code.
    int run();

  private:
    void init_loop(const std::stop_token& st);
    ServiceSpec spec_;
    core::Config config_;
    http::Router router_;
    std::string internal_key_;
    std::vector<std::pair<std::string, std::string>> migrations_;
    std::unique_ptr<pg::Pool> pool_;
    std::unique_ptr<messaging::Nats> nats_;
    std::atomic<bool> db_ready_{false};
    std::atomic<bool> started_{false};  // start-up hooks (seeding, workers) done: only then ready
    std::vector<std::function<void(Runtime&)>> on_ready_;
    std::vector<std::shared_ptr<void>> kept_;
    std::vector<std::jthread> workers_;
    std::mutex workers_mu_;
};

// Identity of the caller as set by the gateway (from the signed header), or a 401 problem.
struct Caller {
    std::string user_id;
    std::string role;
    std::string time_zone;
};
Caller require_user(const http::Request& req);
Caller require_admin(const http::Request& req);
// The store's staff: support (customer lookup, refunds up to a limit) or admin.
Caller require_staff(const http::Request& req);
// Internal endpoints: only other services (role "service") may call them.
Caller require_service(const http::Request& req);
std::optional<Caller> optional_user(const http::Request& req);

// Middleware: verifies the signed identity header; an invalid one is a 401, a missing one is anonymous.
http::Middleware identity_middleware(std::string key);

}  // namespace chance::service
