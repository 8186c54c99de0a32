#pragma once
// Rentals' HTTP routes: «Мои премьеры», cancel and change (PATCH /rentals/:id, read into a typed Change).
#include <boost/json/object.hpp>
#include <string_view>

#include "chance/http/router.hpp"
#include "premieres/rentals/rentals.hpp"

namespace chance::premieres::rentals {

// PATCH /rentals/:id's body: {period?, starts_at?}, at least one; 400 otherwise.
Change read_change(std::string_view body);

boost::json::object to_json(const Rental& r);

void install_routes(http::Router& router, Rentals& rentals);

}  // namespace chance::premieres::rentals
