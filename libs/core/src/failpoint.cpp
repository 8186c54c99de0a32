#include "chance/core/failpoint.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace chance {

void failpoint(std::string_view name) {
    static const std::string armed = [] {
        const char* v = std::getenv("CHANCE_FAILPOINTS");  // NOLINT(concurrency-mt-unsafe): nothing sets the env
        return v ? "," + std::string(v) + "," : std::string();
    }();
    if (armed.empty() || armed.find("," + std::string(name) + ",") == std::string::npos) return;
    std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"failpoint reached: exiting\",\"failpoint\":\"%.*s\"}\n",
                 static_cast<int>(name.size()), name.data());
    std::fflush(stderr);
    std::_Exit(86);
}

}  // namespace chance
