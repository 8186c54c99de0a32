#pragma once
// A printable receipt of one payment or refund of an order (ADR 0019): the page «Мои заказы» links to.
#include <functional>
#include <string>

#include "premieres/ordering/domain.hpp"

namespace chance::premieres::ordering {

// The store's details printed on a receipt (the premieres service's settings).
struct Seller {
    std::string name;
    std::string inn;
    std::string address;
    std::string tax_system;
    std::string vat;  // none | 0 | 10 | 20: the rate of every line
    std::string site;
    std::string email;
};

// The receipt of movement `m` of `order` as an HTML page: 54-ФЗ's fields that the store holds (the seller, the
// operation, the time, each line with its price and VAT, the total, the form of payment). `local` turns an RFC 3339
// time into the customer's local «ДД.ММ.ГГГГ ЧЧ:ММ». Every text from the catalog is escaped; a seller's detail
// not set is printed as «не указано».
std::string render_receipt(const Seller& seller, const HistoryOrder& order, const Movement& m,
                           const std::function<std::string(const std::string&)>& local);

}  // namespace chance::premieres::ordering
