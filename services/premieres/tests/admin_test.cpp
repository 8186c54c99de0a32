// read_premiere: the admin's premiere is validated whole, every fault named, before anything is written.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "premieres/catalog/admin.hpp"

using namespace chance;
using namespace chance::premieres;

namespace {
boost::json::object valid() {
    return boost::json::parse(R"({
      "slug": "novaya-premiera", "title": "Новая премьера", "theatre": "Театр на Малой Бронной",
      "director": "Константин Богомолов", "genre": "драма", "age_rating": "16+", "duration_minutes": 120,
      "description_short": "Коротко.", "description_full": "Подробно.",
      "price_theatre": 300000, "price_online": 49900, "discount_percent": 10,
      "discount_until": "2027-01-01T00:00:00+03:00", "base_period_hours": 24,
      "periods": [{"hours": 48, "factor": "1.5"}, {"hours": 24, "factor": 1}],
      "reservable_from": "2026-12-01T00:00:00Z", "reservable_until": "2027-03-01T00:00:00Z",
      "cast": [{"actor": "Игорь Миркурбанов", "role": "Шейлок"}]
    })")
        .as_object();
}

// The fields of the 422 read_premiere throws for `body`.
std::vector<std::string> faults(const boost::json::object& body) {
    try {
        read_premiere(body);
    } catch (const Problem& p) {
        EXPECT_EQ(p.status(), 422);
        std::vector<std::string> fields;
        for (const auto& e : p.errors()) fields.push_back(e.field);
        return fields;
    }
    return {};
}

boost::json::object with(boost::json::object o, const char* key, boost::json::value v) {
    o[key] = std::move(v);
    return o;
}
}  // namespace

TEST(AdminPremiere, ReadsAValidPremiereAndNormalisesIt) {
    auto d = read_premiere(valid());
    EXPECT_EQ(d.title, "Новая премьера");
    EXPECT_EQ(d.price_online, 49900);
    ASSERT_EQ(d.periods.size(), 2u);
    EXPECT_EQ(d.periods[0].hours, 24);  // sorted by hours
    EXPECT_EQ(d.periods[0].factor_milli, 1000);
    EXPECT_EQ(d.periods[1].factor_milli, 1500);
    EXPECT_EQ(*d.discount_until, "2026-12-31T21:00:00Z");  // normalised to UTC
    ASSERT_EQ(d.cast.size(), 1u);
    EXPECT_EQ(d.cast[0].role, "Шейлок");
    EXPECT_FALSE(d.hidden);
}

TEST(AdminPremiere, RoundTripsThroughItsJson) {
    auto d = read_premiere(valid());
    auto again = read_premiere(to_json(d));
    EXPECT_EQ(to_json(again), to_json(d));
    EXPECT_EQ(to_json(d).at("periods").as_array()[1].as_object().at("factor").as_string(), "1.500");
}

TEST(AdminPremiere, NamesEveryFieldAtFault) {
    auto bad = valid();
    bad["price_online"] = -1;
    bad["price_theatre"] = "300";
    bad["discount_percent"] = 101;
    bad["title"] = "";
    bad["age_rating"] = "21+";
    bad["slug"] = "Не латиница";
    auto fields = faults(bad);
    for (const char* f : {"price_online", "price_theatre", "discount_percent", "title", "age_rating", "slug"})
        EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
}

TEST(AdminPremiere, PeriodsArePositiveUniqueAndIncludeTheBasePeriod) {
    using boost::json::parse;
    EXPECT_EQ(faults(with(valid(), "periods", parse("[]"))), std::vector<std::string>{"periods"});
    EXPECT_EQ(faults(with(valid(), "periods", parse(R"([{"hours": 0, "factor": "1"}])"))),
              std::vector<std::string>{"periods[0].hours"});
    EXPECT_EQ(faults(with(valid(), "periods", parse(R"([{"hours": 24, "factor": "0"}])"))),
              std::vector<std::string>{"periods[0].factor"});
    EXPECT_EQ(faults(with(valid(), "periods", parse(R"([{"hours": 24, "factor": "-1"}])"))),
              std::vector<std::string>{"periods[0].factor"});
    EXPECT_EQ(faults(with(valid(), "periods", parse(R"([{"hours": 24, "factor": "1.2345"}])"))),
              std::vector<std::string>{"periods[0].factor"});
    EXPECT_EQ(faults(with(valid(), "periods", parse(R"([{"hours": 24, "factor": 1}, {"hours": 24, "factor": 2}])"))),
              std::vector<std::string>{"periods[1].hours"});
    EXPECT_EQ(faults(with(valid(), "periods", parse(R"([{"hours": 12, "factor": "0.7"}])"))),
              std::vector<std::string>{"base_period_hours"});
}

TEST(AdminPremiere, TheWindowEndsAfterItStartsAndTimesAreRfc3339) {
    EXPECT_EQ(faults(with(valid(), "reservable_until", "2026-11-01T00:00:00Z")),
              std::vector<std::string>{"reservable_until"});
    EXPECT_EQ(faults(with(valid(), "live_at", "завтра в семь")), std::vector<std::string>{"live_at"});
    EXPECT_EQ(faults(with(valid(), "discount_until", nullptr)), std::vector<std::string>{});  // no end: allowed
}

TEST(AdminPremiere, CastEntriesAreCheckedOneByOne) {
    auto fields = faults(
        with(valid(), "cast", boost::json::parse(R"([{"actor": "А", "role": "Б"}, {"role": "Без актёра"}, 7])")));
    EXPECT_EQ(fields, (std::vector<std::string>{"cast[1].actor", "cast[2]"}));
}
