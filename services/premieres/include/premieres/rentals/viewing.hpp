#pragma once
// Watching a rental (docs/adr/0025): playback sessions. A session is one device's stream of one rental. The player
// starts one (POST /rentals/:id/playback), which ends the rental's live session elsewhere (one stream per rental at
// a time: the unique index on live sessions decides); renews its short-lived URL within it; and beacons its position
// and errors every few seconds. Every media request is checked against its session: a stream taken over is refused
// from its next segment. The first and last segments served are recorded (about every ten seconds), the rental keeps
// where the last beacon was (resume on any device) and when it was first played (the «not started» reminder).
#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "chance/core/error.hpp"
#include "chance/pg/pg.hpp"

namespace chance::premieres::rentals {

// The player's beacon: {session, position?, error?}. 400 naming the field at fault. Pure; unit-tested.
struct Beacon {
    std::string session;
    std::optional<int> position;       // seconds into the premiere
    std::optional<std::string> error;  // what the player failed at (its words, up to 200 characters)
};
Beacon read_beacon(std::string_view body);
// A session id as Viewing makes it (22 base64url characters).
bool session_shaped(std::string_view s);
// A User-Agent as kept for a session: printable ASCII only, at most 200 characters.
std::string device_label(std::string_view user_agent);
// 409 «Просмотр продолжен на другом устройстве» (type playback-taken-over).
Problem taken_over();

struct Stream {
    std::string session;
    int resume_at = 0;       // seconds: where the rental's last beacon was, on any device
    bool took_over = false;  // another device's stream was ended
};

class Viewing {
  public:
    explicit Viewing(pg::Pool& pool) : pool_(pool) {}

    // A new stream of the customer's rental (its window checked by the caller) on `device`, ending the live one.
    // 404 when the rental is not the customer's.
    Stream start(const std::string& user, int64_t rental, const std::string& device);
    // Nothing when `session` is the rental's live stream; 409 taken_over() when it was ended; 404 unknown.
    void require_live(const std::string& user, int64_t rental, const std::string& session);
    // A media request under `session`'s grant: false when the stream was ended. A segment records the session's
    // first and last segment and the rental's first play. With the database unreachable it answers true: playback
    // goes on, and the check with it when the database is back.
    bool on_media(const std::string& session, bool segment);
    // The store could not serve a file the screening needs (`what`): counted on the session and timed on the rental
    // (ADR 0026). Never throws: a failure to record is logged.
    void store_failure(const std::string& session, int64_t rental, const std::string& what);
    // Records the beacon (the rental's resume position only from its live stream). 409 taken_over() when the
    // stream was ended (the player stops and says so); 404 unknown.
    void beacon(const std::string& user, int64_t rental, const Beacon& b);
    // Every session of the customer's (ADR 0021's download): rental, device, times, position, errors, how it ended.
    boost::json::array export_of(const std::string& user);

  private:
    pg::Pool& pool_;
};

}  // namespace chance::premieres::rentals
