// How billing's answers become local problems (billing::answer_problem), without a billing.
#include <gtest/gtest.h>

#include "premieres/clients/billing_client.hpp"

using namespace chance;
using namespace chance::premieres;

TEST(BillingClient, UnreachableOrFailingBillingIsUnavailable) {
    for (int status : {500, 502, 503, 504, 408, 429}) {
        auto p = billing::answer_problem(status, "", "withdraw");
        EXPECT_EQ(p.status(), 503) << status;
        EXPECT_EQ(p.type(), "unavailable") << status;
    }
}

TEST(BillingClient, ARefusalUnderBillingsRulesIsAConflictWithItsOwnType) {
    auto refund_over = billing::answer_problem(
        422, R"({"type":"/problems/validation","status":422,"detail":"Возврат больше списанной суммы"})", "refund");
    EXPECT_EQ(refund_over.status(), 409);
    EXPECT_EQ(refund_over.type(), "billing-refused");
    EXPECT_EQ(refund_over.detail().find("Возврат больше"), std::string::npos);  // billing's words stay in the log
    EXPECT_EQ(billing::answer_problem(422, R"({"type":"/problems/idempotency-key-reused"})", "withdraw").status(), 409);
    EXPECT_EQ(billing::answer_problem(409, "not json", "withdraw").type(), "billing-refused");
}

TEST(BillingClient, ARequestBillingRejectsIsABadGatewayNotARetry) {
    for (int status : {400, 401, 403, 404}) {
        auto p = billing::answer_problem(status, R"({"type":"/problems/unauthorized"})", "balance");
        EXPECT_EQ(p.status(), 502) << status;
        EXPECT_EQ(p.type(), "billing-rejected") << status;
    }
}
