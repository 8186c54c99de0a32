#include "premieres/pricing.hpp"

#include <boost/json.hpp>

#include <stdexcept>
#include <string>

namespace chance::premieres {

Quote quote(Money online_price, int factor_milli, int discount_percent,
            std::optional<std::chrono::system_clock::time_point> discount_until,
            std::chrono::system_clock::time_point now) {
    if (factor_milli <= 0) throw std::invalid_argument("factor must be positive");
    Quote q;
    q.base = online_price.scale_half_up(factor_milli, 1000);
    bool active = discount_percent > 0 && (!discount_until || now < *discount_until);
    q.discount_percent = active ? discount_percent : 0;
    q.discount = active ? q.base.scale_half_up(discount_percent, 100) : Money::kopecks(0);
    q.total = q.base - q.discount;
    return q;
}

int parse_factor_milli(const std::string& s) {
    auto dot = s.find('.');
    std::string whole = s.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    if (whole.empty() || frac.size() > 3) throw std::invalid_argument("bad factor " + s);
    for (char c : whole + frac)
        if (c < '0' || c > '9') throw std::invalid_argument("bad factor " + s);
    while (frac.size() < 3) frac += '0';
    return std::stoi(whole) * 1000 + std::stoi(frac);
}

std::map<int, int> period_factors(const std::string& periods_json) {
    std::map<int, int> out;
    auto parsed = boost::json::parse(periods_json);  // kept: as_array() of a temporary would dangle
    for (const auto& v : parsed.as_array()) {
        const auto& p = v.as_object();
        out[static_cast<int>(p.at("hours").as_int64())] = parse_factor_milli(std::string(p.at("factor").as_string()));
    }
    return out;
}

std::string period_list(const std::map<int, int>& factors) {
    std::string s;
    for (auto [hours, _] : factors) s += (s.empty() ? "" : ", ") + std::to_string(hours);
    return s;
}

}  // namespace chance::premieres
