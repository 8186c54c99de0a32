#include "premieres/service.hpp"

#include "premieres/catalog.hpp"

#ifndef CHANCE_PREMIERES_DIR
#error "CHANCE_PREMIERES_DIR must be defined"
#endif

namespace chance::premieres {

service::ServiceSpec spec() {
    return {.name = "premieres",
            .default_port = 8082,
            .settings = {{"billing-url", "http://127.0.0.1:8083", "billing service"},
                         {"seed", "", "demo = apply the demo catalog at start"},
                         {"seed-dir", std::string(CHANCE_PREMIERES_DIR) + "/seed", "demo catalog files"},
                         {"public-origin", "http://localhost:8080", "the origin customers use"}}};
}

void install(service::Runtime& rt) {
    static time::SystemClock clock;
    auto catalog = std::make_shared<Catalog>(rt.pool(), clock);
    install_catalog(rt.router(), *catalog);
    rt.keep(catalog);
    if (rt.config().get("seed") == "demo") {
        rt.on_ready([](service::Runtime& r) { seed_demo_catalog(r.db(), r.config().get("seed-dir")); });
    }
}

}  // namespace chance::premieres
