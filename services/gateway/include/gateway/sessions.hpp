#pragma once
// Server-side sessions: idle timeout 30 min, absolute 12 h, or 30 days with "remember me".
#include <optional>
#include <string>

#include "chance/pg/pg.hpp"

namespace chance::gateway {

struct Session {
    std::string id_hash;
    std::string user_id;
    std::string role;
    std::string time_zone;
    std::string csrf_token;
    bool remember = false;
};

struct NewSession {
    std::string token;  // goes into the cookie, never stored
    Session session;
    std::chrono::seconds max_age{};
};

class Sessions {
  public:
    explicit Sessions(pg::Pool& pool) : pool_(pool) {}
    NewSession create(const std::string& user_id, const std::string& role, const std::string& time_zone, bool remember);
    // The live session for a cookie token (and touches it), or nullopt.
    std::optional<Session> find(const std::string& token);
    void destroy(const std::string& token);
    void update_time_zone(const std::string& id_hash, const std::string& tz);

  private:
    pg::Pool& pool_;
};

}  // namespace chance::gateway
