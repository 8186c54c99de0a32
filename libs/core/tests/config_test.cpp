#include <gtest/gtest.h>

#include <map>

#include "chance/core/config.hpp"

using chance::core::Config;
using chance::core::ConfigError;
using chance::core::Setting;

namespace {
std::map<std::string, std::string> g_env;
std::optional<std::string> fake_env(const char* name) {
    auto it = g_env.find(name);
    if (it == g_env.end()) return std::nullopt;
    return it->second;
}
// NOLINTNEXTLINE(cert-err58-cpp): a test binary that cannot allocate may end at start-up
const std::vector<Setting> kSettings{
    {"http-port", "8080", "port"}, {"pg-dsn", std::nullopt, "database", true}, {"log-level", "info", "level"}};
}  // namespace

TEST(Config, FlagsWinOverEnvironmentOverDefaults) {
    g_env = {{"CHANCE_HTTP_PORT", "9000"}, {"CHANCE_PG_DSN", "postgresql://x"}, {"CHANCE_LOG_LEVEL", "debug"}};
    const char* argv[] = {"svc", "--log-level=warn"};
    auto cfg = Config::load(kSettings, 2, argv, &fake_env);
    EXPECT_EQ(cfg.get_int("http-port"), 9000);
    EXPECT_EQ(cfg.get("log-level"), "warn");
    EXPECT_EQ(cfg.get("pg-dsn"), "postgresql://x");
}

TEST(Config, MissingRequiredSettingIsNamed) {
    g_env = {};
    const char* argv[] = {"svc"};
    try {
        Config::load(kSettings, 1, argv, &fake_env);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("CHANCE_PG_DSN"), std::string::npos) << e.what();
    }
}

TEST(Config, UnknownFlagIsRejected) {
    g_env = {{"CHANCE_PG_DSN", "x"}};
    const char* argv[] = {"svc", "--http-prot=1"};
    EXPECT_THROW(Config::load(kSettings, 2, argv, &fake_env), ConfigError);
}

TEST(Config, SecretsAreMaskedInDescription) {
    g_env = {{"CHANCE_PG_DSN", "postgresql://user:hunter2@h/db"}};
    const char* argv[] = {"svc", "--http-port", "81"};
    auto cfg = Config::load(kSettings, 3, argv, &fake_env);
    EXPECT_EQ(cfg.get_int("http-port"), 81);
    EXPECT_EQ(cfg.describe().find("hunter2"), std::string::npos);
}

TEST(Config, NonIntegerIsReportedWithTheVariableName) {
    g_env = {{"CHANCE_PG_DSN", "x"}, {"CHANCE_HTTP_PORT", "80a"}};
    const char* argv[] = {"svc"};
    auto cfg = Config::load(kSettings, 1, argv, &fake_env);
    EXPECT_THROW(cfg.get_int("http-port"), ConfigError);
}
