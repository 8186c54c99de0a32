#include "sandbox_acquirer/cards.hpp"

#include <cstdio>

namespace chance::acquirer {

bool luhn_valid(const std::string& digits) {
    if (digits.size() < 12 || digits.size() > 19) return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (*it < '0' || *it > '9') return false;
        int d = *it - '0';
        if (twice) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

CardCheck check_card(const std::string& number, const std::string& expiry, const std::string& cvc, int now_year,
                     int now_month) {
    CardCheck c;
    std::string digits;
    for (char ch : number) {
        if (ch == ' ' || ch == '-') continue;
        digits += ch;
    }
    if (!luhn_valid(digits)) {
        c.error_field = "number";
        c.error = "Проверьте номер карты";
        return c;
    }
    int mm = 0, yy = 0;
    if (expiry.size() != 5 || expiry[2] != '/' || std::sscanf(expiry.c_str(), "%2d/%2d", &mm, &yy) != 2 || mm < 1 ||
        mm > 12) {
        c.error_field = "expiry";
        c.error = "Срок действия в формате ММ/ГГ";
        return c;
    }
    int year = 2000 + yy;
    if (year < now_year || (year == now_year && mm < now_month)) {
        c.error_field = "expiry";
        c.error = "Срок действия карты истёк";
        return c;
    }
    if (cvc.size() != 3 || cvc.find_first_not_of("0123456789") != std::string::npos) {
        c.error_field = "cvc";
        c.error = "CVC — три цифры на обороте карты";
        return c;
    }
    if (digits == "4000000000000002")
        c.outcome = CardOutcome::decline;
    else if (digits == "4000000000003220")
        c.outcome = CardOutcome::needs_confirmation;
    return c;
}

}  // namespace chance::acquirer
