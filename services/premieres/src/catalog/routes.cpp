#include "premieres/catalog/routes.hpp"

#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "chance/core/json.hpp"
#include "chance/service/runtime.hpp"

namespace chance::premieres {

QuoteRequest parse_quote(const http::Request& req) {
    auto period = req.query_param("period");
    if (!period || period->empty())
        throw bad_request("Укажите срок аренды", {{"period", "Обязательный параметр (часы)"}});
    QuoteRequest r;
    if (period->size() > 4) throw bad_request("Некорректный срок", {{"period", "Ожидается целое число часов"}});
    for (char c : *period) {
        if (c < '0' || c > '9') throw bad_request("Некорректный срок", {{"period", "Ожидается целое число часов"}});
        r.period_hours = r.period_hours * 10 + (c - '0');
    }
    r.id = parse_id(req.param("id"));
    return r;
}

AdminListRequest parse_admin_list(const http::Request& req) {
    AdminListRequest r;
    r.q = req.query_param("q").value_or("");
    if (!json::valid_utf8(r.q) || json::utf8_length(r.q) > 200)
        throw bad_request("Некорректный запрос", {{"q", "Не длиннее 200 символов, UTF-8"}});
    auto paging = parse_paging(req);  // the same page/limit rules as the public search
    r.page = paging.page;
    r.limit = paging.limit;
    return r;
}

void install_premieres(http::Router& router, Premieres& premieres) {
    router.get(
        "/api/v1/premiere/:id",
        [&premieres](http::Request& req) {
            return cached_json(req, to_json(premieres.page(parse_id(req.param("id")))));
        },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
    router.get("/api/v1/premiere/:id/poster.svg", [&premieres](http::Request& req) {
        auto res =
            http::Response::text(200, premieres.poster_svg(parse_id(req.param("id"))), "image/svg+xml; charset=utf-8");
        res.headers.set("Cache-Control", "public, max-age=3600");
        return res;
    });
    router.get(
        "/api/v1/rent/:id",
        [&premieres](http::Request& req) {
            auto r = parse_quote(req);
            return cached_json(req, to_json(premieres.quote(r.id, r.period_hours)));
        },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
}

void install_imports(http::Router& router, CatalogImports& imports) {
    router.post("/api/v1/admin/imports", [&imports](http::Request& req) {
        auto caller = service::require_admin(req);
        auto dry_run = req.query_param("dry_run");
        if (dry_run && *dry_run != "true" && *dry_run != "false" && *dry_run != "1" && *dry_run != "0")
            throw bad_request("Неверный параметр", {{"dry_run", "true или false"}});
        auto file = read_import(req.body, req.headers.get("Content-Type").value_or(""));
        if (dry_run && (*dry_run == "true" || *dry_run == "1")) return http::Response::json(imports.check(file));
        auto job = imports.start(std::move(file), caller.user_id);
        auto res = http::Response::json(202, job);
        res.headers.set("Location", "/api/v1/admin/imports/" + std::string(job.at("id").as_string()));
        return res;
    });
    router.get("/api/v1/admin/imports", [&imports](http::Request& req) {
        service::require_admin(req);
        return http::Response::json(imports.recent());
    });
    router.get("/api/v1/admin/imports/:id", [&imports](http::Request& req) {
        service::require_admin(req);
        return http::Response::json(imports.status(req.param("id")));
    });
}

void install_admin(http::Router& router, CatalogAdmin& admin) {
    router.get("/api/v1/admin/premieres", [&admin](http::Request& req) {
        service::require_admin(req);
        auto r = parse_admin_list(req);
        return http::Response::json(admin.list(r.q, r.page, r.limit));
    });
    router.post("/api/v1/admin/premieres", [&admin](http::Request& req) {
        auto caller = service::require_admin(req);
        auto res = http::Response::json(admin.create(req.body, caller.user_id));
        res.status = 201;
        return res;
    });
    router.get("/api/v1/admin/premieres/:id", [&admin](http::Request& req) {
        service::require_admin(req);
        return http::Response::json(admin.get(parse_id(req.param("id"))));
    });
    router.patch("/api/v1/admin/premieres/:id", [&admin](http::Request& req) {
        auto caller = service::require_admin(req);
        return http::Response::json(admin.update(parse_id(req.param("id")), req.body, caller.user_id));
    });
    router.get("/api/v1/admin/premieres/:id/history", [&admin](http::Request& req) {
        service::require_admin(req);
        return http::Response::json(admin.history(parse_id(req.param("id"))));
    });
}

}  // namespace chance::premieres
