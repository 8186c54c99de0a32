#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/pg/migrations.hpp"
#include "identity/service.hpp"
#include "pgtest.hpp"

using namespace chance;
using namespace chance::identity;

namespace {
// NOLINTNEXTLINE(cert-err58-cpp): a test binary that cannot allocate may end at start-up
const std::string kKey(32, 'k');

struct Env {
    pgtest::TempDatabase db;
    pg::Pool pool{db.dsn(), {.size = 4}};
    Users users{pool, load_common_passwords(CHANCE_IDENTITY_DIR "/data/common-passwords.txt")};
    http::Router router;
    Env() {
        auto c = pool.acquire();
        pg::migrate(*c, {{"identity", CHANCE_IDENTITY_DIR "/migrations"}});
        router.use(service::identity_middleware(kKey));
        install_routes(router, users);
    }
    http::Response call(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& role = "service") {
        http::Request req;
        req.method = method;
        req.path = path;
        req.body = body;
        if (!role.empty()) req.headers.set(auth::kIdentityHeader, auth::sign_identity({"gateway", role, ""}, kKey));
        return router.handle(req);
    }
    std::vector<std::string> fields(const http::Response& r) {
        std::vector<std::string> out;
        auto body = boost::json::parse(r.body).as_object();
        if (body.contains("errors"))
            for (auto& e : body["errors"].as_array()) out.emplace_back(e.as_object()["field"].as_string());
        std::sort(out.begin(), out.end());
        return out;
    }
};
}  // namespace

TEST(IdentityPg, RegistersAndRefusesATakenEmailCaseInsensitively) {
    Env t;
    auto r =
        t.call("POST", "/internal/users",
               R"({"email":"Anna@Example.ru","password":"очень-длинный-пароль","name":"Анна","phone":"+79991234567"})");
    ASSERT_EQ(r.status, 201) << r.body;
    auto user = boost::json::parse(r.body).as_object();
    EXPECT_EQ(user["time_zone"].as_string(), "Europe/Moscow");
    EXPECT_EQ(user["role"].as_string(), "customer");
    EXPECT_FALSE(user.contains("password_hash"));
    auto dup = t.call("POST", "/internal/users",
                      R"({"email":"anna@example.RU","password":"другой-длинный-пароль","name":"А"})");
    EXPECT_EQ(dup.status, 409);
    auto hash = t.pool.exec({"h", "SELECT password_hash FROM users"}).text(0, "password_hash");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
}

TEST(IdentityPg, WeakCommonAndMalformedInputIsRefusedWithTheField) {
    Env t;
    auto short_pw = t.call("POST", "/internal/users", R"({"email":"a@b.ru","password":"short","name":"A"})");
    EXPECT_EQ(short_pw.status, 400);
    EXPECT_EQ(t.fields(short_pw), std::vector<std::string>{"password"});
    auto common = t.call("POST", "/internal/users", R"({"email":"a@b.ru","password":"Password1234","name":"A"})");
    EXPECT_EQ(t.fields(common), std::vector<std::string>{"password"});
    auto bad = t.call("POST", "/internal/users",
                      R"({"email":"not-an-email","password":"достаточно-длинный","name":"","phone":"12",)"
                      R"("time_zone":"../../etc/passwd"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(t.fields(bad), (std::vector<std::string>{"email", "name", "phone", "time_zone"}));
    EXPECT_EQ(t.call("POST", "/internal/users", "{not json").status, 400);
    EXPECT_EQ(t.pool.exec({"n", "SELECT count(*) AS n FROM users"}).int64(0, "n"), 0);
}

TEST(IdentityPg, CredentialsAnswerTheSameForWrongPasswordAndUnknownEmail) {
    Env t;
    t.users.ensure("demo@chance.local", "demo-password-2026", "Анна", "customer");
    auto ok =
        t.call("POST", "/internal/credentials", R"({"email":"DEMO@chance.local","password":"demo-password-2026"})");
    EXPECT_EQ(ok.status, 200);
    auto wrong =
        t.call("POST", "/internal/credentials", R"({"email":"demo@chance.local","password":"wrong-password-1"})");
    auto unknown =
        t.call("POST", "/internal/credentials", R"({"email":"ghost@chance.local","password":"wrong-password-1"})");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
}

TEST(IdentityPg, OnlyServicesMayCallAndCustomersCannotForgeIt) {
    Env t;
    EXPECT_EQ(t.call("GET", "/internal/users/1", "", "").status, 401);
    EXPECT_EQ(t.call("GET", "/internal/users/1", "", "customer").status, 404);
    http::Request forged;
    forged.method = "GET";
    forged.path = "/internal/users/1";
    forged.headers.set(auth::kIdentityHeader, auth::sign_identity({"gateway", "service", ""}, std::string(32, 'x')));
    EXPECT_EQ(t.router.handle(forged).status, 401);
}

TEST(IdentityPg, ProfileUpdateValidatesAndClearsThePhone) {
    Env t;
    auto r = t.call("POST", "/internal/users",
                    R"({"email":"b@b.ru","password":"достаточно-длинный","name":"Б","phone":"+79990000000"})");
    auto id = std::string(boost::json::parse(r.body).as_object()["id"].as_string());
    auto upd = t.call("PATCH", "/internal/users/" + id, R"({"time_zone":"Asia/Yekaterinburg","phone":null})");
    ASSERT_EQ(upd.status, 200) << upd.body;
    auto u = boost::json::parse(upd.body).as_object();
    EXPECT_EQ(u["time_zone"].as_string(), "Asia/Yekaterinburg");
    EXPECT_TRUE(u["phone"].is_null());
    EXPECT_EQ(t.call("PATCH", "/internal/users/" + id, R"({"time_zone":"Mars/Olympus"})").status, 400);
    EXPECT_EQ(t.call("GET", "/internal/users/999", "").status, 404);
}
