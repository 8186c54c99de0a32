#include "premieres/catalog.hpp"

#include <boost/json.hpp>
#include <vector>

#include "chance/core/log.hpp"
#include "premieres/catalog/routes.hpp"
#include "premieres/search/routes.hpp"

namespace chance::premieres {

Catalog::Catalog(pg::Pool& pool, const time::Clock& clock, CatalogOptions options)
    : clock_(clock),
      version_(pool),
      store_(pool),
      premieres_(store_, cache_, version_, clock),
      search_(pool, clock, cache_, version_, options) {}

boost::json::object Catalog::premiere(int64_t id, std::optional<int64_t> version) {
    return to_json(premieres_.page(id, version));
}

boost::json::object Catalog::rent_quote(int64_t id, int period_hours, std::optional<int64_t> version) {
    return to_json(premieres_.quote(id, period_hours, version));
}

boost::json::object Catalog::search(const SearchRequest& r) {
    auto answer = search_.answer(r, version_.version());
    std::vector<Card> cards;
    cards.reserve(answer.found->cards.size());
    for (const auto& row : answer.found->cards) cards.push_back(card_of(*row, clock_.now()));
    return to_json(answer, cards);
}

boost::json::object Catalog::suggest(const std::string& prefix) { return to_json(*search_.suggest(prefix)); }

void Catalog::follow_version(const std::string& dsn, const std::stop_token& st) {
    version_.follow(
        dsn, st, [this] { search_.follow_index(version_.version()); }, [this] { refresh_version(); });
}

void Catalog::refresh_version() {
    if (search_.uses_index()) {
        try {
            search_.sync_index();  // reads the version together with the changes
            if (version_.following()) version_.note(search_.index().version());
            return;
        } catch (const std::exception& e) {
            log::warn("search index: following a change failed; searches use the statement until it catches up",
                      {{"error", e.what()}});
        }
    }
    if (!version_.following()) return;  // every request reads the version anyway
    try {
        version_.note(version_.read());
    } catch (const std::exception& e) {
        // The change is committed; its notification brings the version a moment later.
        log::warn("catalog version: reading it after a change failed", {{"error", e.what()}});
    }
}

void install_catalog(http::Router& router, Catalog& catalog) {
    install_search(router, catalog.searcher());
    install_premieres(router, catalog.premieres());
}

}  // namespace chance::premieres
