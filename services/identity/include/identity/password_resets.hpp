#pragma once
// Passwords after registration. «Забыли пароль?» (docs/adr/0017): a one-time link by email, 30 minutes, single use; its
// token stored as a SHA-256 only. A request answers the same whether the address is known or not; requests are limited
// per address (here, in the database, so every replica counts together) and per client (at the gateway). Using the link
// sets the new password, voids the account's other links and emails a notice; the gateway then ends every session of
// the account and signs this browser in.
#include <boost/json/object.hpp>
#include <string>
#include <unordered_set>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"

namespace chance::identity {

class PasswordResets {
  public:
    struct Config {
        std::string public_origin;     // the link's origin
        int valid_minutes = 30;        // how long a link works
        int per_address_per_hour = 3;  // reset emails per address an hour
    };
    PasswordResets(pg::Pool& pool, const std::unordered_set<std::string>& common, Config config)
        : pool_(pool), common_(common), config_(std::move(config)) {}

    // {email}: emails a link when the address has an account; nothing otherwise. The answer's words, the same
    // for every address. 400 for a malformed address, 429 past the limit for the address (known or not).
    std::string request(const std::string& body);
    // {token, password}: the account's user with the new password set; 422 naming `token` for a link that is
    // unknown, used or expired, `password` for a password the rules refuse.
    boost::json::object confirm(const std::string& body);
    // {current_password, new_password} of a signed-in customer: 422 naming `current_password` when it is wrong,
    // 400 naming `new_password` when the rules refuse it; voids open reset links and emails the notice.
    void change(int64_t user_id, const std::string& body);

  private:
    void enqueue_changed_notice(pg::Transaction& tx, int64_t user_id) const;

    pg::Pool& pool_;
    const std::unordered_set<std::string>& common_;
    Config config_;
};

void install_password_reset_routes(http::Router& router, PasswordResets& resets);

}  // namespace chance::identity
