#include "notifications/service.hpp"

namespace chance::notifications {

service::ServiceSpec spec() { return {.name = "notifications", .default_port = 8084, .settings = {}}; }

void install(service::Runtime&) {}

}  // namespace chance::notifications
