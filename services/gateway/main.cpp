#include <cstdio>

#include "chance/core/config.hpp"
#include "chance/http/server.hpp"
#include "chance/service/runtime.hpp"
#include "gateway/service.hpp"

int main(int argc, char** argv) {
    chance::http::block_termination_signals();
    try {
        chance::service::Runtime rt(chance::gateway::spec(), argc, argv);
        chance::gateway::install(rt);
        return rt.run();
    } catch (const chance::core::ConfigError& e) {
        std::fprintf(stderr, "chance-gateway: %s\n", e.what());
        return 2;
    }
}
