#include "chance/auth/auth.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <stdexcept>

namespace chance::auth {

void init() {
    static const int rc = sodium_init();
    if (rc < 0) throw std::runtime_error("libsodium initialisation failed");
}

std::string hash_password(std::string_view password) {
    init();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), 2, size_t{19} * 1024 * 1024,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("password hashing ran out of memory");
    return out;
}

bool verify_password(std::string_view password, const std::string& encoded) {
    init();
    return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

std::string base64url(std::string_view raw) {
    init();
    std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::string> base64url_decode(std::string_view s) {
    init();
    std::string out(s.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(), s.size(), nullptr, &len,
                          nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string random_token(size_t bytes) {
    init();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), bytes);
    return base64url(raw);
}

std::string key_from_hex(std::string_view hex) {
    init();
    if (hex.size() != 64) throw std::invalid_argument("key must be 64 hex characters");
    std::string out(32, '\0');
    size_t len = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr, &len,
                       nullptr) != 0 ||
        len != 32)
        throw std::invalid_argument("key must be 64 hex characters");
    return out;
}

namespace {
std::string hmac_raw(std::string_view key, std::string_view message) {
    init();
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&st, mac);
    return std::string(reinterpret_cast<char*>(mac), sizeof mac);
}
std::string to_hex(std::string_view raw) {
    std::string out(raw.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    out.pop_back();
    return out;
}
}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) { return to_hex(hmac_raw(key, message)); }

bool constant_time_equals(std::string_view a, std::string_view b) {
    init();
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Sha256 sha256(std::string_view data) {
    init();
    static_assert(sizeof(Sha256) == crypto_hash_sha256_BYTES);
    Sha256 h;
    crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return h;
}

std::string hex(const Sha256& digest) {
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string sha256_hex(std::string_view data) { return hex(sha256(data)); }

std::optional<Sha256> sha256_from_hex(std::string_view hex) {
    init();
    Sha256 out;
    size_t len = 0;
    if (hex.size() != 2 * out.size() ||
        sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
        len != out.size())
        return std::nullopt;
    return out;
}

std::string sign_identity(const Identity& id, std::string_view key, std::chrono::seconds ttl,
                          std::chrono::system_clock::time_point now) {
    auto exp = std::chrono::duration_cast<std::chrono::seconds>((now + ttl).time_since_epoch()).count();
    boost::json::object o{{"sub", id.user_id}, {"role", id.role}, {"tz", id.time_zone}, {"exp", exp}};
    std::string payload = "v1." + base64url(boost::json::serialize(o));
    return payload + "." + base64url(hmac_raw(key, payload));
}

std::optional<Identity> verify_identity(std::string_view token, std::string_view key,
                                        std::chrono::system_clock::time_point now) {
    if (token.size() > 4096 || token.rfind("v1.", 0) != 0) return std::nullopt;
    auto dot = token.rfind('.');
    if (dot <= 3) return std::nullopt;
    auto payload = token.substr(0, dot);
    auto mac = base64url_decode(token.substr(dot + 1));
    if (!mac || !constant_time_equals(*mac, hmac_raw(key, payload))) return std::nullopt;
    auto json = base64url_decode(payload.substr(3));
    if (!json) return std::nullopt;
    boost::system::error_code ec;
    auto v = boost::json::parse(*json, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.as_object();
    auto* sub = o.if_contains("sub");
    auto* role = o.if_contains("role");
    auto* exp = o.if_contains("exp");
    auto* tz = o.if_contains("tz");
    if (!sub || !sub->is_string() || !role || !role->is_string() || !exp || !exp->is_int64()) return std::nullopt;
    auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (exp->as_int64() < now_s) return std::nullopt;
    return Identity{std::string(sub->as_string()), std::string(role->as_string()),
                    tz && tz->is_string() ? std::string(tz->as_string()) : "Europe/Moscow"};
}

}  // namespace chance::auth
