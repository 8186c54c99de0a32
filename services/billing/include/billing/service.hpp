#pragma once
#include "chance/service/runtime.hpp"

namespace chance::billing {

service::ServiceSpec spec();
// Registers the routes, background workers and start-up hooks of the billing service.
void install(service::Runtime& rt);

}  // namespace chance::billing
