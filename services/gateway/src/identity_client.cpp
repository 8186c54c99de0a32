#include "gateway/identity_client.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"

namespace chance::gateway {

http::ClientResponse IdentityClient::call(const std::string& method, const std::string& path, const std::string& body) {
    http::Headers h;
    h.set("Content-Type", "application/json");
    h.set(auth::kIdentityHeader, service_identity_());
    return http_.send(method, path, h, body);
}

boost::json::object answer_object(const http::ClientResponse& r, int expected_status, std::string_view service) {
    if (r.status != expected_status) throw http::upstream_problem(r, service);
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) throw http::upstream_problem(http::ClientResponse{502, {}, {}}, service);
    return std::move(v.as_object());
}

boost::json::object IdentityClient::object_of(const http::ClientResponse& r, int expected_status) {
    return answer_object(r, expected_status, "identity");
}

std::string IdentityClient::detail_of(const http::ClientResponse& r) {
    auto o = object_of(r, 202);
    const auto* detail = o.if_contains("detail");
    if (!detail || !detail->is_string()) throw http::upstream_problem(http::ClientResponse{502, {}, {}}, "identity");
    return std::string(detail->as_string());
}

User IdentityClient::user_of(const http::ClientResponse& r, int expected_status) {
    User u;
    u.json = object_of(r, expected_status);
    auto text = [&](const char* key) {
        const auto* f = u.json.if_contains(key);
        return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    u.id = text("id");
    u.role = text("role");
    u.time_zone = text("time_zone");
    if (u.id.empty() || u.role.empty()) throw http::upstream_problem(http::ClientResponse{502, {}, {}}, "identity");
    return u;
}

User IdentityClient::create(const std::string& body) { return user_of(call("POST", "/internal/users", body), 201); }

std::optional<User> IdentityClient::authenticate(const std::string& email, const std::string& password) {
    boost::json::object creds{{"email", email}, {"password", password}};
    auto r = call("POST", "/internal/credentials", boost::json::serialize(creds));
    if (r.status == 401) return std::nullopt;
    return user_of(r, 200);
}

User IdentityClient::get(const std::string& user_id) {
    return user_of(call("GET", "/internal/users/" + http::percent_encode(user_id), ""), 200);
}

User IdentityClient::update(const std::string& user_id, const std::string& body) {
    return user_of(call("PATCH", "/internal/users/" + http::percent_encode(user_id), body), 200);
}

std::string IdentityClient::request_password_reset(const std::string& body) {
    return detail_of(call("POST", "/internal/password-resets", body));
}

std::string IdentityClient::resend_email_verification(const std::string& user_id) {
    return detail_of(call("POST", "/internal/users/" + http::percent_encode(user_id) + "/email-verification", "{}"));
}

std::string IdentityClient::change_email(const std::string& user_id, const std::string& body) {
    return detail_of(call("POST", "/internal/users/" + http::percent_encode(user_id) + "/email", body));
}

std::string IdentityClient::send_phone_code(const std::string& user_id) {
    return detail_of(call("POST", "/internal/users/" + http::percent_encode(user_id) + "/phone-verification", "{}"));
}

User IdentityClient::confirm_phone(const std::string& user_id, const std::string& body) {
    return user_of(
        call("POST", "/internal/users/" + http::percent_encode(user_id) + "/phone-verification/confirm", body), 200);
}

boost::json::object IdentityClient::verify_email(const std::string& body) {
    return object_of(call("POST", "/internal/email-verifications/confirm", body), 200);
}

boost::json::object IdentityClient::personal_data(const std::string& user_id) {
    return object_of(call("GET", "/internal/users/" + http::percent_encode(user_id) + "/data", ""), 200);
}

std::string IdentityClient::erase(const std::string& user_id, const std::string& body) {
    auto o = object_of(call("POST", "/internal/users/" + http::percent_encode(user_id) + "/erase", body), 200);
    const auto* email = o.if_contains("email");
    if (!email || !email->is_string()) throw http::upstream_problem(http::ClientResponse{502, {}, {}}, "identity");
    return std::string(email->as_string());
}

User IdentityClient::by_email(const std::string& email) {
    return user_of(call("GET", "/internal/users?email=" + http::percent_encode(email), ""), 200);
}

User IdentityClient::set_role(const std::string& user_id, const std::string& body) {
    return user_of(call("PATCH", "/internal/users/" + http::percent_encode(user_id) + "/role", body), 200);
}

User IdentityClient::reset_password(const std::string& body) {
    return user_of(call("POST", "/internal/password-resets/confirm", body), 200);
}

void IdentityClient::change_password(const std::string& user_id, const std::string& body) {
    auto r = call("POST", "/internal/users/" + http::percent_encode(user_id) + "/password", body);
    if (r.status != 204) throw http::upstream_problem(r, "identity");
}

}  // namespace chance::gateway
