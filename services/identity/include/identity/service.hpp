#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <unordered_set>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "chance/service/runtime.hpp"

namespace chance::identity {

service::ServiceSpec spec();
void install(service::Runtime& rt);

// Validation of what customers type (pure; unit-tested). Each returns an error message or nullopt.
std::optional<std::string> check_email(const std::string& email);
std::optional<std::string> check_password(const std::string& password, const std::unordered_set<std::string>& common);
std::optional<std::string> check_phone(const std::string& phone);
std::optional<std::string> check_time_zone(const std::string& tz);
std::unordered_set<std::string> load_common_passwords(const std::string& path);
// A signed-in customer's own password, typed again to allow a change (Argon2id, outside any transaction): 404 for
// no such user, 422 titled `title` naming `field` when it is wrong.
void require_password(pg::Pool& pool, int64_t user_id, const std::string& password, const std::string& field,
                      const std::string& title);
// A one-time link's token as auth::random_token(32) makes it: 43 base64url characters.
bool token_shaped(const std::string& t);
// A user id from a path (404 when it is not a positive integer).
int64_t parse_user_id(const std::string& s);
// A user row (id, email, name, phone, time_zone, role; row 0) as the internal API answers it.
boost::json::object user_json(const pg::Result& r);

class EmailVerifications;

class Users {
  public:
    // `verifications`: the link that confirms a new account's address is sent with it (none when null).
    Users(pg::Pool& pool, std::unordered_set<std::string> common, const EmailVerifications* verifications = nullptr)
        : pool_(pool), common_(std::move(common)), verifications_(verifications) {}
    // 201 user | 409 | 400
    boost::json::object create(const std::string& body, const std::string& role = "customer");
    // The user, or nullopt for a wrong email or password (indistinguishable, similar time).
    std::optional<boost::json::object> verify(const std::string& email, const std::string& password);
    boost::json::object get(int64_t id);
    boost::json::object update(int64_t id, const std::string& body);
    // The account with this address (case-insensitive), for the staff's customer lookup; 404 when none.
    boost::json::object by_email(const std::string& email);
    // {role: customer | support | admin | theatre_staff}: the account's role (400 naming `role`, 404).
    boost::json::object set_role(int64_t id, const std::string& body);
    // Creates the account when the email is free, its address taken as confirmed; for the demo seed and the first
    // admin, whose addresses the operator gives.
    void ensure(const std::string& email, const std::string& password, const std::string& name,
                const std::string& role);
    const std::unordered_set<std::string>& common_passwords() const { return common_; }

  private:
    pg::Pool& pool_;
    std::unordered_set<std::string> common_;
    const EmailVerifications* verifications_;
};

void install_routes(http::Router& router, Users& users);

}  // namespace chance::identity
