#pragma once
// Typed errors that separate what the client sees (status, title, detail, field errors) from what only
// the log sees (internal). The HTTP layer renders them as application/problem+json (RFC 9457).
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace chance {

struct FieldError {
    std::string field;
    std::string message;
};

class Problem : public std::runtime_error {
  public:
    Problem(int status, std::string title, std::string detail = {}, std::vector<FieldError> errors = {});

    int status() const { return status_; }
    const std::string& title() const { return title_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    // Extra members of the problem body (for example "shortfall" on 402).
    boost::json::object& extra() { return extra_; }
    const boost::json::object& extra() const { return extra_; }
    // Extra response headers (for example Retry-After, Allow).
    std::vector<std::pair<std::string, std::string>>& headers() { return headers_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

    Problem&& with(std::string key, boost::json::value v) &&;
    Problem&& with_header(std::string name, std::string value) &&;

    boost::json::object to_json() const;

  private:
    int status_;
    std::string title_;
    std::string detail_;
    std::vector<FieldError> errors_;
    boost::json::object extra_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

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
