#include "chance/core/error.hpp"

#include <boost/json.hpp>

namespace chance {

Problem::Problem(int status, std::string title, std::string detail, std::vector<FieldError> errors)
    : std::runtime_error(title + ": " + detail),
      status_(status),
      type_(default_problem_type(status)),
      title_(std::move(title)),
      detail_(std::move(detail)),
      errors_(std::move(errors)) {}

Problem&& Problem::with(const std::string& key, boost::json::value v) && {
    extra_[key] = std::move(v);
    return std::move(*this);
}

Problem&& Problem::with_type(std::string slug) && {
    type_ = std::move(slug);
    return std::move(*this);
}

Problem&& Problem::with_header(std::string name, std::string value) && {
    headers_.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
}

boost::json::object Problem::to_json() const {
    boost::json::object o;
    o["type"] = kProblemTypePrefix + type_;
    o["title"] = title_;
    o["status"] = status_;
    if (!detail_.empty()) o["detail"] = detail_;
    if (!errors_.empty()) {
        boost::json::array arr;
        for (const auto& e : errors_) arr.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
        o["errors"] = std::move(arr);
    }
    for (const auto& [k, v] : extra_) o[k] = v;
    return o;
}

std::string default_problem_type(int status) {
    switch (status) {
        case 400:
            return "bad-request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not-found";
        case 405:
            return "method-not-allowed";
        case 409:
            return "conflict";
        case 413:
            return "payload-too-large";
        case 422:
            return "validation";
        case 429:
            return "rate-limited";
        case 431:
            return "headers-too-large";
        case 500:
            return "internal";
        case 503:
            return "unavailable";
        default:
            return "http-" + std::to_string(status);
    }
}

std::string problem_type_slug(std::string_view uri) {
    std::string_view prefix = kProblemTypePrefix;
    if (uri.size() <= prefix.size() || uri.substr(0, prefix.size()) != prefix) return {};
    return std::string(uri.substr(prefix.size()));
}

Problem bad_request(std::string detail, std::vector<FieldError> errors) {
    return Problem(400, "Некорректный запрос", std::move(detail), std::move(errors));
}
Problem unauthorized(std::string detail) { return Problem(401, "Требуется вход", std::move(detail)); }
Problem forbidden(std::string detail) { return Problem(403, "Доступ запрещён", std::move(detail)); }
Problem not_found(std::string detail) { return Problem(404, "Не найдено", std::move(detail)); }
Problem conflict(std::string detail) { return Problem(409, "Конфликт", std::move(detail)); }
Problem unprocessable(std::string detail, std::vector<FieldError> errors) {
    return Problem(422, "Данные не прошли проверку", std::move(detail), std::move(errors));
}
Problem too_many_requests(std::string detail, int retry_after_seconds) {
    return Problem(429, "Слишком много запросов", std::move(detail))
        .with_header("Retry-After", std::to_string(retry_after_seconds))
        .with("retry_after", retry_after_seconds);
}
Problem unavailable(std::string detail, int retry_after_seconds) {
    return Problem(503, "Сервис временно недоступен", std::move(detail))
        .with_header("Retry-After", std::to_string(retry_after_seconds))
        .with("retry_after", retry_after_seconds);
}

}  // namespace chance
