#pragma once
// UUIDv7 (RFC 9562): 48-bit Unix milliseconds + random bits; sortable by creation time.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chance {

std::string uuid_v7(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
bool is_uuid(std::string_view s);
// Fills buf with cryptographically secure random bytes (getrandom).
void random_bytes(void* buf, size_t n);
std::string random_hex(size_t bytes);

}  // namespace chance
