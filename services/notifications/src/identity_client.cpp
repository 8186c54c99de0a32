#include "notifications/identity_client.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "chance/auth/auth.hpp"
#include "chance/messaging/events.hpp"

namespace chance::notifications {

Recipient recipient_of(const http::ClientResponse& r, const std::string& id) {
    if (r.status == 404) throw messaging::PermanentFailure("unknown user " + id);
    if (r.status == 410) throw AccountDeleted("deleted account " + id);
    if (r.status != 200) throw std::runtime_error("identity answered " + std::to_string(r.status));
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) throw std::runtime_error("identity answered a body that is not a JSON object");
    const auto& o = v.as_object();
    auto text = [&](const char* key, bool required) {
        const auto* f = o.if_contains(key);
        if (f && f->is_string()) return std::string(f->as_string());
        if (required) throw std::runtime_error(std::string("identity's user has no ") + key);
        return std::string();
    };
    // SMS go only to a number its owner confirmed (ADR 0024).
    const auto* confirmed = o.if_contains("phone_verified");
    bool phone_confirmed = confirmed && confirmed->is_bool() && confirmed->as_bool();
    return {text("email", true), text("name", true), phone_confirmed ? text("phone", false) : std::string(),
            text("time_zone", true)};
}

Recipient IdentityClient::recipient(const std::string& user_id) const {
    http::Headers h;
    h.set(auth::kIdentityHeader, service_identity_());
    return recipient_of(http_.send("GET", "/internal/users/" + http::percent_encode(user_id), h), user_id);
}

}  // namespace chance::notifications
