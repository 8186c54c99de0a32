#pragma once
// What premieres holds about one customer (docs/adr/0021): their orders with the money each moved, their rentals
// and their cart, for the customer's download; and premieres' part of an account's deletion (account.deleted):
// the cart is emptied, the rentals that have not ended stop and their streams end. Orders stay: the ledger's records
// name them.
#include <boost/json/object.hpp>
#include <string>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/ordering/history.hpp"
#include "premieres/ordering/orders.hpp"
#include "premieres/rentals/rentals.hpp"
#include "premieres/rentals/viewing.hpp"

namespace chance::premieres {

class CustomerData {
  public:
    CustomerData(ordering::Orders& orders, ordering::History& history, rentals::Rentals& rentals,
                 rentals::Viewing& viewing)
        : orders_(orders), history_(history), rentals_(rentals), viewing_(viewing) {}
    // {orders, rentals, cart, playback}, as «Мои заказы», «Мои премьеры» and the cart show them (every order, not a
    // page), and every playback session (device, times, position, errors).
    boost::json::object export_of(const std::string& user);
    // In the consumer's transaction of account.deleted: empties the cart and stops (cancels, without a refund) every
    // rental that has not ended, each stop recorded in the rental's history; live playback sessions end and every
    // session forgets its device. Repeating it changes nothing.
    static void erase(pg::Transaction& tx, const std::string& user);

  private:
    ordering::Orders& orders_;
    ordering::History& history_;
    rentals::Rentals& rentals_;
    rentals::Viewing& viewing_;
};

// GET /internal/users/:id/data and GET /internal/orders/:id/owner (services only).
void install_customer_data_routes(http::Router& router, CustomerData& data, pg::Pool& pool);

}  // namespace chance::premieres
