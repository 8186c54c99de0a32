#include <gtest/gtest.h>
#include <cctype>

#include "chance/auth/auth.hpp"

using namespace chance::auth;
using namespace std::chrono_literals;

namespace {
// NOLINTNEXTLINE(cert-err58-cpp): a test binary that cannot make its key may end at start-up
const std::string kKey = key_from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
}  // namespace

TEST(Password, Argon2idRoundTrip) {
    auto h = hash_password("correct horse battery staple");
    EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
    EXPECT_NE(h.find("m=19456"), std::string::npos) << h;
    EXPECT_TRUE(verify_password("correct horse battery staple", h));
    EXPECT_FALSE(verify_password("correct horse battery stapl", h));
    EXPECT_NE(hash_password("same password!"), hash_password("same password!"));  // salted
}

TEST(Identity, SignedTokenVerifiesAndCarriesTheUser) {
    auto token = sign_identity({"42", "customer", "Asia/Yekaterinburg"}, kKey);
    auto id = verify_identity(token, kKey);
    ASSERT_TRUE(id);
    EXPECT_EQ(id->user_id, "42");
    EXPECT_EQ(id->role, "customer");
    EXPECT_EQ(id->time_zone, "Asia/Yekaterinburg");
}

TEST(Identity, ForgedTamperedExpiredOrForeignKeyIsRejected) {
    auto now = std::chrono::system_clock::now();
    auto token = sign_identity({"42", "customer", ""}, kKey, 60s, now);
    EXPECT_FALSE(verify_identity(token, kKey, now + 61s));
    auto other = key_from_hex(std::string(64, 'a'));
    EXPECT_FALSE(verify_identity(token, other, now));
    // Swap in an admin payload while keeping the old signature.
    auto admin = sign_identity({"42", "admin", ""}, other, 60s, now);
    auto forged = admin.substr(0, admin.rfind('.')) + token.substr(token.rfind('.'));
    EXPECT_FALSE(verify_identity(forged, kKey, now));
    EXPECT_FALSE(verify_identity("v1.e30.AAAA", kKey, now));
    EXPECT_FALSE(verify_identity("", kKey, now));
}

TEST(Hmac, KnownVector) {
    // RFC 4231 test case 2.
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sha256, KnownVectorAndHexRoundTrip) {
    // FIPS 180-2, appendix B.1.
    const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    EXPECT_EQ(sha256_hex("abc"), abc);
    EXPECT_EQ(hex(sha256("abc")), abc);
    auto parsed = sha256_from_hex(abc);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, sha256("abc"));
    std::string upper = abc;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(sha256_from_hex(upper), parsed);
    EXPECT_FALSE(sha256_from_hex(abc.substr(1)));
    EXPECT_FALSE(sha256_from_hex(abc + "0"));
    EXPECT_FALSE(sha256_from_hex("zz" + abc.substr(2)));
    EXPECT_FALSE(sha256_from_hex(""));
}

TEST(Tokens, RandomAndUrlSafe) {
    auto a = random_token();
    EXPECT_EQ(a.size(), 43u);
    EXPECT_NE(a, random_token());
    EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
    EXPECT_THROW(key_from_hex("zz"), std::invalid_argument);
}
