#include "billing/ledger.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/error.hpp"
#include "chance/core/json.hpp"
#include "chance/core/uuid.hpp"

namespace chance::billing {

namespace {
constexpr pg::Query kEnsureWallet{"wallet_ensure",
                                  "INSERT INTO accounts (kind, user_id) VALUES ('wallet', $1) ON CONFLICT DO NOTHING"};
constexpr pg::Query kBalance{"wallet_balance", "SELECT balance FROM accounts WHERE kind = 'wallet' AND user_id = $1"};
constexpr pg::Query kCredit{"wallet_credit",
                            "UPDATE accounts SET balance = balance + $2 WHERE kind = 'wallet' AND user_id = $1 "
                            "RETURNING id, balance"};
constexpr pg::Query kByKey{
    "transaction_by_key",
    "SELECT request_hash, response::text AS response FROM transactions WHERE idempotency_key = $1"};
constexpr pg::Query kInsertTx{
    "transaction_insert",
    "INSERT INTO transactions (id, type, user_id, amount, order_id, premiere_id, payment_id, idempotency_key, "
    "request_hash, response, balance_after) "
    "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::uuid, $8, $9, $10::jsonb, $11)"};
// Both legs of a transaction between a wallet ($2) and a system account (kind $3): amount $4 to the wallet.
constexpr pg::Query kEntries{
    "entries_insert",
    "INSERT INTO entries (transaction_id, account_id, amount) VALUES ($1::uuid, $2::bigint, $4::bigint), "
    "($1::uuid, (SELECT id FROM accounts WHERE kind = $3), -$4::bigint)"};
constexpr pg::Query kOrderTotals{"order_totals",
                                 "SELECT coalesce(sum(amount) FILTER (WHERE type = 'withdraw'), 0) AS withdrawn, "
                                 "coalesce(sum(amount) FILTER (WHERE type = 'refund'), 0) AS refunded "
                                 "FROM transactions WHERE order_id = $1 AND user_id = $2"};
constexpr pg::Query kLockOrder{"order_lock", "SELECT pg_advisory_xact_lock(hashtextextended('order:' || $1, 0))"};
constexpr pg::Query kHistory{
    "history_page",
    "SELECT id::text AS id, seq, type, amount, order_id, premiere_id, balance_after, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at "
    "FROM transactions WHERE user_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3"};

// A debit in one statement (no round trips for BEGIN and COMMIT): the wallet debited if it holds enough, the
// transaction with its stored answer, and both legs. No row: too little money, or no wallet yet.
constexpr pg::Query kWithdraw{
    "withdraw",
    "WITH debit AS (UPDATE accounts SET balance = balance - $4 WHERE kind = 'wallet' AND user_id = $3 "
    "  AND balance >= $4 RETURNING id, balance), "
    "made AS (INSERT INTO transactions (id, type, user_id, amount, order_id, premiere_id, idempotency_key, "
    "  request_hash, response, balance_after) "
    "  SELECT $1::uuid, 'withdraw', $3, $4, $5, $6, $2, $7, "
    "  jsonb_build_object('status', 'paid', 'balance', balance, 'transaction_id', $1::uuid::text), balance "
    "  FROM debit RETURNING id), "
    "legs AS (INSERT INTO entries (transaction_id, account_id, amount) "
    "  SELECT made.id, debit.id, -$4::bigint FROM made, debit "
    "  UNION ALL SELECT made.id, (SELECT id FROM accounts WHERE kind = 'revenue'), $4::bigint FROM made) "
    "SELECT balance FROM debit"};

// Looks the key up: the stored answer for the same request, 422 for a different one.
template <typename Db>
std::optional<boost::json::object> replay(Db& tx, const std::string& key, const std::string& hash) {
    auto r = tx.exec(kByKey, pg::Params(key));
    if (r.empty()) return std::nullopt;
    if (r.text(0, "request_hash") != hash)
        throw unprocessable("Ключ идемпотентности уже использован для другого запроса",
                            {{"Idempotency-Key", "Использован для другого запроса"}})
            .with_type("idempotency-key-reused");
    return boost::json::parse(r.text(0, "response")).as_object();
}

// Runs `attempt`, which starts with the key's replay check; when a concurrent request with the same key
// committed first (a unique violation on the key), runs it once more, and the check answers with that
// request's stored result.
template <typename F>
boost::json::object after_key_race(F&& attempt) {
    for (int n = 0;; ++n) {
        try {
            return attempt();
        } catch (const pg::UniqueViolation&) {
            if (n > 0) throw;
        }
    }
}

// Runs fn in a transaction after the key's replay check (see after_key_race).
template <typename F>
boost::json::object once(pg::Pool& pool, const std::string& key, const std::string& hash, F&& fn) {
    return after_key_race([&] {
        return pool.transact([&](pg::Transaction& tx) {
            if (auto stored = replay(tx, key, hash)) return *stored;
            return fn(tx);
        });
    });
}
}  // namespace

int64_t Ledger::balance(const std::string& user_id) {
    auto r = pool_.exec(kBalance, pg::Params(user_id));
    return r.empty() ? 0 : r.int64(0, "balance");
}

boost::json::object Ledger::withdraw(const WithdrawRequest& w) {
    auto hash = auth::sha256_hex("withdraw|" + w.user_id + "|" + std::to_string(w.amount) + "|" +
                                 std::to_string(w.premiere_id) + "|" + w.order_id);
    return after_key_race([&]() -> boost::json::object {
        if (auto stored = replay(pool_, w.idempotency_key, hash)) return *stored;
        auto id = uuid_v7();
        auto debit = pool_.exec(
            kWithdraw, pg::Params(id, w.idempotency_key, w.user_id, w.amount,
                                  w.order_id.empty() ? std::optional<std::string>{} : w.order_id,
                                  w.premiere_id > 0 ? std::optional<int64_t>(w.premiere_id) : std::nullopt, hash));
        if (debit.empty()) {  // too little money, or no wallet yet (a balance of 0)
            auto bal = balance(w.user_id);
            return {{"status", "insufficient_funds"}, {"balance", bal}, {"shortfall", w.amount - bal}};
        }
        return {{"status", "paid"}, {"balance", debit.int64(0, "balance")}, {"transaction_id", id}};
    });
}

boost::json::object Ledger::refund(const RefundRequest& r) {
    auto hash = auth::sha256_hex("refund|" + r.user_id + "|" + std::to_string(r.amount) + "|" + r.order_id);
    return once(pool_, r.idempotency_key, hash, [&](pg::Transaction& tx) -> boost::json::object {
        tx.exec(kLockOrder, pg::Params(r.order_id));  // refunds of one order one at a time
        auto totals = tx.exec(kOrderTotals, pg::Params(r.order_id, r.user_id));
        auto withdrawn = totals.int64(0, "withdrawn");
        auto refunded = totals.int64(0, "refunded");
        if (refunded + r.amount > withdrawn)
            throw unprocessable(
                "Возврат больше списанной суммы",
                {{"summ", "Можно вернуть не больше " + std::to_string(withdrawn - refunded) + " коп."}});
        tx.exec(kEnsureWallet, pg::Params(r.user_id));
        auto credit = tx.exec(kCredit, pg::Params(r.user_id, r.amount));
        auto id = uuid_v7();
        auto bal = credit.int64(0, "balance");
        boost::json::object response{{"status", "refunded"}, {"balance", bal}, {"transaction_id", id}};
        tx.exec(kInsertTx, pg::Params(id, "refund", r.user_id, r.amount, r.order_id, nullptr, nullptr,
                                      r.idempotency_key, hash, boost::json::serialize(response), bal));
        tx.exec(kEntries, pg::Params(id, credit.int64(0, "id"), "revenue", r.amount));
        return response;
    });
}

boost::json::object Ledger::credit_top_up(const std::string& user_id, const std::string& payment_id, int64_t amount) {
    return pool_.transact([&](pg::Transaction& tx) { return credit_top_up(tx, user_id, payment_id, amount); });
}

boost::json::object Ledger::credit_top_up(pg::Transaction& tx, const std::string& user_id,
                                          const std::string& payment_id, int64_t amount) {
    auto key = "top_up:" + payment_id;
    auto hash = auth::sha256_hex(key + "|" + user_id + "|" + std::to_string(amount));
    if (auto stored = replay(tx, key, hash)) return *stored;
    {
        tx.exec(kEnsureWallet, pg::Params(user_id));
        auto credit = tx.exec(kCredit, pg::Params(user_id, amount));
        auto id = uuid_v7();
        auto bal = credit.int64(0, "balance");
        boost::json::object response{{"status", "credited"}, {"balance", bal}, {"transaction_id", id}};
        tx.exec(kInsertTx, pg::Params(id, "top_up", user_id, amount, nullptr, nullptr, payment_id, key, hash,
                                      boost::json::serialize(response), bal));
        tx.exec(kEntries, pg::Params(id, credit.int64(0, "id"), "provider_clearing", amount));
        return response;
    }
}

boost::json::object Ledger::history(const std::string& user_id, std::optional<int64_t> cursor, int limit) {
    auto rows = pool_.exec(kHistory, pg::Params(user_id, cursor, limit + 1));
    boost::json::array items;
    int n = std::min(rows.rows(), limit);
    for (int i = 0; i < n; ++i) {
        auto order = rows.opt_text(i, "order_id");
        auto premiere = rows.opt_int64(i, "premiere_id");
        items.push_back(boost::json::object{{"id", rows.text(i, "id")},
                                            {"type", rows.text(i, "type")},
                                            {"amount", rows.int64(i, "amount")},
                                            {"balance_after", rows.int64(i, "balance_after")},
                                            {"order_id", json::or_null(order)},
                                            {"premiere_id", json::or_null(premiere)},
                                            {"created_at", rows.text(i, "created_at")}});
    }
    boost::json::value next = nullptr;
    if (rows.rows() > limit) next = std::to_string(rows.int64(n - 1, "seq"));
    return {{"items", std::move(items)}, {"next_cursor", next}};
}

}  // namespace chance::billing
