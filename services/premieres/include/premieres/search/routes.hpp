#pragma once
// The search's routes: GET /api/v1/search/ and /api/v1/search/suggest. They parse and validate the query string
// into typed requests (400 naming the field at fault) and answer with an ETag.
#include <string>

#include "chance/http/router.hpp"
#include "premieres/search/search.hpp"

namespace chance::premieres {

struct SuggestRequest {
    std::string q;  // UTF-8, at most 100 characters
};

// q (UTF-8, at most 200 characters), page and limit.
SearchRequest parse_search(const http::Request& req);
SuggestRequest parse_suggest(const http::Request& req);

void install_search(http::Router& router, Search& search);

}  // namespace chance::premieres
