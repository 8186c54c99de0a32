#include "premieres/search/index_loader.hpp"

#include <utility>

#include "premieres/catalog/premiere_columns.hpp"

namespace chance::premieres {

namespace {
// The search index's reads (ADR 0011), each load or sync in one REPEATABLE READ snapshot. Cards carry the same
// fields as PREMIERES_CARD_COLUMNS; the cast and the periods of a batch are aggregated once rather than per premiere
// (PREMIERES_CARDS_BATCH).
constexpr pg::Query kIndexVersion{"search_index_version", "SELECT version, changes_since FROM catalog_version"};
constexpr pg::Query kIndexChanges{"search_index_changes",
                                  "SELECT DISTINCT premiere_id FROM catalog_changes WHERE version > $1 LIMIT $2"};
constexpr pg::Query kIndexMaxId{"search_index_max_id", "SELECT coalesce(max(id), 0) AS max_id FROM premieres"};
// Beside each card, what suggest lists its title by and the words «did you mean» corrects to (those of the
// search_words table: title, cast, theatre, director).
#define CHANCE_INDEX_CARDS(premiere, aggregated)                                                                  \
    "SELECT p.featured, lower(p.title) AS title_lower, lower(p.title || ' ' || p.cast_names || ' ' || p.theatre " \
    "|| ' ' || p.director) AS words, " PREMIERES_CARDS_BATCH(aggregated) "WHERE NOT p.hidden AND " premiere       \
                                                                         " ORDER BY p.id"
constexpr pg::Query kIndexCardsIn{
    "search_index_cards_in", CHANCE_INDEX_CARDS("p.id > $1 AND p.id <= $2", "premiere_id > $1 AND premiere_id <= $2")};
constexpr pg::Query kIndexCardsOf{"search_index_cards_of",
                                  CHANCE_INDEX_CARDS("p.id = ANY ($1::bigint[])", "premiere_id = ANY ($1::bigint[])")};
#undef CHANCE_INDEX_CARDS
// Every posting in (lexeme, premiere) order, a batch after the last one read.
constexpr pg::Query kIndexPostingsAfter{"search_index_postings_after",
                                        "SELECT lexeme, premiere_id, score FROM search_postings WHERE (lexeme, "
                                        "premiere_id) > ($1 COLLATE \"C\", $2::bigint) "
                                        "ORDER BY lexeme, premiere_id LIMIT $3"};
// The postings of some premieres, made as the postings trigger makes them (search_postings has no index by
// premiere).
constexpr pg::Query kIndexPostingsOf{
    "search_index_postings_of",
    "SELECT s.lexeme, p.id AS premiere_id, s.score FROM premieres p, search_postings_of(p.search_document) AS s "
    "WHERE p.id = ANY ($1::bigint[]) AND NOT p.hidden"};
constexpr int64_t kIndexCardBatch = 20000;  // premiere ids per card batch
constexpr int64_t kIndexPostingBatch = 200000;
constexpr int64_t kIndexMaxChanged = 2000;  // more changed premieres than this: load everything again

// The cards of a card statement's result, with their words.
void read_cards(const pg::Result& cards, const std::function<void(IndexedCard, std::string)>& card) {
    if (cards.empty()) return;
    CardReader reader(cards);
    auto featured = cards.column("featured");
    auto title_lower = cards.column("title_lower");
    auto words = cards.column("words");
    for (int i = 0; i < cards.rows(); ++i)
        card(IndexedCard(reader.row(cards, i), cards.value(i, featured) == "t",
                         std::string(cards.value(i, title_lower))),
             std::string(cards.value(i, words)));
}
}  // namespace

IndexChanges read_index_changes(pg::Pool& pool, int64_t since) {
    return pool.transact(
        [&](pg::Transaction& tx) {
            IndexChanges d;
            auto v = tx.exec(kIndexVersion);
            d.version = v.int64(0, "version");
            if (d.version <= since) return d;
            auto ids = tx.exec(kIndexChanges, pg::Params(since, kIndexMaxChanged + 1));
            if (v.int64(0, "changes_since") > since || ids.rows() > kIndexMaxChanged) {
                d.full = true;
                return d;
            }
            std::string array = "{";
            for (int i = 0; i < ids.rows(); ++i) {
                auto id = number_at(ids, i, 0);
                if (id == 0) {  // a TRUNCATE
                    d.full = true;
                    return d;
                }
                d.changed.push_back(id);
                array += (i ? "," : "") + std::to_string(id);
            }
            array += "}";
            read_cards(tx.exec(kIndexCardsOf, pg::Params(array)), [&](IndexedCard c, std::string words) {
                d.cards.push_back(std::move(c));
                d.words.push_back(std::move(words));
            });
            auto postings = tx.exec(kIndexPostingsOf, pg::Params(array));
            for (int i = 0; i < postings.rows(); ++i)
                d.postings.push_back(
                    {std::string(postings.value(i, 0)), number_at(postings, i, 1), score_at(postings, i, 2)});
            return d;
        },
        pg::Transaction::Isolation::repeatable_read);
}

int64_t read_index_catalog(pg::Pool& pool, const std::function<void()>& restart,
                           const std::function<void(IndexedCard, std::string)>& card,
                           const std::function<void(std::string_view lexeme, int64_t premiere, float score)>& posting) {
    return pool.transact(
        [&](pg::Transaction& tx) {
            restart();
            auto v = tx.exec(kIndexVersion).int64(0, "version");
            auto max_id = tx.exec(kIndexMaxId).int64(0, "max_id");
            for (int64_t from = 0; from < max_id; from += kIndexCardBatch) {
                read_cards(tx.exec(kIndexCardsIn, pg::Params(from, from + kIndexCardBatch)), card);
            }
            std::string lexeme;
            int64_t after = 0;
            for (;;) {
                auto postings = tx.exec(kIndexPostingsAfter, pg::Params(lexeme, after, kIndexPostingBatch));
                for (int i = 0; i < postings.rows(); ++i)
                    posting(postings.value(i, 0), number_at(postings, i, 1), score_at(postings, i, 2));
                if (postings.rows() < kIndexPostingBatch) break;
                lexeme = postings.value(postings.rows() - 1, 0);
                after = number_at(postings, postings.rows() - 1, 1);
            }
            return v;
        },
        pg::Transaction::Isolation::repeatable_read);
}

}  // namespace chance::premieres
