#pragma once
// The search's routes: GET /api/v1/search/ and /api/v1/search/suggest. They parse and validate the query string
// into typed requests (400 naming the field at fault) and answer with an ETag.
#include <boost/json/value.hpp>
#include <string>

#include "chance/http/router.hpp"
#include "premieres/search/search.hpp"

namespace chance::premieres {

struct Paging {
    int page = 1;    // 1–1000
    int limit = 20;  // 1–50
};

struct SuggestRequest {
    std::string q;  // UTF-8, at most 100 characters
};

// page and limit of a listing (defaults 1 and 20).
Paging parse_paging(const http::Request& req);
// q (UTF-8, at most 200 characters), page and limit.
SearchRequest parse_search(const http::Request& req);
SuggestRequest parse_suggest(const http::Request& req);

// A JSON body with its ETag. Revalidate every time: a catalog change must be visible at once, yet unchanged
// answers cost a 304.
http::Response etag_response(const http::Request& req, std::string body, const std::string& etag);
http::Response cached_json(const http::Request& req, const boost::json::value& body);

void install_search(http::Router& router, Search& search);

}  // namespace chance::premieres
