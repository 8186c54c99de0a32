#include <cstdio>

#include "chance/core/config.hpp"
#include "chance/http/server.hpp"
#include "chance/service/runtime.hpp"
#include "identity/service.hpp"

int main(int argc, char** argv) {
    chance::http::block_termination_signals();
    try {
        chance::service::Runtime rt(chance::identity::spec(), argc, argv);
        chance::identity::install(rt);
        return rt.run();
    } catch (const chance::core::ConfigError& e) {
        std::fprintf(stderr, "chance-identity: %s\n", e.what());
        return 2;
    }
}
