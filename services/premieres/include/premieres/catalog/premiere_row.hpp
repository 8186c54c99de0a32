#pragma once
// A premiere as the catalog reads it (PremiereRow, its card a CardRow inside it) and as the admin edits it
// (PremiereDraft, AdminPremiere) and lists it (AdminListItem). Types only: the SQL of their columns and the reader of a
// result row are in premiere_columns.hpp, for the stores that select them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chance::premieres {

// The fields of a search card as the catalog reads them; the prices shown are computed from them at every
// answer (a discount ends at a moment).
struct CardRow {
    int64_t id = 0;
    std::string title;
    std::string description_short;
    int64_t price_theatre = 0;
    int64_t price_online = 0;
    int discount_percent = 0;
    std::optional<std::string> discount_until;  // RFC 3339
    int base_period_hours = 24;
    std::string reservable_from;   // RFC 3339
    std::string reservable_until;  // RFC 3339
    std::string actors;            // JSON array of names, in cast order
    std::string periods;           // JSON [{"hours": 24, "factor": "1.000"}, …]
};

// A premiere as a customer-facing read gets it: the premiere page, a quote, ordering's terms of a line (through
// CatalogStore). The one row type of a premiere; every statement that reads one reads all of it
// (PREMIERES_ROW_COLUMNS) except the search cards, which read the card alone. The card is a struct of its own,
// embedded here rather than its fields repeated or made optional: the search index and the cached search pages
// hold a card for every premiere they show (~1 KB each), and a flat row would carry the page's fields (empty)
// into each of them.
struct PremiereRow {
    CardRow card;
    bool hidden = false;  // never true on a premiere page (CatalogStore::premiere reads visible ones only)
    std::string description_full;
    std::string theatre;
    std::string director;
    std::string genre;
    std::string age_rating;
    int64_t duration_minutes = 0;
    std::optional<std::string> live_at;  // RFC 3339
    std::optional<int64_t> capacity;
    std::string cast;  // JSON [{"actor": "…", "role": "…"}, …], in cast order
};

struct PeriodRule {
    int hours = 0;
    int factor_milli = 0;  // price factor in thousandths (1.5 → 1500)
};

struct CastMember {
    std::string actor;
    std::string role;
};

// A whole premiere as the admin edits it. Times are RFC 3339 UTC strings (validated).
struct PremiereDraft {
    std::string slug, title, theatre, director, genre, age_rating, description_short, description_full;
    int duration_minutes = 0;
    int64_t price_theatre = 0, price_online = 0;  // kopecks
    int discount_percent = 0;
    std::optional<std::string> discount_until;
    int base_period_hours = 24;
    std::vector<PeriodRule> periods;
    std::string reservable_from, reservable_until;
    std::optional<std::string> live_at;
    std::optional<int64_t> capacity;
    bool featured = false, hidden = false;
    std::vector<CastMember> cast;
};

// A premiere as the admin reads it: the draft, and its id, version and last change.
struct AdminPremiere {
    int64_t id = 0;
    int64_t version = 0;
    std::string updated_at;  // RFC 3339
    PremiereDraft draft;
};

// A line of the admin's list of premieres.
struct AdminListItem {
    int64_t id = 0;
    std::string slug, title, theatre;
    int64_t price_theatre = 0, price_online = 0;
    int64_t discount_percent = 0;
    std::optional<std::string> discount_until;
    bool featured = false, hidden = false;
    int64_t version = 0;
    std::string updated_at;
};

}  // namespace chance::premieres
