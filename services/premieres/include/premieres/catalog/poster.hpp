#pragma once
// A premiere's poster, drawn rather than stored: its title and theatre on one of six palettes (by id).
#include <cstdint>
#include <string>
#include <string_view>

namespace chance::premieres {

// An SVG of 400 × 600: the title wrapped into lines of at most ~14 characters, the theatre below; both escaped.
std::string poster_svg(int64_t id, std::string_view title, std::string_view theatre);

}  // namespace chance::premieres
