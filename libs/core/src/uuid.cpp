#include "chance/core/uuid.hpp"

#include <sys/random.h>

#include <cstring>
#include <stdexcept>

namespace chance {

namespace {
void fill_from_kernel(unsigned char* p, size_t n) {
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("getrandom failed");
        }
        p += got;
        n -= static_cast<size_t>(got);
    }
}
}  // namespace

void random_bytes(void* buf, size_t n) {
    // Bytes come from the kernel's CSPRNG, fetched 4 KiB at a time per thread to avoid a system call
    // per id; they are never handed out twice.
    thread_local unsigned char pool[4096];
    thread_local size_t left = 0;
    auto* out = static_cast<unsigned char*>(buf);
    if (n > sizeof pool / 4) {
        fill_from_kernel(out, n);
        return;
    }
    if (left < n) {
        fill_from_kernel(pool, sizeof pool);
        left = sizeof pool;
    }
    std::memcpy(out, pool + (sizeof pool - left), n);
    std::memset(pool + (sizeof pool - left), 0, n);
    left -= n;
}

std::string random_hex(size_t bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string raw(bytes, '\0');
    random_bytes(raw.data(), bytes);
    std::string out;
    out.reserve(bytes * 2);
    for (unsigned char c : raw) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string uuid_v7(std::chrono::system_clock::time_point now) {
    std::array<unsigned char, 16> b{};
    random_bytes(b.data(), b.size());
    auto ms =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x70);
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 15];
    }
    return out;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < 36; ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace chance
