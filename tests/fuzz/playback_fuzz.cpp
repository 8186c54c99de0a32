// Fuzzes what viewers, box offices and admins send to premieres about rentals (ADR 0025-0028): the beacon's and
// the problem report's bodies, the signed media token, the session id and the User-Agent kept as a device, a
// voucher code as typed, a new live show and a list of premieres. A body is valid or a 400; a token verifies only
// as it was signed; a device label is printable ASCII of at most 200 characters; a code survives its display form.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chance/core/error.hpp"
#include "premieres/ordering/shows.hpp"
#include "premieres/ordering/vouchers.hpp"
#include "premieres/rentals/failures.hpp"
#include "premieres/rentals/playback.hpp"
#include "premieres/rentals/viewing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace rentals = chance::premieres::rentals;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        auto b = rentals::read_beacon(in);
        if (!rentals::session_shaped(b.session)) std::abort();
        if (b.position && (*b.position < 0 || *b.position > 7 * 24 * 3600)) std::abort();
        if (b.error && (b.error->empty() || b.error->size() > 800)) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    try {
        auto r = rentals::read_problem_report(in);
        if (r.text.empty() || r.text.size() > 4000 || (r.session && !rentals::session_shaped(*r.session))) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    // A theatre voucher's code as typed (ADR 0028): 16 upper-case hex characters or nothing.
    if (auto code = chance::premieres::ordering::voucher_code(in)) {
        if (code->size() != 16 || code->find_first_not_of("0123456789ABCDEF") != std::string::npos) std::abort();
        if (chance::premieres::ordering::voucher_code(chance::premieres::ordering::voucher_display(*code)) != code)
            std::abort();
    }
    // A new live show's body and a card page's premiere list (ADR 0027): valid or a 400.
    try {
        auto show = chance::premieres::ordering::read_new_show(in);
        if (show.capacity < 1 || show.capacity > 100000) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    try {
        auto ids = chance::premieres::ordering::read_premiere_ids(in);
        if (ids.empty() || ids.size() > 50) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    static const std::string key(32, 'm');
    std::string text(in);
    if (auto g = chance::premieres::verify_media(text, key, 0)) {
        // Only a token this key signed verifies, and it signs back to itself.
        if (chance::premieres::sign_media(*g, key) != text) std::abort();
    }
    auto device = rentals::device_label(in);
    if (device.size() > 200) std::abort();
    for (char c : device)
        if (c < ' ' || c >= 127) std::abort();
    (void)rentals::session_shaped(in);
    return 0;
}
