// Fuzzes the admin's premiere reader: any body either becomes a draft that obeys every catalog rule
// (and survives its own JSON round trip) or a 400/422 problem; never a crash, never a half-valid draft.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chance/core/error.hpp"
#include "chance/core/json.hpp"
#include "premieres/catalog/admin.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        auto d = chance::premieres::read_premiere(chance::json::parse_object(in));
        if (d.price_online < 0 || d.price_theatre < 0 || d.discount_percent < 0 || d.discount_percent > 100)
            std::abort();
        if (d.periods.empty() || d.reservable_until <= d.reservable_from) std::abort();
        bool base = false;
        for (const auto& p : d.periods) {
            if (p.hours <= 0 || p.factor_milli <= 0) std::abort();
            base |= p.hours == d.base_period_hours;
        }
        if (!base) std::abort();
        auto again = chance::premieres::read_premiere(chance::premieres::to_json(d));
        if (chance::premieres::to_json(again) != chance::premieres::to_json(d)) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400 && p.status() != 422) std::abort();
    }
    return 0;
}
