#include "billing/return_url.hpp"

namespace chance::billing {

bool is_store_path(std::string_view url) {
    if (url.empty() || url[0] != '/' || (url.size() > 1 && url[1] == '/')) return false;
    for (char c : url) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '\\') return false;
    }
    return true;
}

}  // namespace chance::billing
