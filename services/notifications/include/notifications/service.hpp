#pragma once
#include "chance/service/runtime.hpp"

namespace chance::notifications {

service::ServiceSpec spec();
// Registers the routes, background workers and start-up hooks of the notifications service.
void install(service::Runtime& rt);

}  // namespace chance::notifications
