#pragma once
// What every module's routes share: path ids, paging, and JSON answers revalidated by ETag. Not a module: the
// service's own, included by the routes of any module.
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"

namespace chance::premieres {

// A positive id from a path segment (400 when malformed).
int64_t parse_id(const std::string& s, const char* field = "id");

struct Paging {
    int page = 1;    // 1–1000
    int limit = 20;  // 1–50
};
// ?page= and ?limit= of a listing (defaults 1 and 20; 400 naming the one at fault).
Paging parse_paging(const http::Request& req);

// A response body's ETag.
std::string etag_of(const std::string& body);
// How long a public catalog answer may be reused without asking (docs/adr/0013): by the gateway, a CDN in front
// of it and the browser. A catalog change shows everywhere within this; through the gateway it was made on, at
// once.
inline constexpr int kPublicMaxAgeSeconds = 1;
// A public JSON answer with its ETag and `Cache-Control: public, max-age=kPublicMaxAgeSeconds`; a 304 without
// a body when If-None-Match names the ETag. The same for every caller: never for an answer about a customer.
http::Response etag_response(const http::Request& req, std::string body, const std::string& etag);
http::Response cached_json(const http::Request& req, const boost::json::value& body);
// A nullable text column of row `i` as JSON: its text, or null.
boost::json::value text_or_null(const pg::Result& r, int i, const char* column);
// A JSON answer no cache may keep (`Cache-Control: no-store`): live counts, a customer's own or a staff member's.
http::Response no_store_json(const boost::json::value& body, int status = 200);

}  // namespace chance::premieres
