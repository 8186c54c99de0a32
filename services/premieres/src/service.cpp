#include "premieres/service.hpp"

namespace chance::premieres {

service::ServiceSpec spec() { return {.name = "premieres", .default_port = 8082, .settings = {}}; }

void install(service::Runtime&) {}

}  // namespace chance::premieres
