#pragma once
#include "chance/service/runtime.hpp"

namespace chance::gateway {

service::ServiceSpec spec();
// Registers the gateway's routes: the public API proxied to the owning services, the SPA.
void install(service::Runtime& rt);

}  // namespace chance::gateway
