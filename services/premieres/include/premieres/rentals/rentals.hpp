#pragma once
// «Мои премьеры»: a customer's rentals with their derived status; cancelling one before its start (a full
// refund through billing, key cancel:<rental>); changing one (extend any time before the end, at the current
// price of the new period; shorten or move the start only before the start, the difference refunded); and the
// reminders the scheduler sends (rental_starting_soon, rental_started, rental_unwatched, rental_ending_soon; each
// once, none for a cancelled rental). Every change is a rental event.
#include <chrono>
#include <string>
#include <vector>

#include "chance/core/time.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/clients/billing_client.hpp"
#include "premieres/rentals/domain.hpp"

namespace chance::premieres::rentals {

struct Config {
    std::chrono::minutes reminder_lead{60};  // «Скоро закончится» this long before the end
    std::chrono::minutes soon_lead{15};      // «Скоро начало» this long before the start
    std::string public_origin = "http://localhost:8080";
};

class Rentals {
  public:
    Rentals(pg::Pool& pool, const billing::Client& billing, const time::Clock& clock, Config config = {});

    std::vector<Rental> list(const std::string& user);
    // 404 when the customer has no such rental.
    Rental get(const std::string& user, int64_t id);
    Rental cancel(const std::string& user, int64_t id);
    Rental change(const std::string& user, int64_t id, const Change& change);

    // The scheduler's pass: «starting soon», «window opened», «not started watching» and «ending soon» messages
    // in the outbox; returns how many.
    int send_reminders();

  private:
    // "Now" as a query parameter, to the millisecond: a window compared at whole seconds stays open up to a
    // second past its end.
    std::string now_param() const;
    pg::Pool& pool_;
    const billing::Client& billing_;
    const time::Clock& clock_;
    Config config_;
};

}  // namespace chance::premieres::rentals
