#pragma once
#include "chance/http/router.hpp"

namespace chance::http {

// Takes X-Request-Id (when it looks sane) or makes one, sets the log scope and traceparent, and echoes
// the id in the response.
Middleware request_id_middleware();
// One access-log line and request count/latency metrics per request, labelled by route and status.
Middleware access_log_middleware();

}  // namespace chance::http
