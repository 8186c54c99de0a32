#pragma once
// Typed errors that separate what the client sees (status, type, title, detail, field errors) from what only
// the log sees (internal). The HTTP layer renders them as application/problem+json (RFC 9457).
//
// `type` is the machine-readable kind of the problem: a stable slug such as "validation" or
// "insufficient-funds", rendered as the URI reference "/problems/<slug>" (docs/api-contract.md lists every
// kind). Programs decide on the type, never on the Russian title or detail, which are for people.
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chance {

struct FieldError {
    std::string field;
    std::string message;
};

// The URI reference a problem type is rendered as.
inline constexpr const char* kProblemTypePrefix = "/problems/";

class Problem : public std::runtime_error {
  public:
    // The type defaults to the status's generic kind (default_problem_type); with_type() names a finer one.
    Problem(int status, std::string title, std::string detail = {}, std::vector<FieldError> errors = {});

    int status() const { return status_; }
    // The slug, without kProblemTypePrefix.
    const std::string& type() const { return type_; }
    const std::string& title() const { return title_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    // Extra members of the problem body (for example "shortfall" on 402).
    boost::json::object& extra() { return extra_; }
    const boost::json::object& extra() const { return extra_; }
    // Extra response headers (for example Retry-After, Allow).
    std::vector<std::pair<std::string, std::string>>& headers() { return headers_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

    Problem&& with(const std::string& key, boost::json::value v) &&;
    Problem&& with_type(std::string slug) &&;
    Problem&& with_header(std::string name, std::string value) &&;

    boost::json::object to_json() const;

  private:
    int status_;
    std::string type_;
    std::string title_;
    std::string detail_;
    std::vector<FieldError> errors_;
    boost::json::object extra_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

// The generic kind of a status: 400 "bad-request", 401 "unauthorized", 403 "forbidden", 404 "not-found",
// 405 "method-not-allowed", 409 "conflict", 413 "payload-too-large", 422 "validation", 429 "rate-limited",
// 431 "headers-too-large", 500 "internal", 503 "unavailable"; any other status "http-<status>".
std::string default_problem_type(int status);
// The slug of a rendered type ("/problems/validation" → "validation"; "about:blank" or anything else → "").
std::string problem_type_slug(std::string_view uri);

// Convenience constructors with Russian titles (everything a customer sees is in Russian).
Problem bad_request(std::string detail, std::vector<FieldError> errors = {});
Problem unauthorized(std::string detail = "Требуется вход в систему");
Problem forbidden(std::string detail);
Problem not_found(std::string detail = "Не найдено");
Problem conflict(std::string detail);
Problem unprocessable(std::string detail, std::vector<FieldError> errors = {});
Problem too_many_requests(std::string detail, int retry_after_seconds);
Problem unavailable(std::string detail, int retry_after_seconds = 1);

}  // namespace chance
