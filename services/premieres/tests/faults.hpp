#pragma once
// The fields a validation throws, for the unit tests of the premieres' parsers.
#include <string>
#include <vector>

#include "chance/core/error.hpp"

namespace chance::premieres::testing {

// The fields of the problem `f` throws; {"(nothing thrown)"} when it throws none.
template <typename F>
std::vector<std::string> faults(F&& f) {
    try {
        f();
    } catch (const Problem& p) {
        std::vector<std::string> fields;
        for (const auto& e : p.errors()) fields.push_back(e.field);
        return fields;
    }
    return {"(nothing thrown)"};
}

}  // namespace chance::premieres::testing
