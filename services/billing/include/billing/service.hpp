#pragma once
#include "chance/service/runtime.hpp"

namespace chance::billing {

service::ServiceSpec spec();
// Ledger API, the sandbox payment provider's pages and webhook, and the outbox relay.
void install(service::Runtime& rt);

}  // namespace chance::billing
