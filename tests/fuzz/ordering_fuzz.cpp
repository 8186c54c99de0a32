// Fuzzes what customers send to premieres' ordering: the bodies of POST /orders (each line read or its errors
// listed), POST /rent/, POST /cart/items and PATCH /cart/items/:id, a live show's seat included (ADR 0027). A body
// is read within its bounds or answers 400; nothing else escapes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chance/core/error.hpp"
#include "chance/core/time.hpp"
#include "premieres/ordering/routes.hpp"

namespace {
bool id_ok(std::optional<int64_t> id) { return !id || *id >= 1; }
bool period_ok(std::optional<int64_t> p) { return !p || (*p >= 1 && *p <= 720); }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace ordering = chance::premieres::ordering;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        auto form = ordering::read_order_form(in);
        for (const auto& line : form.lines) {
            // A line read without errors has its premiere and period within bounds; one with errors names them.
            if (line.errors.empty() && (!line.premiere_id || !line.period)) std::abort();
            if (!id_ok(line.premiere_id) || !id_ok(line.show_id) || !period_ok(line.period)) std::abort();
            if (line.starts_at && line.starts_at->size() > 40) std::abort();
            for (const auto& e : line.errors)
                if (e.error.field.rfind("items[", 0) != 0) std::abort();
        }
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    try {
        auto rent = ordering::read_rent(in);
        if (rent.premiere_id < 1 || !period_ok(rent.period) || !id_ok(rent.show_id)) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    try {
        auto add = ordering::read_cart_add(in);
        if (add.premiere_id < 1 || !period_ok(add.period) || !id_ok(add.show_id)) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    try {
        auto change = ordering::read_cart_update(in);
        if (!period_ok(change.period) || !id_ok(change.show_id)) std::abort();
        // A start is kept normalised: it reads back as a time.
        if (change.starts_at && !chance::time::parse_rfc3339(*change.starts_at)) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400) std::abort();
    }
    return 0;
}
