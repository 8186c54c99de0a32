#pragma once
// Small text helpers shared by services: escaping for HTML/XML output, parsing ids from URLs, and reading and
// writing UTF-8.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chance::text {

// Escapes & < > " ' for HTML and XML text and attribute values.
std::string html_escape(std::string_view s);
// `s` with A–Z turned into a–z (header names, directives, email addresses as keys); other bytes as they are.
std::string ascii_lower(std::string_view s);
// A positive decimal id of at most 18 digits, or nullopt (so that no id can overflow int64).
std::optional<int64_t> positive_id(std::string_view s);

// The code point of `s` at byte `i` into `cp`, `i` advanced past it; false for anything but strict UTF-8 (a
// sequence cut short, an overlong form, a surrogate, beyond U+10FFFF), `i` then unchanged.
bool utf8_next(std::string_view s, size_t& i, char32_t& cp);
// `cp` (a Unicode scalar value) appended to `out` in UTF-8.
void utf8_append(std::string& out, char32_t cp);
// The code points of strict UTF-8, or nullopt.
std::optional<std::u32string> utf8_decode(std::string_view s);

}  // namespace chance::text
