#pragma once
// Configuration from flags (--http-port=8081) and environment (CHANCE_HTTP_PORT=8081); flags win.
// Every setting is declared up front: an unknown flag or a missing required setting stops start-up
// with a message that names it.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace chance::core {

struct Setting {
    std::string key;                           // kebab-case, e.g. "http-port"
    std::optional<std::string> default_value;  // nullopt = required
    std::string help;
    bool secret = false;  // never printed
};

class ConfigError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Config {
  public:
    // env: a lookup for environment variables (tests pass their own).
    using EnvLookup = std::optional<std::string> (*)(const char*);
    static Config load(const std::vector<Setting>& settings, int argc, const char* const* argv,
                       EnvLookup env = nullptr);

    const std::string& get(const std::string& key) const;
    int get_int(const std::string& key) const;
    bool get_bool(const std::string& key) const;
    bool has(const std::string& key) const;
    // A printable summary with secrets masked.
    std::string describe() const;

    static std::string env_name(const std::string& key);  // http-port -> CHANCE_HTTP_PORT

  private:
    std::map<std::string, std::string> values_;
    std::map<std::string, bool> secret_;
};

}  // namespace chance::core
