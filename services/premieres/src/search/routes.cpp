#include "premieres/search/routes.hpp"

#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "chance/core/json.hpp"

namespace chance::premieres {

namespace {
int int_param(const http::Request& req, const char* key, int def, int min, int max) {
    auto v = req.query_param(key);
    if (!v || v->empty()) return def;
    if (v->size() > 9)
        throw bad_request("Параметр " + std::string(key) + " вне допустимого диапазона",
                          {{key, "Допустимо от " + std::to_string(min) + " до " + std::to_string(max)}});
    int n = 0;
    for (char c : *v) {
        if (c < '0' || c > '9')
            throw bad_request("Параметр " + std::string(key) + " должен быть целым числом",
                              {{key, "Ожидается целое число"}});
        n = n * 10 + (c - '0');
    }
    if (n < min || n > max)
        throw bad_request("Параметр " + std::string(key) + " вне допустимого диапазона",
                          {{key, "Допустимо от " + std::to_string(min) + " до " + std::to_string(max)}});
    return n;
}
}  // namespace

Paging parse_paging(const http::Request& req) {
    Paging p;
    p.page = int_param(req, "page", 1, 1, 1000);
    p.limit = int_param(req, "limit", 20, 1, 50);
    return p;
}

SearchRequest parse_search(const http::Request& req) {
    SearchRequest r;
    r.q = req.query_param("q").value_or("");
    if (!json::valid_utf8(r.q))
        throw bad_request("Запрос содержит некорректные символы", {{"q", "Некорректная кодировка UTF-8"}});
    if (json::utf8_length(r.q) > 200) throw bad_request("Слишком длинный запрос", {{"q", "Не длиннее 200 символов"}});
    auto paging = parse_paging(req);
    r.page = paging.page;
    r.limit = paging.limit;
    return r;
}

SuggestRequest parse_suggest(const http::Request& req) {
    SuggestRequest r;
    r.q = req.query_param("q").value_or("");
    if (!json::valid_utf8(r.q)) throw bad_request("Некорректная кодировка", {{"q", "Некорректная кодировка UTF-8"}});
    if (json::utf8_length(r.q) > 100) throw bad_request("Слишком длинный запрос", {{"q", "Не длиннее 100 символов"}});
    return r;
}

http::Response etag_response(const http::Request& req, std::string body, const std::string& etag) {
    http::Response res;
    res.headers.set("Content-Type", "application/json; charset=utf-8");
    res.headers.set("ETag", etag);
    res.headers.set("Cache-Control", "no-cache");
    if (req.headers.get("If-None-Match").value_or("") == etag)
        res.status = 304;
    else
        res.body = std::move(body);
    return res;
}

http::Response cached_json(const http::Request& req, const boost::json::value& body) {
    auto text = boost::json::serialize(body);
    auto etag = etag_of(text);
    return etag_response(req, std::move(text), etag);
}

void install_search(http::Router& router, Search& search) {
    router.get(
        "/api/v1/search/suggest",
        [&search](http::Request& req) { return cached_json(req, to_json(*search.suggest(parse_suggest(req).q))); },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
    router.get(
        "/api/v1/search/",
        [&search](http::Request& req) {
            auto page = search.page(parse_search(req));
            return etag_response(req, page->body, page->etag);
        },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
}

}  // namespace chance::premieres
