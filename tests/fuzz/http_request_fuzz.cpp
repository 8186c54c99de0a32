// Fuzzes the HTTP request path: raw bytes → the server's parser → Request (path, query, cookies) →
// a router with the shapes of our routes. Nothing may crash, and every answer must be a valid status.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chance/http/router.hpp"
#include "chance/http/server.hpp"

using namespace chance::http;

namespace {
const Router& router() {
    static Router x;
    static bool built = [] {
        x.get("/api/v1/premiere/:id", [](Request& q) { return Response::text(200, q.param("id")); });
        x.get("/api/v1/search/", [](Request& q) { return Response::text(200, q.query_param("q").value_or("")); });
        x.post("/api/v1/orders/:id/confirm", [](Request& q) { return Response::text(200, q.body); });
        x.get("/assets/*", [](Request& q) { return Response::text(200, q.param("*")); });
        return true;
    }();
    (void)built;
    return x;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto req = parse_raw_request(std::string_view(reinterpret_cast<const char*>(data), size), 4096, 2048);
    if (!req) return 0;
    (void)req->cookie("__Host-session");
    auto res = router().handle(*req);
    if (res.status < 200 || res.status > 599) std::abort();
    return 0;
}
