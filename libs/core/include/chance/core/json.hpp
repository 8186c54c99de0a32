#pragma once
// Reading untrusted JSON bodies: every problem is collected as a field error, and finish() throws one
// 400 problem listing them all. Nothing is half-read: callers act only after finish() succeeds.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chance/core/error.hpp"

namespace chance::json {

// An optional as JSON: its value, or null (an optional column, a field a record may lack).
template <class T>
boost::json::value or_null(const std::optional<T>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

bool valid_utf8(std::string_view s);
// Number of Unicode code points (s must be valid UTF-8).
size_t utf8_length(std::string_view s);

// Parses a request body that must be a JSON object (400 otherwise).
boost::json::object parse_object(std::string_view body);

class Reader {
  public:
    explicit Reader(std::string_view body) : obj_(parse_object(body)) {}
    explicit Reader(boost::json::object obj) : obj_(std::move(obj)) {}

    std::optional<std::string> str(std::string_view key, bool required, size_t max_chars = 1000, size_t min_chars = 0);
    std::optional<int64_t> int64(std::string_view key, bool required, int64_t min = INT64_MIN, int64_t max = INT64_MAX);
    std::optional<bool> boolean(std::string_view key, bool required);
    const boost::json::value* value(std::string_view key) const;
    const boost::json::object& object() const { return obj_; }

    void fail(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
    bool ok() const { return errors_.empty(); }
    // Throws a 400 problem with every collected field error.
    void finish(std::string_view prefix = {}) const;
    const std::vector<FieldError>& errors() const { return errors_; }

  private:
    boost::json::object obj_;
    std::vector<FieldError> errors_;
};

}  // namespace chance::json
