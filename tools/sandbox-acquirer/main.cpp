// chance-sandbox-acquirer: the local stand-in for a payment acquirer (see README.md). Not part of the store.
#include <cstdio>

#include "chance/auth/auth.hpp"
#include "chance/core/config.hpp"
#include "chance/core/log.hpp"
#include "chance/http/server.hpp"
#include "sandbox_acquirer/acquirer.hpp"

int main(int argc, char** argv) {
    chance::http::block_termination_signals();
    try {
        auto config = chance::core::Config::load(
            {{"http-host", "127.0.0.1", "address to listen on"},
             {"http-port", "10090", "port to listen on"},
             {"public-origin", "http://localhost:8080",
              "the origin customers reach its pages at (the store's gateway fronts /pay/* in development)"},
             {"webhook-url", "http://127.0.0.1:8083/api/v1/payments/webhook", "the merchant's notification URL"},
             {"payment-webhook-secret", std::nullopt, "64 hex chars: HMAC key shared with the merchant", true},
             {"log-level", "info", "debug|info|warn|error"}},
            argc, argv);
        chance::log::init("sandbox-acquirer", chance::log::parse_level(config.get("log-level")));
        chance::acquirer::Acquirer acquirer({.public_origin = config.get("public-origin"),
                                             .webhook_url = config.get("webhook-url"),
                                             .key = chance::auth::key_from_hex(config.get("payment-webhook-secret"))});
        chance::http::Router router;
        acquirer.install(router);
        chance::http::ServerOptions opt;
        opt.host = config.get("http-host");
        opt.port = static_cast<uint16_t>(config.get_int("http-port"));
        opt.worker_threads = 4;
        chance::http::Server server(opt, router);
        server.start();
        chance::log::info("listening", {{"port", server.port()}, {"webhook_url", config.get("webhook-url")}});
        chance::http::wait_for_termination();
        server.shutdown();
        return 0;
    } catch (const chance::core::ConfigError& e) {
        std::fprintf(stderr, "chance-sandbox-acquirer: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chance-sandbox-acquirer: %s\n", e.what());
        return 1;
    }
}
