#include "chance/core/json.hpp"

#include <boost/json.hpp>

#include "chance/core/text.hpp"

namespace chance::json {

bool valid_utf8(std::string_view s) {
    char32_t cp = 0;
    for (size_t i = 0; i < s.size();)
        if (!text::utf8_next(s, i, cp)) return false;
    return true;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

boost::json::object parse_object(std::string_view body) {
    if (body.empty()) throw bad_request("Тело запроса пустое: ожидается JSON-объект");
    boost::system::error_code ec;
    boost::json::parse_options opts;
    opts.max_depth = 32;
    boost::json::value v = boost::json::parse(body, ec, {}, opts);
    if (ec) throw bad_request("Некорректный JSON в теле запроса");
    if (!v.is_object()) throw bad_request("Ожидается JSON-объект");
    return std::move(v.as_object());
}

const boost::json::value* Reader::value(std::string_view key) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return nullptr;
    return &it->value();
}

std::optional<std::string> Reader::str(std::string_view key, bool required, size_t max_chars, size_t min_chars) {
    const auto* v = value(key);
    if (v == nullptr) {
        if (required) fail(std::string(key), "Обязательное поле");
        return std::nullopt;
    }
    if (!v->is_string()) {
        fail(std::string(key), "Ожидается строка");
        return std::nullopt;
    }
    std::string s(v->as_string());
    size_t len = utf8_length(s);
    if (len > max_chars) {
        fail(std::string(key), "Не длиннее " + std::to_string(max_chars) + " символов");
        return std::nullopt;
    }
    if (len < min_chars) {
        fail(std::string(key),
             min_chars == 1 ? "Обязательное поле" : "Не короче " + std::to_string(min_chars) + " символов");
        return std::nullopt;
    }
    return s;
}

std::optional<int64_t> Reader::int64(std::string_view key, bool required, int64_t min, int64_t max) {
    const auto* v = value(key);
    if (v == nullptr) {
        if (required) fail(std::string(key), "Обязательное поле");
        return std::nullopt;
    }
    int64_t n;
    if (v->is_int64()) {
        n = v->as_int64();
    } else if (v->is_uint64() || v->is_double()) {
        fail(std::string(key), v->is_double() ? "Ожидается целое число" : "Слишком большое число");
        return std::nullopt;
    } else {
        fail(std::string(key), "Ожидается целое число");
        return std::nullopt;
    }
    if (n < min || n > max) {
        fail(std::string(key), "Допустимо от " + std::to_string(min) + " до " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> Reader::boolean(std::string_view key, bool required) {
    const auto* v = value(key);
    if (v == nullptr) {
        if (required) fail(std::string(key), "Обязательное поле");
        return std::nullopt;
    }
    if (!v->is_bool()) {
        fail(std::string(key), "Ожидается true или false");
        return std::nullopt;
    }
    return v->as_bool();
}

void Reader::finish(std::string_view prefix) const {
    if (errors_.empty()) return;
    std::vector<FieldError> errs = errors_;
    if (!prefix.empty())
        for (auto& e : errs) e.field = std::string(prefix) + "." + e.field;
    std::string detail = "Проверьте поле " + errs.front().field + (errs.size() > 1 ? " и другие" : "");
    throw bad_request(std::move(detail), std::move(errs));
}

}  // namespace chance::json
