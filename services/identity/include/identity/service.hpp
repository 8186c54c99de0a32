#pragma once
#include "chance/service/runtime.hpp"

namespace chance::identity {

service::ServiceSpec spec();
// Registers the routes, background workers and start-up hooks of the identity service.
void install(service::Runtime& rt);

}  // namespace chance::identity
