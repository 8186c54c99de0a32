#include "gateway/proxy.hpp"

#include "chance/auth/auth.hpp"

namespace chance::gateway {

namespace {
bool starts_with_segment(std::string_view path, std::string_view prefix) {
    if (path.rfind(prefix, 0) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/';
}
}  // namespace

std::optional<RouteDecision> route_for(std::string_view path) {
    if (starts_with_segment(path, "/api/v1/billing/withdraw") || starts_with_segment(path, "/api/v1/billing/refund") ||
        starts_with_segment(path, "/api/v1/internal"))
        return RouteDecision{Upstream::billing, true};
    if (starts_with_segment(path, "/api/v1/me/notifications") || starts_with_segment(path, "/api/v1/notifications"))
        return RouteDecision{Upstream::notifications};
    if (starts_with_segment(path, "/api/v1/billing") || starts_with_segment(path, "/api/v1/payments"))
        return RouteDecision{Upstream::billing};
    if (starts_with_segment(path, "/pay")) return RouteDecision{Upstream::payment_page};
    for (auto p :
         {"/api/v1/search", "/api/v1/premiere", "/api/v1/premieres", "/api/v1/rent", "/api/v1/cart", "/api/v1/orders",
          "/api/v1/rentals", "/api/v1/admin/premieres", "/api/v1/admin/orders", "/api/v1/admin/reports",
          "/api/v1/admin/imports", "/api/v1/admin/playback-problems", "/api/v1/admin/shows", "/api/v1/shows",
          "/api/v1/vouchers", "/api/v1/theatre", "/api/v1/admin/theatre-staff", "/media"})
        if (starts_with_segment(path, p)) return RouteDecision{Upstream::premieres};
    if (starts_with_segment(path, "/api/v1/admin/notifications")) return RouteDecision{Upstream::notifications};
    if (starts_with_segment(path, "/api/v1/users")) return RouteDecision{Upstream::identity};
    return std::nullopt;
}

Upstreams::Upstreams(std::string identity, std::string premieres, std::string billing, std::string notifications,
                     std::string payment_page) {
    clients_[0] = std::make_unique<http::Client>(std::move(identity));
    clients_[1] = std::make_unique<http::Client>(std::move(premieres));
    clients_[2] = std::make_unique<http::Client>(std::move(billing));
    clients_[3] = std::make_unique<http::Client>(std::move(notifications));
    clients_[4] = std::make_unique<http::Client>(std::move(payment_page));
}

http::Client& Upstreams::get(Upstream u) { return *clients_[static_cast<int>(u)]; }

http::Response forward(http::Client& client, const http::Request& req, const std::optional<std::string>& identity,
                       bool conditional) {
    http::Headers h;
    for (auto name : {"Content-Type", "Accept", "Idempotency-Key", "Range", "Accept-Language"})
        if (auto v = req.headers.get(name)) h.set(name, *v);
    if (auto v = req.headers.get("If-None-Match"); v && conditional) h.set("If-None-Match", *v);
    if (identity) h.set(auth::kIdentityHeader, *identity);
    h.set("X-Forwarded-For", req.remote_addr);
    auto target = req.target;
    auto res = client.send(req.method, target, h, req.body);
    http::Response out;
    out.status = res.status;
    for (auto name : {"Content-Type", "Cache-Control", "ETag", "Location", "Retry-After", "Allow", "Content-Range",
                      "Accept-Ranges", "Last-Modified", "Content-Disposition"})
        if (auto v = res.headers.get(name)) out.headers.set(name, *v);
    out.body = std::move(res.body);
    return out;
}

}  // namespace chance::gateway
