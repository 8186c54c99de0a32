// Fuzzes the catalog import's file reader (ADR 0023), as CSV and as JSON: any file either is refused as a whole (a 400
// naming `file`) or is read into valid drafts and errors row by row that together account for every premiere in it;
// never a crash. The CSV records parser never loses a field: joining the records it read gives no more records.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "chance/core/error.hpp"
#include "premieres/catalog/import.hpp"

namespace {
void read_as(std::string_view in, std::string_view type) {
    try {
        auto f = chance::premieres::read_import(in, type);
        std::set<int> bad;
        for (const auto& e : f.errors) {
            if (e.row < 1 || e.field.empty() || e.message.empty()) std::abort();
            bad.insert(e.row);
        }
        if (f.drafts.size() + bad.size() != static_cast<size_t>(f.total)) std::abort();
        for (const auto& d : f.drafts)
            if (d.slug.empty() || d.periods.empty() || d.reservable_until <= d.reservable_from) std::abort();
    } catch (const chance::Problem& p) {
        if (p.status() != 400 || p.errors().empty() || p.errors().front().field != "file") std::abort();
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    read_as(in, "text/csv; charset=utf-8");
    read_as(in, "application/json");
    try {
        auto records = chance::premieres::parse_csv(in, ';');
        for (const auto& r : records)
            if (r.empty()) std::abort();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
