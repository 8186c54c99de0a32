#include <atomic>
#include <random>
#include <thread>

#include "billing/ledger.hpp"
#include "chance/core/uuid.hpp"
#include "chance/pg/migrations.hpp"
#include "pgtest.hpp"

using namespace chance;
using namespace chance::billing;

namespace {
struct Env {
    pgtest::TempDatabase db;
    pg::Pool pool{db.dsn(), {.size = 12}};
    Ledger ledger{pool};
    Env() {
        auto c = pool.acquire();
        pg::migrate(*c, {{"billing", BILLING_MIGRATIONS}, {"messaging", CHANCE_MESSAGING_MIGRATIONS}});
    }
    int64_t scalar(const char* name, const char* sql) { return pool.exec({name, sql}).int64(0, "v"); }
    void check_invariants() {
        EXPECT_EQ(scalar("inv_sum", "SELECT coalesce(sum(amount), 0) AS v FROM entries"), 0);
        EXPECT_EQ(scalar("inv_wallets",
                         "SELECT count(*) AS v FROM accounts a WHERE kind = 'wallet' AND balance <> "
                         "(SELECT coalesce(sum(amount), 0) FROM entries e WHERE e.account_id = a.id)"),
                  0);
        EXPECT_EQ(scalar("inv_negative", "SELECT count(*) AS v FROM accounts WHERE kind = 'wallet' AND balance < 0"),
                  0);
        EXPECT_EQ(
            scalar(
                "inv_unbalanced",
                "SELECT count(*) AS v FROM (SELECT transaction_id FROM entries GROUP BY 1 HAVING sum(amount) <> 0) x"),
            0);
    }
};
}  // namespace

TEST(LedgerPg, RandomOperationsFromEightWorkersKeepTheInvariant) {
    Env t;
    std::atomic<int> paid{0}, refused{0}, refunds{0};
    auto worker = [&](int seed) {
        std::mt19937 rng(static_cast<unsigned>(seed));
        for (int i = 0; i < 300; ++i) {
            auto user = "u" + std::to_string(rng() % 50);
            int op = static_cast<int>(rng() % 3);
            int64_t amount = 100 + static_cast<int64_t>(rng() % 50000);
            if (op == 0) {
                t.ledger.credit_top_up(user, uuid_v7(), amount);
            } else if (op == 1) {
                auto order = "o-" + std::to_string(seed) + "-" + std::to_string(i);
                auto r = t.ledger.withdraw({user, amount, 1, order, "w-" + order});
                if (r["status"].as_string() == "paid") {
                    ++paid;
                    if (rng() % 2) {
                        t.ledger.refund({user, amount / 2, order, "test", "r1-" + order});
                        t.ledger.refund({user, amount - amount / 2, order, "test", "r2-" + order});
                        refunds += 2;
                    }
                } else {
                    ++refused;
                }
            } else {
                (void)t.ledger.history(user, std::nullopt, 5);
            }
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int w = 0; w < 8; ++w) threads.emplace_back(worker, w + 1);
    for (auto& th : threads) th.join();
    EXPECT_GT(paid.load(), 0);
    EXPECT_GT(refused.load(), 0);
    EXPECT_GT(refunds.load(), 0);
    t.check_invariants();
}

TEST(LedgerPg, OverdraftRaceLetsExactlyTheAffordableWithdrawsThrough) {
    Env t;
    t.ledger.credit_top_up("anna", uuid_v7(), 10000);  // 100 ₽
    std::atomic<int> paid{0};
    std::vector<std::thread> threads;
    threads.reserve(20);
    for (int i = 0; i < 20; ++i)
        threads.emplace_back([&, i] {
            auto r = t.ledger.withdraw({"anna", 1000, 7, "order-" + std::to_string(i), "key-" + std::to_string(i)});
            if (r["status"].as_string() == "paid") ++paid;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(paid.load(), 10);
    EXPECT_EQ(t.ledger.balance("anna"), 0);
    t.check_invariants();
}

TEST(LedgerPg, SameKeyFiftyTimesConcurrentlyDebitsOnce) {
    Env t;
    t.ledger.credit_top_up("boris", uuid_v7(), 100000);
    std::vector<std::thread> threads;
    std::atomic<int> paid{0};
    std::mutex mu;
    std::set<std::string> transaction_ids;
    threads.reserve(50);
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&] {
            auto r = t.ledger.withdraw({"boris", 5000, 3, "order-x", "same-key"});
            if (r["status"].as_string() == "paid") {
                ++paid;
                std::lock_guard lock(mu);
                transaction_ids.insert(std::string(r["transaction_id"].as_string()));
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(paid.load(), 50);             // everyone gets the same answer
    EXPECT_EQ(transaction_ids.size(), 1u);  // for one transaction
    EXPECT_EQ(t.ledger.balance("boris"), 95000);
    EXPECT_EQ(t.scalar("n_withdraws", "SELECT count(*) AS v FROM transactions WHERE type = 'withdraw'"), 1);
    t.check_invariants();
}

TEST(LedgerPg, SameKeyWithAnotherBodyIs422) {
    Env t;
    t.ledger.credit_top_up("vera", uuid_v7(), 100000);
    t.ledger.withdraw({"vera", 5000, 3, "order-1", "k1"});
    try {
        t.ledger.withdraw({"vera", 6000, 3, "order-1", "k1"});
        FAIL();
    } catch (const Problem& p) {
        EXPECT_EQ(p.status(), 422);
    }
    EXPECT_EQ(t.ledger.balance("vera"), 95000);
}

TEST(LedgerPg, InsufficientFundsIsNotFinalAndRefundsAreCapped) {
    Env t;
    auto r = t.ledger.withdraw({"gleb", 5000, 3, "order-1", "k-order-1"});
    EXPECT_EQ(r["status"].as_string(), "insufficient_funds");
    EXPECT_EQ(r["shortfall"].as_int64(), 5000);
    t.ledger.credit_top_up("gleb", uuid_v7(), 7000);
    auto again = t.ledger.withdraw({"gleb", 5000, 3, "order-1", "k-order-1"});  // same key after a top-up
    EXPECT_EQ(again["status"].as_string(), "paid");
    EXPECT_EQ(again["balance"].as_int64(), 2000);
    t.ledger.refund({"gleb", 3000, "order-1", "cancel", "rf-1"});
    EXPECT_EQ(t.ledger.refund({"gleb", 3000, "order-1", "cancel", "rf-1"})["balance"].as_int64(), 5000);  // replay
    EXPECT_THROW(t.ledger.refund({"gleb", 2001, "order-1", "cancel", "rf-2"}), Problem);
    EXPECT_THROW(t.ledger.refund({"someone-else", 100, "order-1", "cancel", "rf-3"}), Problem);
    t.ledger.refund({"gleb", 2000, "order-1", "cancel", "rf-4"});
    EXPECT_EQ(t.ledger.balance("gleb"), 7000);
    t.check_invariants();
}

TEST(LedgerPg, TheDatabaseRefusesUnbalancedOrRewrittenEntries) {
    Env t;
    t.ledger.credit_top_up("dima", uuid_v7(), 1000);
    EXPECT_THROW(t.pool.exec({"upd", "UPDATE entries SET amount = amount * 2"}), pg::CheckViolation);
    EXPECT_THROW(t.pool.exec({"negw", "UPDATE accounts SET balance = -1 WHERE user_id = 'dima'"}), pg::CheckViolation);
    EXPECT_THROW(t.pool.transact([&](pg::Transaction& tx) {
        tx.exec({"tx_ins",
                 "INSERT INTO transactions (id, type, user_id, amount, idempotency_key, request_hash, response, "
                 "balance_after) VALUES ('018bcfe5-6800-7000-8000-000000000001', 'top_up', 'dima', 5, 'x', 'h', "
                 "'{}', 0)"});
        tx.exec({"e_ins",
                 "INSERT INTO entries (transaction_id, account_id, amount) "
                 "SELECT '018bcfe5-6800-7000-8000-000000000001', id, 5 FROM accounts WHERE kind = 'revenue'"});
    }),
                 pg::CheckViolation);
    t.check_invariants();
}

TEST(LedgerPg, HistoryIsTheCallersNewestFirstAndPaged) {
    Env t;
    for (int i = 0; i < 5; ++i) t.ledger.credit_top_up("eva", uuid_v7(), 100 + i);
    t.ledger.credit_top_up("other", uuid_v7(), 999);
    auto first = t.ledger.history("eva", std::nullopt, 3);
    ASSERT_EQ(first["items"].as_array().size(), 3u);
    EXPECT_EQ(first["items"].as_array()[0].as_object()["amount"].as_int64(), 104);
    EXPECT_EQ(first["items"].as_array()[0].as_object()["balance_after"].as_int64(), 510);
    auto cursor = std::stoll(std::string(first["next_cursor"].as_string()));
    auto second = t.ledger.history("eva", cursor, 3);
    EXPECT_EQ(second["items"].as_array().size(), 2u);
    EXPECT_TRUE(second["next_cursor"].is_null());
}
