// Fuzzes every reader of outside JSON and text: request bodies through json::Reader with the field
// types our handlers read, event envelopes from the queue, RFC 3339 times, signed identity tokens, and what
// identity checks of a customer's input (addresses, passwords, phones, time zones; a reset request, an address
// change and their links).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/time.hpp"
#include "chance/messaging/events.hpp"
#include "identity/service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        chance::json::Reader r(in);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        if (summ && (*summ < 1 || *summ > 100'000'000)) std::abort();
        auto name = r.str("name", false, 100);
        if (name && chance::json::utf8_length(*name) > 100) std::abort();
        r.boolean("remember", false);
        r.str("starts_at", false, 40);
        r.finish();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    try {
        chance::json::Reader r(in);
        auto email = r.str("email", true, 254, 1);
        auto token = r.str("token", false, 100, 1);
        auto password = r.str("password", false, 128, 1);
        if (email) (void)chance::identity::check_email(*email);
        if (password) (void)chance::identity::check_password(*password, {});
        if (token && token->size() > 100) std::abort();
        // A link's token (a reset or an email confirmation) is accepted only in the shape random_token makes.
        if (token && chance::identity::token_shaped(*token) && token->size() != 43) std::abort();
        r.finish();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    std::string text(in);
    (void)chance::identity::check_email(text);
    (void)chance::identity::check_password(text, {});
    (void)chance::identity::check_phone(text);
    (void)chance::identity::check_time_zone(text);
    (void)chance::identity::token_shaped(text);
    try {
        chance::messaging::Envelope::parse(in);
    } catch (const chance::messaging::MalformedMessage&) {
    }
    (void)chance::time::parse_rfc3339(in);
    static const std::string key(32, 'k');
    (void)chance::auth::verify_identity(in, key);
    (void)chance::json::valid_utf8(in);
    return 0;
}
