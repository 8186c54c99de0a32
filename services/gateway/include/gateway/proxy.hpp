#pragma once
// Routes /api/v1/* to the service that owns it (docs/architecture.md §2) and passes the answer back.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chance/http/client.hpp"
#include "chance/http/message.hpp"

namespace chance::gateway {

// payment_page: the acquirer's confirmation pages (/pay/*) when a local acquirer (the sandbox) shares the
// store's origin; they get no identity, as an acquirer's page on its own origin would not.
enum class Upstream { identity, premieres, billing, notifications, payment_page };

struct RouteDecision {
    Upstream upstream;
    bool internal_only = false;  // never reachable from outside (billing withdraw/refund)
};

// Pure routing table, unit-tested: which service owns a public path.
std::optional<RouteDecision> route_for(std::string_view path);

class Upstreams {
  public:
    Upstreams(std::string identity, std::string premieres, std::string billing, std::string notifications,
              std::string payment_page);
    http::Client& get(Upstream u);

  private:
    std::unique_ptr<http::Client> clients_[5];
};

// Forwards the request (method, path, query, body, selected headers) with the signed identity header
// (or none for anonymous callers; any identity header the client sent is dropped). `conditional`: pass the
// client's If-None-Match on (the service may answer 304); without it the whole answer comes back.
http::Response forward(http::Client& client, const http::Request& req, const std::optional<std::string>& identity,
                       bool conditional = true);

}  // namespace chance::gateway
