#pragma once
// The catalog's routes: GET /api/v1/premiere/:id, …/:id/poster.svg, /api/v1/rent/:id?period=, and the admin's
// /api/v1/admin/premieres…. They parse and validate into typed requests (400 naming the field at fault) and
// render the typed answers as JSON.
#include <cstdint>
#include <string>

#include "chance/http/router.hpp"
#include "premieres/catalog/admin.hpp"
#include "premieres/catalog/catalog.hpp"
#include "premieres/catalog/import.hpp"
#include "premieres/http.hpp"

namespace chance::premieres {

struct QuoteRequest {
    int64_t id = 0;
    int period_hours = 0;  // 0–9999
};
// The premiere (:id) and the period in whole hours (?period=, required).
QuoteRequest parse_quote(const http::Request& req);

struct AdminListRequest {
    std::string q;  // a substring of the title; UTF-8, at most 200 characters
    int page = 1;
    int limit = 20;
};
AdminListRequest parse_admin_list(const http::Request& req);

void install_premieres(http::Router& router, Premieres& premieres);
void install_admin(http::Router& router, CatalogAdmin& admin);
// POST /api/v1/admin/imports[?dry_run=true] (the file, text/csv or application/json), GET /api/v1/admin/imports and
// /api/v1/admin/imports/:id (ADR 0023).
void install_imports(http::Router& router, CatalogImports& imports);

}  // namespace chance::premieres
