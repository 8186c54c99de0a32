#pragma once
// Structured JSON logs, one object per line on stderr: {"ts","level","service","msg","request_id",...}.
// Fields whose names look like secrets (password, token, secret, cookie, authorization) are masked.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace chance::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

void init(std::string service, Level min_level = Level::info);
Level parse_level(std::string_view s);
void write(Level level, std::string_view msg, boost::json::object fields = {});
// Whether a line at this level would be written: check it before building costly fields.
bool enabled(Level level);

inline void debug(std::string_view m, boost::json::object f = {}) { write(Level::debug, m, std::move(f)); }
inline void info(std::string_view m, boost::json::object f = {}) { write(Level::info, m, std::move(f)); }
inline void warn(std::string_view m, boost::json::object f = {}) { write(Level::warn, m, std::move(f)); }
inline void error(std::string_view m, boost::json::object f = {}) { write(Level::error, m, std::move(f)); }

// The request id of the request the current thread is serving (empty outside requests).
class RequestScope {
  public:
    explicit RequestScope(std::string request_id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

  private:
    std::string previous_;
};
const std::string& current_request_id();

// Exposed for tests: masks secret-looking fields in place.
void redact(boost::json::object& fields);

}  // namespace chance::log
