#pragma once
// Crash points for fault tests. With CHANCE_FAILPOINTS="name[,name…]" in the environment, the first time
// failpoint(name) is reached the process ends at once, without cleanup (as kill -9 would), exit code 86.
// Unset — the only production state — it costs one getenv at first use.
#include <string_view>

namespace chance {

void failpoint(std::string_view name);

}  // namespace chance
