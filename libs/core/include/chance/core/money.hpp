#pragma once
// Money is an integer number of kopecks; arithmetic that would overflow throws instead of wrapping.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace chance {

class MoneyOverflow : public std::overflow_error {
    using std::overflow_error::overflow_error;
};

class Money {
  public:
    constexpr Money() = default;
    static constexpr Money kopecks(int64_t k) { return Money(k); }
    static Money rubles(int64_t r);

    constexpr int64_t as_kopecks() const { return kopecks_; }
    const char* currency() const { return "RUB"; }

    Money operator+(Money o) const;
    Money operator-(Money o) const;
    Money operator*(int64_t n) const;
    // Multiplies by num/den and rounds half away from zero to the kopeck (den > 0).
    Money scale_half_up(int64_t num, int64_t den) const;
    // Subtracts percent % (0..100), rounding the discount half-up; the result is the price to pay.
    Money minus_percent(int percent) const;

    auto operator<=>(const Money&) const = default;

    // "1 234,50 ₽" with U+00A0 as the group separator and before the sign.
    std::string format() const;

  private:
    constexpr explicit Money(int64_t k) : kopecks_(k) {}
    int64_t kopecks_ = 0;
};

}  // namespace chance
