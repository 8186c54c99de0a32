#include <gtest/gtest.h>

#include "chance/messaging/events.hpp"
#include "notifications/identity_client.hpp"

using chance::http::ClientResponse;
using chance::notifications::recipient_of;

namespace {
ClientResponse answer(int status, std::string body) {
    ClientResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}
}  // namespace

TEST(IdentityClient, AUserIsARecipientWithAConfirmedPhoneOrWithout) {
    auto r = recipient_of(answer(200, R"({"id":"u1","email":"a@b.ru","name":"Анна","phone":"+79990000000",)"
                                      R"("phone_verified":true,"time_zone":"Europe/Moscow","role":"customer"})"),
                          "u1");
    EXPECT_EQ(r.email, "a@b.ru");
    EXPECT_EQ(r.name, "Анна");
    EXPECT_EQ(r.phone, "+79990000000");
    EXPECT_EQ(r.time_zone, "Europe/Moscow");
    auto no_phone =
        recipient_of(answer(200, R"({"email":"a@b.ru","name":"А","phone":null,"time_zone":"Asia/Omsk"})"), "u1");
    EXPECT_EQ(no_phone.phone, "");
    // A number whose code has not come back is not one to send SMS to (ADR 0024).
    auto unconfirmed = recipient_of(answer(200, R"({"email":"a@b.ru","name":"А","phone":"+79990000000",)"
                                                R"("phone_verified":false,"time_zone":"Asia/Omsk"})"),
                                    "u1");
    EXPECT_EQ(unconfirmed.phone, "");
    EXPECT_EQ(unconfirmed.email, "a@b.ru");
}

TEST(IdentityClient, AnUnknownUserIsPermanentAndAnythingElseTransient) {
    EXPECT_THROW(recipient_of(answer(404, "{}"), "u1"), chance::messaging::PermanentFailure);
    // A deleted account (ADR 0021): its messages are dropped, neither retried nor dead-lettered.
    EXPECT_THROW(recipient_of(answer(410, "{}"), "u1"), chance::notifications::AccountDeleted);
    try {
        recipient_of(answer(503, "{}"), "u1");
        FAIL();
    } catch (const chance::messaging::PermanentFailure&) {
        FAIL() << "a 503 must be retried";
    } catch (const std::runtime_error&) {
    }
    EXPECT_THROW(recipient_of(answer(200, "not json"), "u1"), std::runtime_error);
    EXPECT_THROW(recipient_of(answer(200, R"({"name":"А","time_zone":"Asia/Omsk"})"), "u1"), std::runtime_error);
}
