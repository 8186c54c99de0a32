#pragma once
// Confirming the phone by a code in an SMS (docs/adr/0024). SMS delivery can be chosen only for a confirmed number.
// A code is six random digits, sent by SMS to the account's number; it works for `valid_minutes`, once, only while
// the number is still the account's, and dies after `max_attempts` wrong tries. Only its SHA-256 (bound to the
// account and the number) is stored. Codes per account are limited here (in the database, so every replica counts
// together): one a minute, `per_user_per_hour` an hour.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"

namespace chance::identity {

// Six random digits (libsodium's generator through auth::random_token), leading zeros kept.
std::string random_code();
// The code's stored form: bound to the account and the number, so a code for one never matches another.
std::string code_hash(int64_t user_id, const std::string& phone, const std::string& code);
// «+7 999 ***-**-67»: enough for the owner to recognise the number, not to read it whole.
std::string masked_phone(const std::string& phone);

class PhoneVerifications {
  public:
    struct Config {
        int valid_minutes = 10;     // how long a code works
        int max_attempts = 5;       // wrong tries before a code dies
        int per_user_per_hour = 5;  // codes per account an hour
        int resend_seconds = 60;    // the least time between two codes
    };
    PhoneVerifications(pg::Pool& pool, Config config) : pool_(pool), config_(config) {}

    // A code by SMS to the account's number: the answer's words. 422 naming `phone` when the account has none, 409
    // when it is confirmed already, 429 (with the wait) past the limits. The account's earlier codes die.
    std::string send(int64_t user_id);
    // {code}: the user, its number confirmed. 400 naming `code` when it is not six digits; 422 naming `code` when it
    // is wrong (the tries left in the words), or when no code is open (expired, used, tried too often, or the number
    // changed since): then a new one is to be asked for.
    boost::json::object confirm(int64_t user_id, const std::string& body);

  private:
    pg::Pool& pool_;
    Config config_;
};

void install_phone_verification_routes(http::Router& router, PhoneVerifications& verifications);

}  // namespace chance::identity
