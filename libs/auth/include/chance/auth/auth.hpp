#pragma once
// Cryptography the services share (libsodium): argon2id password hashes, the gateway's signed
// identity that services trust instead of any client header, HMAC for webhooks, random tokens.
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace chance::auth {

void init();  // sodium_init; safe to call many times

// argon2id, 19 MiB memory, 2 iterations (OWASP minimum), encoded with its parameters and salt.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& encoded);

// The identity header the gateway attaches to every upstream call. Services verify it; a request
// without a valid one is anonymous (and 401 wherever a customer is required).
inline constexpr const char* kIdentityHeader = "X-Chance-Identity";

struct Identity {
    std::string user_id;
    std::string role;  // customer | admin | service
    std::string time_zone;
};

// key: 32 raw bytes (from 64 hex chars). The token expires after ttl.
std::string sign_identity(const Identity& id, std::string_view key, std::chrono::seconds ttl = std::chrono::seconds(60),
                          std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
std::optional<Identity> verify_identity(std::string_view token, std::string_view key,
                                        std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

std::string hmac_sha256_hex(std::string_view key, std::string_view message);
bool constant_time_equals(std::string_view a, std::string_view b);
std::string sha256_hex(std::string_view data);
using Sha256 = std::array<unsigned char, 32>;
Sha256 sha256(std::string_view data);
std::string hex(const Sha256& digest);
// 64 hex chars -> the digest; nullopt otherwise.
std::optional<Sha256> sha256_from_hex(std::string_view hex);
std::string random_token(size_t bytes = 32);  // base64url, no padding
std::string base64url(std::string_view raw);
std::optional<std::string> base64url_decode(std::string_view s);
// 64 hex chars -> 32 raw bytes; throws std::invalid_argument otherwise.
std::string key_from_hex(std::string_view hex);

}  // namespace chance::auth
