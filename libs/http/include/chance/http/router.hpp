#pragma once
// Routes with path parameters (/api/v1/premiere/:id) and a trailing wildcard (/static/*), method
// matching (405 with Allow), and a middleware chain. A trailing slash is not significant, so the spec's
// /api/v1/search/ and /api/v1/search are one route. Handlers run on worker threads, never on I/O threads.
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "chance/http/message.hpp"

namespace chance::http {

using Handler = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Handler& next)>;

class Router {
public:
    void add(std::string method, std::string pattern, Handler handler);
    void get(std::string pattern, Handler h) { add("GET", std::move(pattern), std::move(h)); }
    void post(std::string pattern, Handler h) { add("POST", std::move(pattern), std::move(h)); }
    void patch(std::string pattern, Handler h) { add("PATCH", std::move(pattern), std::move(h)); }
    void put(std::string pattern, Handler h) { add("PUT", std::move(pattern), std::move(h)); }
    void del(std::string pattern, Handler h) { add("DELETE", std::move(pattern), std::move(h)); }
    // Middlewares run in the order added, outermost first.
    void use(Middleware m) { middlewares_.push_back(std::move(m)); }

    // Never throws: every error becomes a problem+json response.
    Response handle(Request& req) const;

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    Response dispatch(Request& req) const;
    std::vector<Route> routes_;
    std::vector<Middleware> middlewares_;
    // Built once, at the first request; routes and middlewares are fixed by then.
    mutable std::once_flag built_;
    mutable Handler chain_;
};

// Splits a path into segments, ignoring empty ones (so a trailing slash does not matter).
std::vector<std::string> split_path(std::string_view path);
// Turns any exception into a response; internal details are logged, never returned.
Response error_response(std::exception_ptr e);

}  // namespace chance::http
