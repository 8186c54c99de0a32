#pragma once
// Refunds by the store's staff (docs/adr/0022): a support member or an admin gives money back on an order, or on one
// of its rentals, with a reason the customer is told. The money goes to the customer's balance through billing's
// idempotent refund; the refund is a `staff_refund` event in the order's history (who, when, why, how much), so it
// shows in «Мои заказы» with its receipt, and the customer is emailed. Never more than the order's payments less its
// refunds; a support member at most their limit per refund.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "chance/pg/pg.hpp"
#include "premieres/clients/billing_client.hpp"

namespace chance::premieres::ordering {

struct StaffRefundRequest {
    int64_t amount = 0;  // kopecks
    std::string reason;
    std::optional<int64_t> rental_id;  // nullopt: the order as a whole
    // Everything the rental (or order) still holds, counted under the order's lock (`amount` unused): the store's
    // own refunds of a rental it failed to play, and a problem report's refund (ADR 0026).
    bool rest = false;
};
// POST /admin/orders/:id/refunds's body: 400 naming `amount`, `reason` or `rental_id`.
StaffRefundRequest read_staff_refund(std::string_view body);

struct StaffMember {
    std::string user_id;
    std::string role;  // support | admin | store (the store itself, ADR 0026)
};

class StaffRefunds {
  public:
    struct Config {
        int64_t support_limit = 100'000;  // kopecks a support member may refund at once
        std::string public_origin = "http://localhost:8080";
    };
    StaffRefunds(pg::Pool& pool, const billing::Client& billing, Config config)
        : pool_(pool), billing_(billing), config_(std::move(config)) {}

    // {id, order_id, rental_id, amount, reason, refunded, refundable, balance}. The same `key` with the same request
    // answers the first refund again; with another request it is a 409. 403 over a support member's limit, 404 no
    // such order, 409 not paid (or, for `rest`, nothing left: type nothing-to-refund), 422 naming `amount` over what
    // can be refunded or `rental_id` not of this order.
    boost::json::object refund(const StaffMember& staff, const std::string& order_id, const std::string& key,
                               const StaffRefundRequest& request);

  private:
    pg::Pool& pool_;
    const billing::Client& billing_;
    Config config_;
};

}  // namespace chance::premieres::ordering
