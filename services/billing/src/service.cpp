#include "billing/service.hpp"

namespace chance::billing {

service::ServiceSpec spec() { return {.name = "billing", .default_port = 8083, .settings = {}}; }

void install(service::Runtime&) {}

}  // namespace chance::billing
