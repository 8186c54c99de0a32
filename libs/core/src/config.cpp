#include "chance/core/config.hpp"

#include <cctype>
#include <cstdlib>
#include <set>

namespace chance::core {
namespace {
std::optional<std::string> real_env(const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): nothing in the services sets the env
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}
}  // namespace

std::string Config::env_name(const std::string& key) {
    std::string out = "CHANCE_";
    for (char c : key) out += (c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

Config Config::load(const std::vector<Setting>& settings, int argc, const char* const* argv, EnvLookup env) {
    if (env == nullptr) env = &real_env;
    std::map<std::string, const Setting*> known;
    for (const auto& s : settings) known[s.key] = &s;

    std::map<std::string, std::string> flags;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::string text = "settings (flag --key=value or environment):\n";
            for (const auto& s : settings) {
                text += "  --" + s.key + " / " + env_name(s.key) + "  " + s.help;
                if (s.default_value && !s.secret) text += " (default: " + *s.default_value + ")";
                if (!s.default_value) text += " (required)";
                text += "\n";
            }
            throw ConfigError(text);
        }
        if (arg.rfind("--", 0) != 0) throw ConfigError("unexpected argument '" + arg + "'");
        auto eq = arg.find('=');
        std::string key = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
            value = argv[++i];
        } else {
            value = "true";
        }
        if (!known.contains(key)) throw ConfigError("unknown setting --" + key + " (see --help)");
        flags[key] = value;
    }

    Config cfg;
    std::vector<std::string> missing;
    for (const auto& s : settings) {
        cfg.secret_[s.key] = s.secret;
        if (auto f = flags.find(s.key); f != flags.end()) {
            cfg.values_[s.key] = f->second;
        } else if (auto e = env(env_name(s.key).c_str())) {
            cfg.values_[s.key] = *e;
        } else if (s.default_value) {
            cfg.values_[s.key] = *s.default_value;
        } else {
            missing.push_back("--" + s.key + " / " + env_name(s.key));
        }
    }
    if (!missing.empty()) {
        std::string msg = "missing required setting(s): ";
        for (size_t i = 0; i < missing.size(); ++i) msg += (i ? ", " : "") + missing[i];
        throw ConfigError(msg);
    }
    return cfg;
}

const std::string& Config::get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw ConfigError("setting '" + key + "' was not declared");
    return it->second;
}

int Config::get_int(const std::string& key) const {
    const auto& v = get(key);
    try {
        size_t pos = 0;
        int n = std::stoi(v, &pos);
        if (pos != v.size()) throw std::invalid_argument(v);
        return n;
    } catch (const std::exception&) {
        throw ConfigError("setting " + env_name(key) + " must be an integer, got '" + v + "'");
    }
}

bool Config::get_bool(const std::string& key) const {
    const auto& v = get(key);
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
    if (v.empty() || v == "0" || v == "false" || v == "no" || v == "off") return false;
    throw ConfigError("setting " + env_name(key) + " must be a boolean, got '" + v + "'");
}

bool Config::has(const std::string& key) const { return values_.contains(key) && !values_.at(key).empty(); }

std::string Config::describe() const {
    std::string out;
    for (const auto& [k, v] : values_) {
        out += k + "=" + (secret_.at(k) ? std::string(v.empty() ? "" : "***") : v) + " ";
    }
    return out;
}

}  // namespace chance::core
