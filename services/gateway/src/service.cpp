#include "gateway/service.hpp"

#include "chance/core/error.hpp"
#include "gateway/proxy.hpp"

namespace chance::gateway {

service::ServiceSpec spec() {
    return {.name = "gateway",
            .default_port = 8080,
            .settings = {{"identity-url", "http://127.0.0.1:8081", "identity service"},
                         {"premieres-url", "http://127.0.0.1:8082", "premieres service"},
                         {"billing-url", "http://127.0.0.1:8083", "billing service"},
                         {"notifications-url", "http://127.0.0.1:8084", "notifications service"},
                         {"web-dist", "", "built SPA (web/dist)"},
                         {"public-origin", "http://localhost:8080", "the origin customers use"}},
            .uses_nats = false};
}

void install(service::Runtime& rt) {
    auto ups = std::make_shared<Upstreams>(rt.config().get("identity-url"), rt.config().get("premieres-url"),
                                           rt.config().get("billing-url"), rt.config().get("notifications-url"));
    auto proxy = [ups](http::Request& req) -> http::Response {
        auto decision = route_for(req.path);
        if (!decision || decision->internal_only) throw not_found("Такого адреса нет");
        return forward(ups->get(decision->upstream), req, std::nullopt);
    };
    for (auto method : {"GET", "POST", "PATCH", "PUT", "DELETE"}) {
        rt.router().add(method, "/api/v1/*", proxy);
        rt.router().add(method, "/pay/*", proxy);
    }
    rt.router().add("GET", "/media/*", proxy);
}

}  // namespace chance::gateway
