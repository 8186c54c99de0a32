#pragma once
// Small text helpers shared by services: escaping for HTML/XML output and parsing ids from URLs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chance::text {

// Escapes & < > " ' for HTML and XML text and attribute values.
std::string html_escape(std::string_view s);
// A positive decimal id of at most 18 digits, or nullopt (so that no id can overflow int64).
std::optional<int64_t> positive_id(std::string_view s);

}  // namespace chance::text
