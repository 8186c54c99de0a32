#pragma once
#include "chance/service/runtime.hpp"

namespace chance::billing {

service::ServiceSpec spec();
// Ledger API, payments through the configured acquirer with its webhook, and the outbox relay.
void install(service::Runtime& rt);

}  // namespace chance::billing
