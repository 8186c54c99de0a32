#include "chance/pg/pg.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <system_error>
#include <thread>

#include "chance/core/blocking.hpp"
#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"

namespace chance::pg {

bool unavailable_state(const std::string& code) {
    // No SQLSTATE (the connection broke), connection exceptions (08xxx), the server shutting down or starting
    // (57P01-57P03), and a read-only server (25006): a primary demoted to a standby after a failover answers
    // writes with it. All mean "this connection cannot serve us; another one may".
    return code.empty() || code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03" ||
           code == "25006";
}

namespace {
[[noreturn]] void throw_result_error(PGresult* res, PGconn* conn, const char* what) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    std::string code = state ? state : "";
    std::string cons = constraint ? constraint : "";
    if (res) PQclear(res);
    if (unavailable_state(code) || PQstatus(conn) != CONNECTION_OK)
        throw Unavailable(std::string(what) + ": " + message);
    if (code == "23505") throw UniqueViolation(code, message, cons);
    if (code == "23514") throw CheckViolation(code, message, cons);
    if (code == "23503") throw ForeignKeyViolation(code, message, cons);
    if (code == "40001" || code == "40P01") throw SerializationFailure(code, message, cons);
    throw Error(code, std::string(what) + ": " + message, cons);
}

metrics::Histogram& query_histogram(const char* name) {
    return metrics::Registry::global().histogram("pg_query_duration_seconds", "Query latency by query name",
                                                 {{"query", name}});
}
}  // namespace

Unavailable::Unavailable(std::string internal)
    : Problem(503, "Сервис временно недоступен",
              "Хранилище данных недоступно, попробуйте ещё раз через несколько секунд"),
      internal_(std::move(internal)) {
    headers().emplace_back("Retry-After", "2");
    extra()["retry_after"] = 2;
}

Result::Result(PGresult* r) : r_(r) {}
Result::~Result() {
    if (r_) PQclear(r_);
}
Result::Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
Result& Result::operator=(Result&& o) noexcept {
    if (this != &o) {
        if (r_) PQclear(r_);
        r_ = o.r_;
        o.r_ = nullptr;
    }
    return *this;
}
int Result::rows() const { return PQntuples(r_); }
int Result::affected() const {
    const char* s = PQcmdTuples(r_);
    return (s && *s) ? std::atoi(s) : 0;
}
int Result::column(std::string_view name) const {
    int c = PQfnumber(r_, std::string(name).c_str());
    if (c < 0) throw std::logic_error("no column " + std::string(name));
    return c;
}
bool Result::is_null(int row, std::string_view col) const { return PQgetisnull(r_, row, column(col)) == 1; }
std::string_view Result::value(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
}
bool Result::null_at(int row, int col) const { return PQgetisnull(r_, row, col) == 1; }
std::string Result::text(int row, std::string_view col) const {
    int c = column(col);
    return std::string(PQgetvalue(r_, row, c), static_cast<size_t>(PQgetlength(r_, row, c)));
}
std::optional<std::string> Result::opt_text(int row, std::string_view col) const {
    if (is_null(row, col)) return std::nullopt;
    return text(row, col);
}
int64_t Result::int64(int row, std::string_view col) const { return std::stoll(text(row, col)); }
std::optional<int64_t> Result::opt_int64(int row, std::string_view col) const {
    if (is_null(row, col)) return std::nullopt;
    return int64(row, col);
}
double Result::number(int row, std::string_view col) const { return std::stod(text(row, col)); }
bool Result::boolean(int row, std::string_view col) const { return text(row, col) == "t"; }

namespace {
// Defaults for every connection, each overridden by the same keyword in the DSN. A connection must never hang on
// a host that vanished (a killed or partitioned primary): TCP keepalives notice a dead peer on an idle connection
// in ~9 s, tcp_user_timeout one that stopped acknowledging what we sent in 10 s, connect_timeout bounds each
// host's connection attempt. target_session_attrs=read-write makes a multi-host DSN (a Patroni cluster) connect
// to the primary only, whichever host that is now.
constexpr std::array<const char*, 7> kDefaultKeys{"keepalives",          "keepalives_idle",  "keepalives_interval",
                                                  "keepalives_count",    "tcp_user_timeout", "connect_timeout",
                                                  "target_session_attrs"};
constexpr std::array<const char*, 7> kDefaultValues{"1", "5", "2", "2", "10000", "2", "read-write"};

PGconn* connect_with_defaults(const std::string& dsn) {
    std::array<const char*, kDefaultKeys.size() + 2> keys{};
    std::array<const char*, kDefaultKeys.size() + 2> values{};
    for (size_t i = 0; i < kDefaultKeys.size(); ++i) {
        keys.at(i) = kDefaultKeys.at(i);
        values.at(i) = kDefaultValues.at(i);
    }
    // Last, so that what the DSN says wins (libpq: a later keyword overrides an earlier one).
    keys.at(kDefaultKeys.size()) = "dbname";
    values.at(kDefaultKeys.size()) = dsn.c_str();
    return PQconnectdbParams(keys.data(), values.data(), 1);
}
}  // namespace

Connection::Connection(const std::string& dsn) : conn_(connect_with_defaults(dsn)) {
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(conn_);
        PQfinish(conn_);
        conn_ = nullptr;
        throw Unavailable("connect: " + msg);
    }
    PQsetNoticeReceiver(conn_, &Connection::on_notice, this);
}

// A commit waits for the synchronous standby (Patroni's synchronous mode). When that wait is cancelled (a cancel
// request: an operator's pg_cancel_backend, a proxy giving up), PostgreSQL sends a WARNING (SQLSTATE 01000,
// "canceling wait for synchronous replication": "the transaction has already committed locally, but might not
// have been replicated to the standby") and then reports success. On a primary cut off from its standby that
// "success" is the write a failover loses: a delivery claimed there and emailed, then claimed again on the new
// primary, would be emailed twice. So the warning makes the statement's outcome unknown (Unavailable), as a
// connection lost during the commit does, for which every write is already retried or guarded. (statement_timeout
// does not cancel the wait: the server stops that timer before it commits. A shutdown during the wait ends the
// connection, which is Unavailable anyway.) The code and the unlocalised severity are matched, not the text, which
// the server may translate; our statements raise no other plain WARNING.
void Connection::on_notice(void* self, const pg_result* notice) {
    const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* state = PQresultErrorField(notice, PG_DIAG_SQLSTATE);
    const char* message = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
    bool warning = severity && std::string_view(severity) == "WARNING";
    if (warning && state && std::string_view(state) == "01000") static_cast<Connection*>(self)->unreplicated_ = true;
    if (warning) log::warn("postgres warning", {{"state", state ? state : ""}, {"message", message ? message : ""}});
}

void Connection::require_replicated(const char* what) {
    if (!unreplicated_) return;
    unreplicated_ = false;
    broken_ = true;
    throw Unavailable(std::string(what) +
                      ": committed on this server only; its synchronous standby never confirmed it");
}

Connection::~Connection() {
    if (conn_) PQfinish(conn_);
}

bool Connection::healthy() const { return conn_ && !broken_ && PQstatus(conn_) == CONNECTION_OK; }

std::string Connection::option(const std::string& keyword) const {
    std::string out;
    PQconninfoOption* opts = PQconninfo(conn_);
    for (auto* o = opts; o && o->keyword; ++o)  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        if (keyword == o->keyword && o->val) out = o->val;
    PQconninfoFree(opts);
    return out;
}

bool Connection::idle_alive() {
    if (!healthy()) return false;
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
    // An idle pooled connection (it never LISTENs) has nothing to read unless the server went away: EOF, or a
    // FATAL "terminating connection" from a shutdown or a failover, its EOF possibly not yet read. Anything else
    // unasked for (a notice, a changed setting such as default_transaction_read_only) is rare enough that the
    // connection is dropped too rather than examined: the next checkout connects anew. No round trip either way.
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    if (pfd.fd < 0) return false;
    int rc = ::poll(&pfd, 1, 0);
    if (rc < 0) return errno == EINTR;
    return rc == 0;
}

Result Connection::exec(const Query& q, const Params& params) {
    try {
        return exec_unguarded(q, params);
    } catch (const Unavailable&) {
        // Broken, or a server that no longer takes writes: never handed out again, so the pool reconnects
        // (through the DSN's hosts, to whichever is the primary now). An open transaction dies with it.
        broken_ = true;
        throw;
    }
}

Result Connection::exec_unguarded(const Query& q, const Params& params) {
    unreplicated_ = false;
    auto start = std::chrono::steady_clock::now();
    if (auto it = prepared_.find(q.name); it == prepared_.end()) {
        PGresult* prep = PQprepare(conn_, q.name, q.sql, 0, nullptr);
        if (PQresultStatus(prep) != PGRES_COMMAND_OK) throw_result_error(prep, conn_, q.name);
        PQclear(prep);
        prepared_.emplace(q.name, q.sql);
    } else if (it->second != q.sql) {
        // Names feed metrics and the statement cache: one name, one statement.
        throw std::logic_error(std::string("query name '") + q.name + "' is used for two different statements");
    }
    const auto& values = params.values();
    std::vector<const char*> ptrs(values.size());
    std::vector<int> lengths(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        ptrs[i] = values[i] ? values[i]->c_str() : nullptr;
        lengths[i] = values[i] ? static_cast<int>(values[i]->size()) : 0;
    }
    PGresult* res =
        PQexecPrepared(conn_, q.name, static_cast<int>(values.size()), ptrs.data(), lengths.data(), nullptr, 0);
    auto st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) throw_result_error(res, conn_, q.name);
    if (unreplicated_) PQclear(res);
    require_replicated(q.name);
    query_histogram(q.name).observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return Result(res);
}

namespace {
// The channel goes into the statement's text: only a plain identifier is accepted, before any connection.
const std::string& plain_identifier(const std::string& channel) {
    for (char c : channel)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
            throw std::invalid_argument("LISTEN channel must be an identifier: " + channel);
    return channel;
}
}  // namespace

Listener::Listener(const std::string& dsn, const std::string& channel) : conn_((plain_identifier(channel), dsn)) {
    conn_.exec_script("LISTEN " + channel);
}

std::vector<std::string> Listener::wait(std::chrono::milliseconds timeout) {
    auto* c = conn_.raw();
    auto drain = [c] {
        std::vector<std::string> out;
        while (PGnotify* n = PQnotifies(c)) {
            out.emplace_back(n->extra ? n->extra : "");
            PQfreemem(n);
        }
        return out;
    };
    if (auto ready = drain(); !ready.empty()) return ready;
    pollfd pfd{PQsocket(c), POLLIN, 0};
    if (pfd.fd < 0) throw Unavailable("listen: no connection");
    int rc = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
    if (rc < 0 && errno != EINTR) throw Unavailable("listen: poll failed: " + std::generic_category().message(errno));
    if (rc > 0) {
        if (PQconsumeInput(c) == 0 || PQstatus(c) != CONNECTION_OK)
            throw Unavailable(std::string("listen: ") + PQerrorMessage(c));
    }
    return drain();
}

void Connection::exec_script(const std::string& sql) {
    unreplicated_ = false;
    PGresult* res = PQexec(conn_, sql.c_str());
    auto st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY) {
        try {
            throw_result_error(res, conn_, "script");
        } catch (const Unavailable&) {
            broken_ = true;
            throw;
        }
    }
    PQclear(res);
    require_replicated("script");
}

Transaction::Transaction(Connection& c, Isolation iso) : conn_(c) {
    switch (iso) {
        case Isolation::read_committed:
            conn_.exec_script("BEGIN");
            break;
        case Isolation::repeatable_read:
            conn_.exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ");
            break;
        case Isolation::serializable:
            conn_.exec_script("BEGIN ISOLATION LEVEL SERIALIZABLE");
            break;
    }
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        if (conn_.healthy()) conn_.exec_script("ROLLBACK");
    } catch (const std::exception& e) {
        log::warn("rollback failed", {{"error", e.what()}});
    }
}

void Transaction::commit() {
    done_ = true;
    conn_.exec_script("COMMIT");
}

Lease::~Lease() {
    if (pool_ && conn_) pool_->release(std::move(conn_));
}

std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string with_options(const std::string& dsn, std::chrono::milliseconds statement_timeout,
                         std::chrono::milliseconds connect_timeout) {
    auto secs = std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(connect_timeout).count());
    std::string opts = "-c statement_timeout=" + std::to_string(statement_timeout.count());
    bool uri = dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
    if (uri) {
        std::string sep = dsn.find('?') == std::string::npos ? "?" : "&";
        return dsn + sep + "connect_timeout=" + std::to_string(secs) + "&options=" + "-c%20statement_timeout%3D" +
               std::to_string(statement_timeout.count()) + "&application_name=chance";
    }
    return dsn + " connect_timeout=" + std::to_string(secs) + " options='" + opts + "' application_name=chance";
}

Pool::Pool(const std::string& dsn, PoolOptions options)
    : dsn_(with_options(dsn, options.statement_timeout, options.connect_timeout)), options_(options) {
    metrics::Registry::global().gauge("pg_pool_size", "Configured pool size").set(options_.size);
}

Pool::~Pool() = default;

Lease Pool::acquire() {
    may_block();  // a non-blocking HTTP route that needs the database moves to the worker pool
    auto& reg = metrics::Registry::global();
    std::unique_lock lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    while (idle_.empty() && open_ >= options_.size) {
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= options_.size) {
            reg.counter("pg_pool_timeouts_total", "Acquire attempts that timed out").inc();
            throw Unavailable("pool exhausted: " + std::to_string(options_.size) + " connections busy");
        }
    }
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (!c->idle_alive()) {
            // Its server went away (killed, restarted, demoted by a failover): drop it and take another or
            // connect anew, rather than failing this request on it.
            --open_;
            reg.counter("pg_pool_discarded_total", "Idle connections found broken and dropped at checkout").inc();
            continue;
        }
        ++in_use_;
        reg.gauge("pg_pool_in_use", "Connections handed out").set(in_use_);
        return Lease(this, std::move(c));
    }
    ++open_;
    ++in_use_;
    auto c = connect_reserved(lock, true);
    reg.gauge("pg_pool_in_use", "Connections handed out").set(in_use_);
    return Lease(this, std::move(c));
}

std::unique_ptr<Connection> Pool::connect_reserved(std::unique_lock<std::mutex>& lock, bool handed_out) {
    lock.unlock();
    try {
        return std::make_unique<Connection>(dsn_);
    } catch (...) {
        lock.lock();
        --open_;
        if (handed_out) --in_use_;
        cv_.notify_one();
        throw;
    }
}

void Pool::warm() {
    std::unique_lock lock(mu_);
    while (open_ < options_.size) {
        ++open_;
        auto c = connect_reserved(lock, false);
        lock.lock();
        idle_.push_back(std::move(c));
        cv_.notify_one();
    }
}

void Pool::release(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mu_);
    --in_use_;
    if (c->healthy()) {
        idle_.push_back(std::move(c));
    } else {
        --open_;
    }
    metrics::Registry::global().gauge("pg_pool_in_use", "Connections handed out").set(in_use_);
    cv_.notify_one();
}

int Pool::in_use() const {
    std::lock_guard lock(mu_);
    return in_use_;
}

Result Pool::exec(const Query& q, const Params& p) {
    auto lease = acquire();
    return lease->exec(q, p);
}

bool Pool::ping() {
    try {
        // Reachable is not enough: a primary demoted to a standby answers reads but refuses every write.
        static constexpr Query kPing{
            "ping", "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' AS writable"};
        auto lease = acquire();
        if (lease->exec(kPing).boolean(0, "writable")) return true;
        lease->discard();  // the next checkout connects again, to the primary (target_session_attrs=read-write)
        return false;
    } catch (const std::exception&) {
        return false;
    }
}

void Pool::backoff(int attempt) {
    thread_local std::mt19937 rng{std::random_device{}()};
    int base = 5 << std::min(attempt, 6);
    std::uniform_int_distribution<int> jitter(0, base);
    std::this_thread::sleep_for(std::chrono::milliseconds(base + jitter(rng)));
}

}  // namespace chance::pg
