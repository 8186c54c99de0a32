#pragma once
// Routes with path parameters (/api/v1/premiere/:id) and a trailing wildcard (/static/*), method
// matching (405 with Allow), and a middleware chain. A trailing slash is not significant, so the spec's
// /api/v1/search/ and /api/v1/search are one route. Handlers run on worker threads, never on I/O threads,
// unless the route is registered as non-blocking (ADR 0001, amended): then the handler and the middleware
// chain run on the connection's I/O thread and save two thread hand-offs.
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "chance/http/message.hpp"

namespace chance::http {

using Handler = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Handler& next)>;

// Where a route's handler runs. `blocking` (the default) hands it to the worker pool; `non_blocking` runs it
// on the I/O thread, so the handler and every middleware must never wait (healthz, metrics, answers served
// from memory). A non-blocking handler that finds it would have to wait calls chance::may_block() (the
// database pool and the HTTP client do), which throws WouldBlock there: the server then runs the request
// again, from the first middleware, on the worker pool. Middlewares must therefore be repeatable. A route that
// can tell from the request alone that it will have to wait gives an `InlineWhen`: a request it says no to goes
// to the worker pool at once, without the throw and the second pass through the middlewares.
enum class Dispatch { blocking, non_blocking };
using InlineWhen = std::function<bool(const Request&)>;

class Router {
  public:
    void add(std::string method, std::string pattern, Handler handler, Dispatch dispatch = Dispatch::blocking,
             InlineWhen inline_when = nullptr);
    void get(std::string pattern, Handler h, Dispatch d = Dispatch::blocking) {
        add("GET", std::move(pattern), std::move(h), d);
    }
    void post(std::string pattern, Handler h) { add("POST", std::move(pattern), std::move(h)); }
    void patch(std::string pattern, Handler h) { add("PATCH", std::move(pattern), std::move(h)); }
    void put(std::string pattern, Handler h) { add("PUT", std::move(pattern), std::move(h)); }
    void del(std::string pattern, Handler h) { add("DELETE", std::move(pattern), std::move(h)); }
    // Middlewares run in the order added, outermost first.
    void use(Middleware m) { middlewares_.push_back(std::move(m)); }

    // Never throws, except WouldBlock (see Dispatch): every error becomes a problem+json response.
    Response handle(Request& req) const;
    // Matches the request to its route (kept in the request for handle()) and says whether it may be
    // handled on the I/O thread: a non-blocking route (whose InlineWhen, if any, says yes to the request), or no
    // route at all (404/405 need no waiting).
    bool runs_inline(Request& req) const;

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        Dispatch dispatch;
        InlineWhen inline_when;  // non-blocking routes: null, or whether this request is tried on the I/O thread
    };
    Response dispatch(Request& req) const;
    // Index of the matching route for the request's method; Request::kNoRoute when there is none.
    size_t resolve(Request& req) const;
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
