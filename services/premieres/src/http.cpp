#include "premieres/http.hpp"

#include <boost/json.hpp>
#include <functional>

#include "chance/core/error.hpp"
#include "chance/core/json.hpp"
#include "chance/core/text.hpp"

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

int64_t parse_id(const std::string& s, const char* field) {
    auto id = text::positive_id(s);
    if (!id) throw bad_request("Некорректный идентификатор", {{field, "Ожидается положительное целое число"}});
    return *id;
}

Paging parse_paging(const http::Request& req) {
    Paging p;
    p.page = int_param(req, "page", 1, 1, 1000);
    p.limit = int_param(req, "limit", 20, 1, 50);
    return p;
}

std::string etag_of(const std::string& body) { return "\"" + std::to_string(std::hash<std::string>{}(body)) + "\""; }

http::Response etag_response(const http::Request& req, std::string body, const std::string& etag) {
    http::Response res;
    res.headers.set("Content-Type", "application/json; charset=utf-8");
    res.headers.set("ETag", etag);
    res.headers.set("Cache-Control", "public, max-age=" + std::to_string(kPublicMaxAgeSeconds));
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

boost::json::value text_or_null(const pg::Result& r, int i, const char* column) {
    return json::or_null(r.opt_text(i, column));
}

http::Response no_store_json(const boost::json::value& body, int status) {
    auto res = http::Response::json(status, body);
    res.headers.set("Cache-Control", "no-store");
    return res;
}

}  // namespace chance::premieres
