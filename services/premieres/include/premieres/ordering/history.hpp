#pragma once
// «Мои заказы» (ADR 0019): a customer's orders with their lines, the money each moved (the payment, a surcharge or a
// refund when a rental was changed, a refund when one was cancelled or the show sold out) and a receipt for each
// movement. Read from the order tables and the rentals' append-only history; nothing is written.
#include <optional>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/ordering/domain.hpp"
#include "premieres/ordering/receipt.hpp"

namespace chance::premieres::ordering {

// Every read is scoped to the customer: another's order is not found.
class History {
  public:
    History(pg::Pool& pool, Seller seller) : pool_(pool), seller_(std::move(seller)) {}
    // Newest first, `limit` orders placed before the order `before` (an id from an earlier page).
    std::vector<HistoryOrder> list(const std::string& user, int limit, const std::optional<std::string>& before);
    // The receipt's HTML; not found unless the order is the customer's and has that receipt.
    std::string receipt(const std::string& user, const std::string& order_id, const std::string& receipt,
                        const std::string& time_zone);

  private:
    pg::Pool& pool_;
    Seller seller_;
};

}  // namespace chance::premieres::ordering
