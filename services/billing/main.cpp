#include <cstdio>

#include "billing/service.hpp"
#include "chance/core/config.hpp"
#include "chance/http/server.hpp"
#include "chance/service/runtime.hpp"

int main(int argc, char** argv) {
    chance::http::block_termination_signals();
    try {
        chance::service::Runtime rt(chance::billing::spec(), argc, argv);
        chance::billing::install(rt);
        return rt.run();
    } catch (const chance::core::ConfigError& e) {
        std::fprintf(stderr, "chance-billing: %s\n", e.what());
        return 2;
    }
}
