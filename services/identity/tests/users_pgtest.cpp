#include <boost/json.hpp>
#include <set>

#include "chance/auth/auth.hpp"
#include "chance/pg/migrations.hpp"
#include "identity/password_resets.hpp"
#include "identity/personal_data.hpp"
#include "identity/phone_verifications.hpp"
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
    PasswordResets resets{pool, users.common_passwords(), {"https://shop.example", 30, 3}};
    PersonalData data{pool};
    PhoneVerifications phones{pool,
                              {.valid_minutes = 10, .max_attempts = 5, .per_user_per_hour = 3, .resend_seconds = 0}};
    http::Router router;
    Env() {
        auto c = pool.acquire();
        pg::migrate(*c, {{"identity", CHANCE_IDENTITY_DIR "/migrations"}, {"messaging", CHANCE_MESSAGING_MIGRATIONS}});
        router.use(service::identity_middleware(kKey));
        install_routes(router, users);
        install_password_reset_routes(router, resets);
        install_personal_data_routes(router, data);
        install_phone_verification_routes(router, phones);
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
    auto r = t.call("POST", "/internal/users",
                    R"({"consent":true,"email":"Anna@Example.ru","password":"очень-длинный-пароль","name":"Анна",)"
                    R"("phone":"+79991234567"})");
    ASSERT_EQ(r.status, 201) << r.body;
    auto user = boost::json::parse(r.body).as_object();
    EXPECT_EQ(user["time_zone"].as_string(), "Europe/Moscow");
    EXPECT_EQ(user["role"].as_string(), "customer");
    EXPECT_FALSE(user.contains("password_hash"));
    auto dup = t.call("POST", "/internal/users",
                      R"({"consent":true,"email":"anna@example.RU","password":"другой-длинный-пароль","name":"А"})");
    EXPECT_EQ(dup.status, 409);
    auto hash = t.pool.exec({"h", "SELECT password_hash FROM users"}).text(0, "password_hash");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
}

TEST(IdentityPg, WeakCommonAndMalformedInputIsRefusedWithTheField) {
    Env t;
    auto short_pw =
        t.call("POST", "/internal/users", R"({"consent":true,"email":"a@b.ru","password":"short","name":"A"})");
    EXPECT_EQ(short_pw.status, 400);
    EXPECT_EQ(t.fields(short_pw), std::vector<std::string>{"password"});
    auto common =
        t.call("POST", "/internal/users", R"({"consent":true,"email":"a@b.ru","password":"Password1234","name":"A"})");
    EXPECT_EQ(t.fields(common), std::vector<std::string>{"password"});
    auto bad = t.call("POST", "/internal/users",
                      R"({"email":"not-an-email","password":"достаточно-длинный","name":"","phone":"12",)"
                      R"("time_zone":"../../etc/passwd"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(t.fields(bad), (std::vector<std::string>{"consent", "email", "name", "phone", "time_zone"}));
    auto refused = t.call("POST", "/internal/users",
                          R"({"consent":false,"email":"a@b.ru","password":"достаточно-длинный","name":"A"})");
    EXPECT_EQ(t.fields(refused), std::vector<std::string>{"consent"});
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
    auto r = t.call(
        "POST", "/internal/users",
        R"({"consent":true,"email":"b@b.ru","password":"достаточно-длинный","name":"Б","phone":"+79990000000"})");
    auto id = std::string(boost::json::parse(r.body).as_object()["id"].as_string());
    auto upd = t.call("PATCH", "/internal/users/" + id, R"({"time_zone":"Asia/Yekaterinburg","phone":null})");
    ASSERT_EQ(upd.status, 200) << upd.body;
    auto u = boost::json::parse(upd.body).as_object();
    EXPECT_EQ(u["time_zone"].as_string(), "Asia/Yekaterinburg");
    EXPECT_TRUE(u["phone"].is_null());
    EXPECT_EQ(t.call("PATCH", "/internal/users/" + id, R"({"time_zone":"Mars/Olympus"})").status, 400);
    EXPECT_EQ(t.call("GET", "/internal/users/999", "").status, 404);
}

namespace {
// The tokens of the reset links emailed so far, oldest first (the link is only in the outbox's event).
std::vector<std::string> emailed_tokens(Env& t) {
    std::vector<std::string> out;
    auto r = t.pool.exec({"links",
                          "SELECT envelope::jsonb->'payload'->'params'->>'reset_url' AS url FROM outbox "
                          "WHERE subject = 'notify.password_reset' ORDER BY created_at, id"});
    for (int i = 0; i < r.rows(); ++i) {
        auto url = r.text(i, "url");
        auto at = url.find("#token=");
        EXPECT_EQ(url.rfind("https://shop.example/reset-password#token=", 0), 0u) << url;
        out.push_back(url.substr(at + 7));
    }
    return out;
}
int64_t count(Env& t, const std::string& table) {
    auto name = "count_" + table;  // one prepared statement per table
    auto sql = "SELECT count(*) AS n FROM " + table;
    return t.pool.exec({name.c_str(), sql.c_str()}).int64(0, "n");
}
}  // namespace

TEST(IdentityPg, AResetRequestAnswersTheSameForAKnownAndAnUnknownAddressAndEmailsOnlyTheKnownOne) {
    Env t;
    t.users.ensure("anna@example.ru", "старый-длинный-пароль", "Анна", "customer");
    auto known = t.call("POST", "/internal/password-resets", R"({"email":"ANNA@example.ru"})");
    auto unknown = t.call("POST", "/internal/password-resets", R"({"email":"ghost@example.ru"})");
    EXPECT_EQ(known.status, 202);
    EXPECT_EQ(unknown.status, known.status);
    EXPECT_EQ(unknown.body, known.body);
    auto tokens = emailed_tokens(t);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].size(), 43u);
    // Only the token's digest is stored; the event goes by email alone.
    auto stored = t.pool.exec({"s", "SELECT token_hash FROM password_resets"}).text(0, "token_hash");
    EXPECT_EQ(stored, auth::sha256_hex(tokens[0]));
    auto channels = t.pool.exec({"c", "SELECT envelope::jsonb->'payload'->>'channels' AS c FROM outbox"}).text(0, "c");
    EXPECT_EQ(channels, R"(["email"])");
    EXPECT_EQ(count(t, "password_reset_requests"), 2);
    auto bad = t.call("POST", "/internal/password-resets", R"({"email":"not an address"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(t.fields(bad), std::vector<std::string>{"email"});
    EXPECT_EQ(count(t, "password_reset_requests"), 2);
}

TEST(IdentityPg, ResetRequestsAreLimitedPerAddressKnownOrNot) {
    Env t;
    t.users.ensure("anna@example.ru", "старый-длинный-пароль", "Анна", "customer");
    for (auto address : {"anna@example.ru", "ghost@example.ru"}) {
        auto body = std::string(R"({"email":")") + address + "\"}";
        for (int i = 0; i < 3; ++i) EXPECT_EQ(t.call("POST", "/internal/password-resets", body).status, 202);
        auto refused = t.call("POST", "/internal/password-resets", body);
        EXPECT_EQ(refused.status, 429) << address;
        auto wait = std::stoi(refused.headers.get("Retry-After").value_or("0"));
        EXPECT_GT(wait, 3500);
        EXPECT_LE(wait, 3600);
    }
    EXPECT_EQ(emailed_tokens(t).size(), 3u);
    // Another address is not held back by them.
    EXPECT_EQ(t.call("POST", "/internal/password-resets", R"({"email":"boris@example.ru"})").status, 202);
}

TEST(IdentityPg, AResetLinkSetsTheNewPasswordOnceAndVoidsTheOtherLinks) {
    Env t;
    t.users.ensure("anna@example.ru", "старый-длинный-пароль", "Анна", "customer");
    t.call("POST", "/internal/password-resets", R"({"email":"anna@example.ru"})");
    t.call("POST", "/internal/password-resets", R"({"email":"anna@example.ru"})");
    auto tokens = emailed_tokens(t);
    ASSERT_EQ(tokens.size(), 2u);
    auto confirm = [&](const std::string& token, const std::string& password) {
        boost::json::object body{{"token", token}, {"password", password}};
        return t.call("POST", "/internal/password-resets/confirm", boost::json::serialize(body));
    };
    auto weak = confirm(tokens[0], "short");
    EXPECT_EQ(t.fields(weak), std::vector<std::string>{"password"});
    auto malformed = confirm("abc", "новый-длинный-пароль");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(t.fields(malformed), std::vector<std::string>{"token"});
    auto unknown = confirm(std::string(43, 'A'), "новый-длинный-пароль");
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(t.fields(unknown), std::vector<std::string>{"token"});

    auto ok = confirm(tokens[0], "новый-длинный-пароль");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(boost::json::parse(ok.body).as_object()["email"].as_string(), "anna@example.ru");
    EXPECT_TRUE(t.users.verify("anna@example.ru", "новый-длинный-пароль"));
    EXPECT_FALSE(t.users.verify("anna@example.ru", "старый-длинный-пароль"));
    // Once only; and the other link of the account stopped working too.
    EXPECT_EQ(confirm(tokens[0], "третий-длинный-пароль").status, 422);
    EXPECT_EQ(confirm(tokens[1], "третий-длинный-пароль").status, 422);
    EXPECT_TRUE(t.users.verify("anna@example.ru", "новый-длинный-пароль"));
    auto notices = t.pool.exec({"n", "SELECT count(*) AS n FROM outbox WHERE subject = 'notify.password_changed'"});
    EXPECT_EQ(notices.int64(0, "n"), 1);
}

TEST(IdentityPg, AnExpiredResetLinkIsRefused) {
    Env t;
    t.users.ensure("anna@example.ru", "старый-длинный-пароль", "Анна", "customer");
    t.call("POST", "/internal/password-resets", R"({"email":"anna@example.ru"})");
    auto token = emailed_tokens(t).at(0);
    t.pool.exec({"age", "UPDATE password_resets SET expires_at = now() - interval '1 second'"});
    boost::json::object body{{"token", token}, {"password", "новый-длинный-пароль"}};
    auto r = t.call("POST", "/internal/password-resets/confirm", boost::json::serialize(body));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(t.fields(r), std::vector<std::string>{"token"});
    EXPECT_TRUE(t.users.verify("anna@example.ru", "старый-длинный-пароль"));
}

TEST(IdentityPg, ANewPasswordNeedsTheCurrentOneAndVoidsOpenResetLinks) {
    Env t;
    t.users.ensure("anna@example.ru", "старый-длинный-пароль", "Анна", "customer");
    auto id = std::to_string(t.pool.exec({"id", "SELECT id FROM users"}).int64(0, "id"));
    t.call("POST", "/internal/password-resets", R"({"email":"anna@example.ru"})");
    auto change = [&](const std::string& current, const std::string& next) {
        boost::json::object body{{"current_password", current}, {"new_password", next}};
        return t.call("POST", "/internal/users/" + id + "/password", boost::json::serialize(body));
    };
    auto wrong = change("не-тот-пароль-2026", "новый-длинный-пароль");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(t.fields(wrong), std::vector<std::string>{"current_password"});
    EXPECT_EQ(t.fields(change("старый-длинный-пароль", "short")), std::vector<std::string>{"new_password"});
    EXPECT_EQ(t.fields(change("старый-длинный-пароль", "старый-длинный-пароль")),
              std::vector<std::string>{"new_password"});
    EXPECT_TRUE(t.users.verify("anna@example.ru", "старый-длинный-пароль"));
    EXPECT_EQ(change("старый-длинный-пароль", "новый-длинный-пароль").status, 204);
    EXPECT_TRUE(t.users.verify("anna@example.ru", "новый-длинный-пароль"));
    EXPECT_EQ(t.call("POST", "/internal/users/999/password", R"({"current_password":"x","new_password":"y"})").status,
              400);  // the body is checked first; a valid one for an unknown user is a 404
    boost::json::object body{{"token", emailed_tokens(t).at(0)}, {"password", "третий-длинный-пароль"}};
    EXPECT_EQ(t.call("POST", "/internal/password-resets/confirm", boost::json::serialize(body)).status, 422);
    EXPECT_EQ(t.call("POST", "/internal/users/" + id + "/password", R"({"current_password":"x"})", "customer").status,
              404);  // services only
}

TEST(IdentityPg, AnAccountsDataIsExportedAndItsDeletionLeavesNoPersonalDataAndAnnouncesIt) {
    Env t;
    t.users.ensure("anna@example.ru", "старый-длинный-пароль", "Анна", "customer");
    t.users.ensure("boris@example.ru", "другой-длинный-пароль", "Борис", "customer");
    auto id =
        std::to_string(t.pool.exec({"id", "SELECT id FROM users WHERE email = 'anna@example.ru'"}).int64(0, "id"));
    t.call("POST", "/internal/password-resets", R"({"email":"anna@example.ru"})");
    auto exported = t.call("GET", "/internal/users/" + id + "/data", "");
    ASSERT_EQ(exported.status, 200) << exported.body;
    auto data = boost::json::parse(exported.body).as_object();
    EXPECT_EQ(data["account"].as_object()["email"].as_string(), "anna@example.ru");
    ASSERT_EQ(data["links"].as_array().size(), 1u);
    EXPECT_EQ(data["links"].as_array()[0].as_object()["kind"].as_string(), "password_reset");
    EXPECT_EQ(exported.body.find("token"), std::string::npos);  // never a link's token or hash
    EXPECT_EQ(exported.body.find("argon2"), std::string::npos);

    auto erase = [&](const std::string& password) {
        return t.call("POST", "/internal/users/" + id + "/erase",
                      boost::json::serialize(boost::json::object{{"password", password}}));
    };
    auto wrong = erase("не-тот-пароль-2026");
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(t.fields(wrong), std::vector<std::string>{"password"});
    EXPECT_EQ(t.call("POST", "/internal/users/" + id + "/erase", "{}").status, 400);
    EXPECT_TRUE(t.users.verify("anna@example.ru", "старый-длинный-пароль"));  // nothing changed
    EXPECT_EQ(t.call("POST", "/internal/users/" + id + "/erase", R"({"password":"x"})", "customer").status, 404);

    auto done = erase("старый-длинный-пароль");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(boost::json::parse(done.body).as_object()["email"].as_string(), "anna@example.ru");
    EXPECT_FALSE(t.users.verify("anna@example.ru", "старый-длинный-пароль"));
    EXPECT_EQ(t.call("GET", "/internal/users/" + id, "").status, 410);
    EXPECT_EQ(t.call("GET", "/internal/users/" + id + "/data", "").status, 410);
    auto row = t.pool.exec({"row",
                            "SELECT email, name, phone, password_hash, deleted_at IS NOT NULL AS deleted "
                            "FROM users WHERE id = $1::bigint"},
                           pg::Params(id));
    EXPECT_EQ(row.text(0, "email"), "deleted-" + id + "@deleted.invalid");
    EXPECT_EQ(row.text(0, "name"), "Удалённый покупатель");
    EXPECT_FALSE(row.opt_text(0, "phone"));
    EXPECT_EQ(row.text(0, "password_hash"), "");
    EXPECT_TRUE(row.boolean(0, "deleted"));
    auto left = t.pool.exec({"left",
                             "SELECT (SELECT count(*) FROM password_resets) + "
                             "(SELECT count(*) FROM password_reset_requests) AS n"});
    EXPECT_EQ(left.int64(0, "n"), 0);
    auto announced = t.pool.exec({"announced", "SELECT envelope FROM outbox WHERE subject = 'account.deleted'"});
    ASSERT_EQ(announced.rows(), 1);
    auto envelope = boost::json::parse(announced.text(0, "envelope")).as_object();
    EXPECT_EQ(envelope["payload"].as_object()["user_id"].as_string(), id);
    EXPECT_EQ(erase("старый-длинный-пароль").status, 404);  // once
    // The address is free again; the other account is untouched.
    EXPECT_EQ(t.call("POST", "/internal/users",
                     R"({"consent":true,"email":"anna@example.ru","password":"новый-длинный-пароль","name":"Анна"})")
                  .status,
              201);
    EXPECT_TRUE(t.users.verify("boris@example.ru", "другой-длинный-пароль"));
}

namespace {
// The codes sent by SMS, oldest first, as the outbox carries them to notifications.
std::vector<std::string> texted_codes(Env& t) {
    std::vector<std::string> out;
    auto r = t.pool.exec({"codes",
                          "SELECT envelope::jsonb->'payload'->'params'->>'code' AS code, "
                          "envelope::jsonb->'payload'->>'sms_to' AS sms_to, "
                          "envelope::jsonb->'payload'->'channels' = '[\"sms\"]'::jsonb AS sms_only "
                          "FROM outbox WHERE subject = 'notify.phone_verify' ORDER BY created_at, id"});
    for (int i = 0; i < r.rows(); ++i) {
        EXPECT_EQ(r.text(i, "sms_to"), "+79991234567");
        EXPECT_TRUE(r.boolean(i, "sms_only"));
        out.push_back(r.text(i, "code"));
    }
    return out;
}
std::string other_code(const std::string& code) { return code == "000000" ? "000001" : "000000"; }
}  // namespace

TEST(IdentityPg, RandomCodesAreSixDigitsAndVary) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        auto c = random_code();
        ASSERT_EQ(c.size(), 6u);
        ASSERT_EQ(c.find_first_not_of("0123456789"), std::string::npos) << c;
        seen.insert(c);
    }
    EXPECT_GT(seen.size(), 190u);
    EXPECT_NE(code_hash(1, "+79991234567", "123456"), code_hash(2, "+79991234567", "123456"));
    EXPECT_NE(code_hash(1, "+79991234567", "123456"), code_hash(1, "+79991234568", "123456"));
    EXPECT_EQ(masked_phone("+79991234567"), "+79991****67");
}

TEST(IdentityPg, APhoneIsConfirmedByTheTextedCodeOnceAndAChangedNumberIsUnconfirmedAgain) {
    Env t;
    auto made = t.call("POST", "/internal/users",
                       R"({"consent":true,"email":"p@example.ru","password":"достаточно-длинный","name":"П"})");
    auto id = std::string(boost::json::parse(made.body).as_object()["id"].as_string());
    auto path = "/internal/users/" + id + "/phone-verification";
    // No number yet: nothing to send to.
    auto none = t.call("POST", path, "{}");
    EXPECT_EQ(none.status, 422);
    EXPECT_EQ(t.fields(none), std::vector<std::string>{"phone"});
    ASSERT_EQ(t.call("PATCH", "/internal/users/" + id, R"({"phone":"+79991234567"})").status, 200);
    EXPECT_FALSE(
        boost::json::parse(t.call("GET", "/internal/users/" + id, "").body).as_object()["phone_verified"].as_bool());

    auto sent = t.call("POST", path, "{}");
    ASSERT_EQ(sent.status, 202) << sent.body;
    EXPECT_NE(sent.body.find("+79991****67"), std::string::npos) << sent.body;
    auto codes = texted_codes(t);
    ASSERT_EQ(codes.size(), 1u);
    // Only the code's digest is stored.
    auto stored = t.pool.exec({"stored", "SELECT code_hash FROM phone_codes"});
    EXPECT_EQ(stored.text(0, "code_hash"), code_hash(std::stoll(id), "+79991234567", codes[0]));

    auto confirm = [&](const std::string& code) {
        return t.call("POST", path + "/confirm", boost::json::serialize(boost::json::object{{"code", code}}));
    };
    auto malformed = confirm("12 45");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(t.fields(malformed), std::vector<std::string>{"code"});
    auto wrong = confirm(other_code(codes[0]));
    EXPECT_EQ(wrong.status, 422);
    EXPECT_NE(wrong.body.find("осталось 4 попытки"), std::string::npos) << wrong.body;
    auto ok = confirm(codes[0]);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_TRUE(boost::json::parse(ok.body).as_object()["phone_verified"].as_bool());
    EXPECT_EQ(confirm(codes[0]).status, 409);  // confirmed already
    EXPECT_EQ(t.call("POST", path, "{}").status, 409);

    // The same number again keeps it confirmed; another one is unconfirmed, and an old code never confirms it.
    auto same = t.call("PATCH", "/internal/users/" + id, R"({"phone":"+79991234567","name":"Пётр"})");
    EXPECT_TRUE(boost::json::parse(same.body).as_object()["phone_verified"].as_bool());
    auto other = t.call("PATCH", "/internal/users/" + id, R"({"phone":"+79990000000"})");
    EXPECT_FALSE(boost::json::parse(other.body).as_object()["phone_verified"].as_bool());
    EXPECT_EQ(confirm(codes[0]).status, 422);
}

TEST(IdentityPg, APhoneCodeDiesAfterFiveWrongTriesAndCodesAreLimitedPerAccount) {
    Env t;
    auto made = t.call("POST", "/internal/users",
                       R"({"consent":true,"email":"q@example.ru","password":"достаточно-длинный","name":"Q",)"
                       R"("phone":"+79991234567"})");
    auto id = std::string(boost::json::parse(made.body).as_object()["id"].as_string());
    auto path = "/internal/users/" + id + "/phone-verification";
    auto confirm = [&](const std::string& code) {
        return t.call("POST", path + "/confirm", boost::json::serialize(boost::json::object{{"code", code}}));
    };
    ASSERT_EQ(t.call("POST", path, "{}").status, 202);
    auto code = texted_codes(t).at(0);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(confirm(other_code(code)).status, 422);
    auto dead = confirm(code);  // the right code, too late
    EXPECT_EQ(dead.status, 422);
    EXPECT_NE(dead.body.find("phone-code-expired"), std::string::npos) << dead.body;

    // A new code voids the one before it; after the hour's allowance (3 here) the next is refused with a wait.
    ASSERT_EQ(t.call("POST", path, "{}").status, 202);
    ASSERT_EQ(t.call("POST", path, "{}").status, 202);
    auto limited = t.call("POST", path, "{}");
    EXPECT_EQ(limited.status, 429);
    EXPECT_TRUE(limited.headers.get("Retry-After"));
    {
        auto codes = texted_codes(t);
        ASSERT_EQ(codes.size(), 3u);
        if (codes[1] != codes[2]) {
            EXPECT_EQ(confirm(codes[1]).status, 422);
        }
        EXPECT_EQ(confirm(codes[2]).status, 200);
    }
    // An expired code is refused.
    t.pool.exec({"unverify", "UPDATE users SET phone_verified_at = NULL"});
    t.pool.exec({"reopen", "UPDATE phone_codes SET used_at = NULL, attempts = 0, expires_at = now() - interval '1 s'"});
    EXPECT_EQ(confirm(texted_codes(t).at(2)).status, 422);
}
