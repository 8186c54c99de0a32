#include "chance/http/router.hpp"

#include "chance/core/blocking.hpp"
#include "chance/core/log.hpp"
#include "chance/core/money.hpp"

namespace chance::http {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        if (j > i) out.emplace_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

void Router::add(std::string method, std::string pattern, Handler handler, Dispatch dispatch, InlineWhen inline_when) {
    auto segs = split_path(pattern);
    routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segs), std::move(handler), dispatch,
                            std::move(inline_when)});
}

namespace {
bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>& params) {
    size_t i = 0;
    for (; i < pattern.size(); ++i) {
        const auto& p = pattern[i];
        if (p == "*") {
            std::string rest;
            for (size_t k = i; k < path.size(); ++k) rest += (k > i ? "/" : "") + path[k];
            params["*"] = rest;
            return true;
        }
        if (i >= path.size()) return false;
        if (!p.empty() && p[0] == ':') {
            params[p.substr(1)] = path[i];
        } else if (p != path[i]) {
            return false;
        }
    }
    return i == path.size();
}
}  // namespace

Response error_response(std::exception_ptr e) {
    try {
        std::rethrow_exception(std::move(e));
    } catch (const Problem& p) {
        if (p.status() >= 500) log::warn("request failed", {{"status", p.status()}, {"error", p.what()}});
        return Response::problem(p);
    } catch (const MoneyOverflow&) {
        return Response::problem(unprocessable("Сумма слишком велика"));
    } catch (const std::exception& ex) {
        log::error("unhandled error", {{"error", ex.what()}});
    } catch (...) {
        log::error("unhandled non-standard exception");
    }
    return Response::problem(Problem(500, "Внутренняя ошибка", "Что-то пошло не так. Попробуйте ещё раз."));
}

size_t Router::resolve(Request& req) const {
    auto path = split_path(req.path);
    for (size_t i = 0; i < routes_.size(); ++i) {
        const auto& r = routes_[i];
        if (r.method != req.method && !(req.method == "HEAD" && r.method == "GET")) continue;
        std::map<std::string, std::string> params;
        if (!match(r.segments, path, params)) continue;
        req.params = std::move(params);
        req.route = r.pattern;
        return i;
    }
    return Request::kNoRoute;
}

bool Router::runs_inline(Request& req) const {
    if (req.route_index == Request::kUnresolved) req.route_index = resolve(req);
    if (req.route_index == Request::kNoRoute) return true;
    const auto& r = routes_[req.route_index];
    return r.dispatch == Dispatch::non_blocking && (!r.inline_when || r.inline_when(req));
}

Response Router::dispatch(Request& req) const {
    if (req.route_index == Request::kUnresolved) req.route_index = resolve(req);
    if (req.route_index != Request::kNoRoute) return routes_[req.route_index].handler(req);
    // No route for this method: 405 when the path exists under another method, else 404.
    auto path = split_path(req.path);
    std::string allow;
    for (const auto& r : routes_) {
        std::map<std::string, std::string> params;
        if (!match(r.segments, path, params)) continue;
        if (allow.find(r.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + r.method;
    }
    if (!allow.empty()) {
        req.route = "(405)";
        throw Problem(405, "Метод не поддерживается", "Этот адрес принимает: " + allow).with_header("Allow", allow);
    }
    req.route = "(404)";
    throw not_found("Такого адреса нет");
}

Response Router::handle(Request& req) const {
    std::call_once(built_, [this] {
        // Build the chain inside-out; every `next` is wrapped so that it never throws.
        Handler chain = [this](Request& r) {
            try {
                return dispatch(r);
            } catch (const WouldBlock&) {
                throw;  // the server hands the request to the worker pool
            } catch (...) {
                return error_response(std::current_exception());
            }
        };
        for (auto it = middlewares_.rbegin(); it != middlewares_.rend(); ++it) {
            chain = [mw = *it, next = std::move(chain)](Request& r) {
                try {
                    return mw(r, next);
                } catch (const WouldBlock&) {
                    throw;
                } catch (...) {
                    return error_response(std::current_exception());
                }
            };
        }
        chain_ = std::move(chain);
    });
    return chain_(req);
}

}  // namespace chance::http
