#pragma once
// Times are UTC on the wire (RFC 3339) and in the database (timestamptz). A Clock that tests can move.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace chance::time {

using TimePoint = std::chrono::system_clock::time_point;

std::string format_rfc3339(TimePoint t, bool millis = false);
// Accepts 2026-11-28T18:00:00Z, with fractional seconds, and with a +03:00 style offset.
std::optional<TimePoint> parse_rfc3339(std::string_view s);

class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
  public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock for tests: starts at a given time and moves only when told.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
    void advance(std::chrono::system_clock::duration d) { now_ += d.count(); }
    void set(TimePoint t) { now_ = t.time_since_epoch().count(); }

  private:
    std::atomic<TimePoint::duration::rep> now_;
};

}  // namespace chance::time
