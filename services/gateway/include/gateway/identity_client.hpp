#pragma once
// The gateway's typed client of the identity service: it owns the signed service identity header and turns
// identity's answers into users or local problems (http::upstream_problem keeps identity's status, type and
// field errors, so that a customer sees exactly what identity said).
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "chance/http/client.hpp"

namespace chance::gateway {

// A user as identity answers it. `json` is the whole answer (the customer's own data, passed on to them);
// the fields the gateway decides on are read out of it.
struct User {
    std::string id;
    std::string role;
    std::string time_zone;
    boost::json::object json;
};

// An upstream service's answer as a JSON object: the object when the status is `expected_status`, else the service's
// problem passed on (a body that is not an object is a 502 from `service`).
boost::json::object answer_object(const http::ClientResponse& r, int expected_status, std::string_view service);

class IdentityClient {
  public:
    // `service_identity` gives the current signed identity of this service (it rotates).
    IdentityClient(http::Client& http, std::function<std::string()> service_identity)
        : http_(http), service_identity_(std::move(service_identity)) {}

    // Registers the user the body describes (identity validates it: 400/409/422 come back as problems).
    User create(const std::string& body);
    // The user with these credentials; nullopt when they do not match.
    std::optional<User> authenticate(const std::string& email, const std::string& password);
    User get(const std::string& user_id);
    // Changes the fields the body names (identity validates them).
    User update(const std::string& user_id, const std::string& body);
    // «Забыли пароль?»: {email} — identity emails a link when the address has an account (its problems, 400 and
    // 429, come back as they are); its answer's `detail`, the same for every address.
    std::string request_password_reset(const std::string& body);
    // {token, password}: the user whose password the link set.
    User reset_password(const std::string& body);
    // {current_password, new_password} for the user (identity checks the current one: a wrong one is a 422
    // naming it).
    void change_password(const std::string& user_id, const std::string& body);
    // The link that confirms the account's address, again (ADR 0020): identity's answer `detail`.
    std::string resend_email_verification(const std::string& user_id);
    // {email, password}: a link to the new address, which becomes the account's when it is opened; the `detail`.
    std::string change_email(const std::string& user_id, const std::string& body);
    // A code by SMS to the account's number (ADR 0024): identity's answer `detail` (422 naming `phone` without a
    // number, 409 confirmed already, 429 past the limits).
    std::string send_phone_code(const std::string& user_id);
    // {code}: the user, its number confirmed (400/422 naming `code`).
    User confirm_phone(const std::string& user_id, const std::string& body);
    // {token}: {email, changed, detail} as identity answers it.
    boost::json::object verify_email(const std::string& body);
    // What identity holds about the account (ADR 0021): {account, links}.
    boost::json::object personal_data(const std::string& user_id);
    // {password}: deletes the account (identity checks the password: a wrong one is a 422 naming it); the address
    // the account had.
    std::string erase(const std::string& user_id, const std::string& body);
    // The account with this address (the staff's lookup); identity's 404 when none.
    User by_email(const std::string& email);
    // {role}: the account's new role (identity validates it).
    User set_role(const std::string& user_id, const std::string& body);

  private:
    http::ClientResponse call(const std::string& method, const std::string& path, const std::string& body);
    static User user_of(const http::ClientResponse& r, int expected_status);
    // The answer's JSON object, or identity's problem when the status is another.
    static boost::json::object object_of(const http::ClientResponse& r, int expected_status);
    // The answer's `detail` (a 202 of a request that sends an email).
    static std::string detail_of(const http::ClientResponse& r);

    http::Client& http_;
    std::function<std::string()> service_identity_;
};

}  // namespace chance::gateway
