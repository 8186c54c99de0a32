#include <cstdio>

#include "chance/core/config.hpp"
#include "chance/http/server.hpp"
#include "chance/service/runtime.hpp"
#include "notifications/service.hpp"

int main(int argc, char** argv) {
    chance::http::block_termination_signals();
    try {
        chance::service::Runtime rt(chance::notifications::spec(), argc, argv);
        chance::notifications::install(rt);
        return rt.run();
    } catch (const chance::core::ConfigError& e) {
        std::fprintf(stderr, "chance-notifications: %s\n", e.what());
        return 2;
    }
}
