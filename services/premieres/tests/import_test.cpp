// The catalog import's reader without a database (ADR 0023): CSV records, the CSV conversions, errors row by row with
// the spreadsheet's row numbers, a slug repeated in the file, files refused as a whole, JSON as the editor sends it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "premieres/catalog/import.hpp"

using namespace chance;
using namespace chance::premieres;

namespace {
constexpr std::string_view kHeader =
    "slug;title;theatre;director;genre;age_rating;duration_minutes;description_short;description_full;price_theatre;"
    "price_online;discount_percent;discount_until;base_period_hours;periods;reservable_from;reservable_until;live_at;"
    "capacity;featured;hidden;cast";

std::string row(const std::string& slug, const std::string& price = "499,50",
                const std::string& periods = "24:1|48:1,5") {
    return slug +
           ";\"Вишнёвый сад; новая редакция\";МХТ;Режиссёр;драма;16+;150;Коротко;\"Полное \"\"описание\"\"\";"
           "1 500;" +
           price + ";10;2027-01-01T00:00:00Z;24;" + periods +
           ";2026-12-01T00:00:00Z;2027-06-01T00:00:00Z;;;да;нет;Актёр Первый: Герой|Актриса Вторая";
}

std::string file_error(std::string_view body, std::string_view type) {
    try {
        read_import(body, type);
    } catch (const Problem& p) {
        EXPECT_EQ(p.status(), 400);
        EXPECT_EQ(p.errors().at(0).field, "file");
        return p.errors().at(0).message;
    }
    return "";
}
}  // namespace

TEST(Csv, RecordsWithQuotesSeparatorsAndLineBreaksInsideFields) {
    auto r = parse_csv("a;\"b;c\";\"d \"\"e\"\"\"\r\n\"multi\nline\";;x\n\nlast", ';');
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[0], (std::vector<std::string>{"a", "b;c", "d \"e\""}));
    EXPECT_EQ(r[1], (std::vector<std::string>{"multi\nline", "", "x"}));
    EXPECT_EQ(r[2], std::vector<std::string>{""});  // a blank line is a record of one empty field
    EXPECT_EQ(r[3], std::vector<std::string>{"last"});
    EXPECT_EQ(parse_csv("a,b\n", ',').size(), 1u);  // a final line break ends the last record, makes none
    EXPECT_THROW(parse_csv("a;\"open", ';'), std::invalid_argument);
}

TEST(Import, ACsvRowBecomesTheDraftTheEditorWouldMake) {
    auto f =
        read_import("\xEF\xBB\xBF" + std::string(kHeader) + "\r\n" + row("sad") + "\r\n", "text/csv; charset=utf-8");
    ASSERT_EQ(f.total, 1);
    ASSERT_TRUE(f.errors.empty()) << f.errors[0].field << ": " << f.errors[0].message;
    const auto& d = f.drafts.at(0);
    EXPECT_EQ(d.title, "Вишнёвый сад; новая редакция");
    EXPECT_EQ(d.description_full, "Полное \"описание\"");
    EXPECT_EQ(d.price_theatre, 150000);  // «1 500» rubles
    EXPECT_EQ(d.price_online, 49950);
    EXPECT_EQ(d.discount_percent, 10);
    ASSERT_EQ(d.periods.size(), 2u);
    EXPECT_EQ(d.periods[1].hours, 48);
    EXPECT_EQ(d.periods[1].factor_milli, 1500);
    EXPECT_TRUE(d.featured);
    EXPECT_FALSE(d.hidden);
    ASSERT_EQ(d.cast.size(), 2u);
    EXPECT_EQ(d.cast[0].role, "Герой");
    EXPECT_EQ(d.cast[1].actor, "Актриса Вторая");
    EXPECT_EQ(d.cast[1].role, "");
    // A comma-separated file reads the same.
    std::string commas(kHeader);
    for (auto& c : commas)
        if (c == ';') c = ',';
    auto g = read_import(commas +
                             "\nsad2,Чайка,МХТ,Р,,12+,120,К,П,1500,\"499,5\",,,24,24:1,2026-12-01T00:00:00Z,"
                             "2027-06-01T00:00:00Z,,,,,\n",
                         "text/csv");
    ASSERT_TRUE(g.errors.empty()) << g.errors[0].field << ": " << g.errors[0].message;
    EXPECT_EQ(g.drafts.at(0).price_online, 49950);
}

TEST(Import, EveryBadRowIsReportedWithItsSpreadsheetRowAndField) {
    auto body = std::string(kHeader) + "\r\n" + row("ok") + "\r\n\r\n" + row("bad-price", "дорого") + "\r\n" +
                row("bad-period", "1", "48:1") + "\r\n" + row("ok") + "\r\nonly;three;fields\r\n";
    auto f = read_import(body, "text/csv");
    EXPECT_EQ(f.total, 5);  // the blank line is no premiere
    EXPECT_EQ(f.drafts.size(), 1u);
    std::vector<std::tuple<int, std::string>> at;
    for (const auto& e : f.errors) at.emplace_back(e.row, e.field);
    EXPECT_EQ(at, (std::vector<std::tuple<int, std::string>>{
                      {4, "price_online"}, {5, "base_period_hours"}, {6, "slug"}, {7, "row"}}));
    EXPECT_NE(f.errors[2].message.find("строке 2"), std::string::npos);
}

TEST(Import, FilesThatAreNotPremieresAreRefusedWhole) {
    EXPECT_NE(file_error("", "text/csv"), "");
    EXPECT_NE(file_error(std::string(kHeader) + "\n", "text/csv").find("ни одной"), std::string::npos);
    EXPECT_NE(file_error("slug;жанр\nx;y\n", "text/csv").find("«жанр»"), std::string::npos);
    EXPECT_NE(file_error("slug;slug\nx;y\n", "text/csv").find("повторяется"), std::string::npos);
    EXPECT_NE(file_error("slug\n\"open\n", "text/csv").find("кавычка"), std::string::npos);
    EXPECT_NE(file_error("\xff\xfe", "text/csv").find("UTF-8"), std::string::npos);
    EXPECT_NE(file_error("[1", "application/json"), "");
    EXPECT_NE(file_error("{\"a\":1}", "application/json"), "");
    EXPECT_NE(file_error("slug\nx\n", "text/plain"), "");
}

TEST(Import, JsonIsTheEditorsShapeAndANonObjectIsItsRowsError) {
    boost::json::object p{{"slug", "chaika"},
                          {"title", "Чайка"},
                          {"theatre", "МХТ"},
                          {"director", "Р"},
                          {"age_rating", "12+"},
                          {"duration_minutes", 120},
                          {"description_short", "К"},
                          {"description_full", "П"},
                          {"price_theatre", 150000},
                          {"price_online", 49900},
                          {"base_period_hours", 24},
                          {"periods", boost::json::array{boost::json::object{{"hours", 24}, {"factor", "1.000"}}}},
                          {"reservable_from", "2026-12-01T00:00:00Z"},
                          {"reservable_until", "2027-06-01T00:00:00Z"}};
    auto f = read_import(boost::json::serialize(boost::json::array{p, 5}), "application/json");
    EXPECT_EQ(f.total, 2);
    EXPECT_EQ(f.drafts.size(), 1u);
    ASSERT_EQ(f.errors.size(), 1u);
    EXPECT_EQ(f.errors[0].row, 2);
    EXPECT_EQ(f.errors[0].field, "premiere");
    auto g = read_import(boost::json::serialize(boost::json::object{{"premieres", boost::json::array{p}}}),
                         "application/json");
    EXPECT_EQ(g.drafts.at(0).price_online, 49900);
}
