#pragma once
// PostgreSQL through libpq: a connection pool, named prepared queries (the name feeds metrics), RAII
// transactions, retry on serialization failure and deadlock, and typed errors.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "chance/core/error.hpp"

struct pg_conn;
struct pg_result;

namespace chance::pg {

// A named SQL statement. Keep them as constants next to the code that runs them.
struct Query {
    const char* name;
    const char* sql;
};

class Error : public std::runtime_error {
  public:
    Error(std::string sqlstate, const std::string& message, std::string constraint = {})
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)), constraint_(std::move(constraint)) {}
    const std::string& sqlstate() const { return sqlstate_; }
    const std::string& constraint() const { return constraint_; }

  private:
    std::string sqlstate_;
    std::string constraint_;
};
struct UniqueViolation : Error {
    using Error::Error;
};
struct CheckViolation : Error {
    using Error::Error;
};
struct ForeignKeyViolation : Error {
    using Error::Error;
};
struct SerializationFailure : Error {  // 40001 and 40P01: safe to retry the whole transaction
    using Error::Error;
};
// The database cannot be reached, or the server refuses writes (a demoted primary), or the pool is exhausted
// past its deadline: 503 to the client. The client sees the Russian title and detail; what() is the reason
// (libpq's message, the host and the step), which only the log sees: an operator needs it after a failover.
struct Unavailable : Problem {
    explicit Unavailable(std::string internal);
    const std::string& internal() const { return internal_; }
    const char* what() const noexcept override { return internal_.c_str(); }

  private:
    std::string internal_;
};

// Whether a SQLSTATE means the server (not the statement) is the problem: connection errors, shutdown, read-only.
bool unavailable_state(const std::string& code);

using Param = std::optional<std::string>;

class Params {
  public:
    Params() = default;
    template <typename... T>
    explicit Params(T&&... values) {
        (add(std::forward<T>(values)), ...);
    }
    Params& add(std::nullptr_t) { return push(std::nullopt); }
    Params& add(const std::string& v) { return push(v); }
    Params& add(std::string_view v) { return push(std::string(v)); }
    Params& add(const char* v) { return push(std::string(v)); }
    Params& add(bool v) { return push(v ? "t" : "f"); }
    Params& add(int v) { return push(std::to_string(v)); }
    Params& add(int64_t v) { return push(std::to_string(v)); }
    Params& add(long long v) { return push(std::to_string(v)); }
    Params& add(double v) { return push(std::to_string(v)); }
    template <typename T>
    Params& add(const std::optional<T>& v) {
        if (!v) return push(std::nullopt);
        return add(*v);
    }
    const std::vector<Param>& values() const { return values_; }

  private:
    Params& push(Param p) {
        values_.push_back(std::move(p));
        return *this;
    }
    std::vector<Param> values_;
};

class Result {
  public:
    explicit Result(pg_result* r);
    ~Result();
    Result(Result&& o) noexcept;
    Result& operator=(Result&& o) noexcept;
    Result(const Result&) = delete;

    int rows() const;
    bool empty() const { return rows() == 0; }
    int affected() const;
    int column(std::string_view name) const;  // throws when absent
    bool is_null(int row, std::string_view col) const;
    std::string text(int row, std::string_view col) const;
    std::optional<std::string> opt_text(int row, std::string_view col) const;
    int64_t int64(int row, std::string_view col) const;
    std::optional<int64_t> opt_int64(int row, std::string_view col) const;
    double number(int row, std::string_view col) const;
    bool boolean(int row, std::string_view col) const;
    // By column number (column()), without a copy, for reading many rows: valid while the Result lives.
    std::string_view value(int row, int col) const;
    bool null_at(int row, int col) const;

  private:
    pg_result* r_;
};

class Connection {
  public:
    explicit Connection(const std::string& dsn);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Throws Unavailable (and the connection is then broken: the pool drops it) when the server is gone or
    // refuses writes (SQLSTATE 25006, a demoted primary), and when a commit's wait for the synchronous standby was
    // cancelled: the transaction then committed on this server only, and a failover may lose it, so its outcome
    // is unknown, as when the connection breaks during the commit.
    Result exec(const Query& q, const Params& params = {});
    // Runs SQL text without parameters (several statements allowed). For migrations and fixed commands.
    void exec_script(const std::string& sql);
    bool healthy() const;
    // healthy(), and for an idle connection: the server has not closed it meanwhile (checked without a round
    // trip). The pool asks before handing an idle connection out.
    bool idle_alive();
    // The value libpq uses for a connection keyword ("keepalives_idle"), empty when unset.
    std::string option(const std::string& keyword) const;
    // Never reuse this connection (the pool closes it when the lease ends).
    void discard() { broken_ = true; }
    pg_conn* raw() { return conn_; }

  private:
    Result exec_unguarded(const Query& q, const Params& params);
    // Called by libpq for each notice the server sends; see pg.cpp.
    static void on_notice(void* self, const pg_result* notice);
    // Throws Unavailable when the statement just run committed on this server only (see on_notice).
    void require_replicated(const char* what);
    pg_conn* conn_;
    bool broken_ = false;
    bool unreplicated_ = false;
    std::map<std::string, std::string> prepared_;  // name -> SQL
};

// LISTEN on one channel over a connection of its own (never one of the pool's).
class Listener {
  public:
    // Connects and listens; throws Unavailable. `channel` must be a plain identifier.
    Listener(const std::string& dsn, const std::string& channel);
    // Waits up to `timeout` for notifications; returns their payloads (none on timeout). Throws
    // Unavailable when the connection is lost: notifications may then have been missed.
    std::vector<std::string> wait(std::chrono::milliseconds timeout);
    Connection& connection() { return conn_; }

  private:
    Connection conn_;
};

struct PoolOptions {
    int size = 8;
    std::chrono::milliseconds acquire_timeout{2000};
    std::chrono::milliseconds statement_timeout{5000};
    std::chrono::milliseconds connect_timeout{2000};
};

class Pool;

class Lease {
  public:
    Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) noexcept = default;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

  private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
};

class Transaction {
  public:
    enum class Isolation { read_committed, repeatable_read, serializable };
    explicit Transaction(Connection& c, Isolation iso = Isolation::read_committed);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Result exec(const Query& q, const Params& p = {}) { return conn_.exec(q, p); }
    void commit();
    Connection& connection() { return conn_; }

  private:
    Connection& conn_;
    bool done_ = false;
};

class Pool {
  public:
    Pool(const std::string& dsn, PoolOptions options = {});
    ~Pool();
    // Waits up to acquire_timeout for a free connection; then throws Unavailable. Every connection is made with
    // keepalives, tcp_user_timeout, connect_timeout and target_session_attrs=read-write unless the DSN says
    // otherwise; idle ones whose server went away are dropped here, not handed out.
    Lease acquire();
    // Runs fn(Transaction&) and commits; retries the whole function on 40001/40P01 with backoff.
    template <typename F>
    auto transact(F&& fn, Transaction::Isolation iso = Transaction::Isolation::read_committed, int attempts = 5) {
        for (int attempt = 1;; ++attempt) {
            try {
                auto lease = acquire();
                Transaction tx(*lease, iso);
                if constexpr (std::is_void_v<decltype(fn(tx))>) {
                    fn(tx);
                    tx.commit();
                    return;
                } else {
                    auto result = fn(tx);
                    tx.commit();
                    return result;
                }
            } catch (const SerializationFailure&) {
                if (attempt >= attempts) throw;
                backoff(attempt);
            }
        }
    }
    // Runs one query on a pooled connection, outside an explicit transaction.
    Result exec(const Query& q, const Params& p = {});
    // Opens every connection the pool may hold, so that the first requests do not wait for connections
    // (a replica warms its pool before it reports ready). Throws Unavailable.
    void warm();
    // Whether a connection reaches a server that takes writes (a primary); a connection to a read-only one is
    // dropped.
    bool ping();
    int size() const { return options_.size; }
    int in_use() const;

  private:
    friend class Lease;
    void release(std::unique_ptr<Connection> c);
    // Connects for a slot the caller reserved under `lock` (open_, and in_use_ when `handed_out`), with the lock
    // released meanwhile; on failure it undoes the reservation and rethrows.
    std::unique_ptr<Connection> connect_reserved(std::unique_lock<std::mutex>& lock, bool handed_out);
    static void backoff(int attempt);
    std::string dsn_;
    PoolOptions options_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> idle_;
    int open_ = 0;
    int in_use_ = 0;
};

// A text[] literal of `items`, each element quoted and escaped ({"a","b\"c"}): the one parameter of
// `= ANY($1::uuid[])`, `unnest($1::timestamptz[])` and the like, whatever the elements hold.
std::string text_array(const std::vector<std::string>& items);

// Adds keepalive/timeout options to a libpq URI or keyword DSN.
std::string with_options(const std::string& dsn, std::chrono::milliseconds statement_timeout,
                         std::chrono::milliseconds connect_timeout);

}  // namespace chance::pg
