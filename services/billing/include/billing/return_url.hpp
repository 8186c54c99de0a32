#pragma once
// Where a payment may send the browser back: a path on the store's own origin. Pure; unit-tested.
#include <string_view>

namespace chance::billing {

// True for a path that starts with a single "/" and holds no backslash and no control character: browsers
// drop TAB, CR and LF from addresses and read "\" as "/", so "/\t/evil.example" or "/\evil.example" would
// lead to another site, as "//evil.example" does.
bool is_store_path(std::string_view url);

}  // namespace chance::billing
