#pragma once
#include "chance/service/runtime.hpp"

namespace chance::notifications {

service::ServiceSpec spec();
// The SendNotify consumer, the delivery worker (email over SMTP, SMS over HTTP), in-app inbox,
// preferences and the operators' dead-letter endpoints.
void install(service::Runtime& rt);

}  // namespace chance::notifications
