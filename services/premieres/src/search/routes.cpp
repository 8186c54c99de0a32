#include "premieres/search/routes.hpp"

#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "chance/core/json.hpp"
#include "premieres/http.hpp"

namespace chance::premieres {

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
