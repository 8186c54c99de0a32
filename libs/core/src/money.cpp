#include "chance/core/money.hpp"

namespace chance {

__extension__ typedef __int128 Int128;

Money Money::rubles(int64_t r) {
    int64_t k;
    if (__builtin_mul_overflow(r, 100, &k)) throw MoneyOverflow("money overflow");
    return Money(k);
}

Money Money::operator+(Money o) const {
    int64_t r;
    if (__builtin_add_overflow(kopecks_, o.kopecks_, &r)) throw MoneyOverflow("money overflow");
    return Money(r);
}

Money Money::operator-(Money o) const {
    int64_t r;
    if (__builtin_sub_overflow(kopecks_, o.kopecks_, &r)) throw MoneyOverflow("money overflow");
    return Money(r);
}

Money Money::operator*(int64_t n) const {
    int64_t r;
    if (__builtin_mul_overflow(kopecks_, n, &r)) throw MoneyOverflow("money overflow");
    return Money(r);
}

Money Money::scale_half_up(int64_t num, int64_t den) const {
    if (den <= 0) throw std::invalid_argument("denominator must be positive");
    Int128 p = static_cast<Int128>(kopecks_) * num;
    Int128 q = p / den;
    Int128 rem = p % den;
    if (rem < 0) rem = -rem;
    if (rem * 2 >= den) q += (p < 0 ? -1 : 1);
    if (q > INT64_MAX || q < INT64_MIN) throw MoneyOverflow("money overflow");
    return Money(static_cast<int64_t>(q));
}

Money Money::minus_percent(int percent) const {
    if (percent < 0 || percent > 100) throw std::invalid_argument("percent out of range");
    return *this - scale_half_up(percent, 100);
}

std::string Money::format() const {
    static const std::string kNbsp = "\xC2\xA0";
    uint64_t abs = kopecks_ < 0 ? static_cast<uint64_t>(-(kopecks_ + 1)) + 1 : static_cast<uint64_t>(kopecks_);
    std::string rub = std::to_string(abs / 100);
    std::string grouped;
    int n = 0;
    for (auto it = rub.rbegin(); it != rub.rend(); ++it) {
        if (n && n % 3 == 0) grouped.insert(0, kNbsp);
        grouped.insert(grouped.begin(), *it);
        ++n;
    }
    unsigned kop = static_cast<unsigned>(abs % 100);
    std::string out = (kopecks_ < 0 ? "-" : "") + grouped + "," + (kop < 10 ? "0" : "") + std::to_string(kop);
    return out + kNbsp + "₽";
}

}  // namespace chance
