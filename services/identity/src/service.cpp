#include "identity/service.hpp"

namespace chance::identity {

service::ServiceSpec spec() { return {.name = "identity", .default_port = 8081, .settings = {}}; }

void install(service::Runtime&) {}

}  // namespace chance::identity
