#pragma once
#include "chance/service/runtime.hpp"

namespace chance::premieres {

service::ServiceSpec spec();
// Registers the routes, background workers and start-up hooks of the premieres service.
void install(service::Runtime& rt);

}  // namespace chance::premieres
