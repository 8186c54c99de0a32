#pragma once
// Confirming an email address (docs/adr/0020). A one-time link by email, 24 hours, single use, its token stored as a
// SHA-256 only: sent at registration (the account works before it is opened), again on request, and to the new
// address of a change, which takes the old one's place only when that link is opened; the old address is then told.
// Emails per account are limited here (in the database, so every replica counts together).
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"

namespace chance::identity {

class EmailVerifications {
  public:
    struct Config {
        std::string public_origin;  // the link's origin
        int valid_hours = 24;       // how long a link works
        int per_user_per_hour = 3;  // confirmation emails per account an hour
    };
    EmailVerifications(pg::Pool& pool, Config config) : pool_(pool), config_(std::move(config)) {}

    // In the registration's transaction: the link to confirm the new account's address.
    void send_for_new_account(pg::Transaction& tx, int64_t user_id, const std::string& email) const;
    // The link again, to the account's current address: the answer's words; 409 when it is confirmed already, 429
    // past the limit.
    std::string resend(int64_t user_id);
    // {email, password}: a link to the new address; the account's email changes when it is opened. 422 naming
    // `password` (wrong) or `email` (malformed, the current one), 409 naming `email` (another account's), 429 past
    // the limit.
    std::string change(int64_t user_id, const std::string& body);
    // {token}: {email, changed, detail} — the address confirmed, and whether it is the account's new one. 422 naming
    // `token` for a link unknown, used, expired or overtaken (the account's address changed since); 409 naming
    // `email` when the new address was taken meanwhile.
    boost::json::object confirm(const std::string& body);

  private:
    void send(pg::Transaction& tx, int64_t user_id, const std::string& email, bool change) const;
    // Locks the account's row; 429 when it has had its emails for the hour.
    void take_allowance(pg::Transaction& tx, int64_t user_id) const;

    pg::Pool& pool_;
    Config config_;
};

void install_email_verification_routes(http::Router& router, EmailVerifications& verifications);

}  // namespace chance::identity
