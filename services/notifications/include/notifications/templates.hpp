#pragma once
// Russian message templates (pure; unit-tested). Dates arrive as RFC 3339 UTC and are shown in the
// customer's time zone by the `local_time` function the caller passes in.
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>

namespace chance::notifications {

struct Rendered {
    std::string subject;
    std::string text;
    std::string html;
    std::string sms;
};

using LocalTime = std::function<std::string(const std::string& rfc3339)>;

bool known_template(const std::string& name);
// Throws std::invalid_argument when a parameter the template needs is missing or of the wrong type.
Rendered render(const std::string& name, const boost::json::object& params, const std::string& customer_name,
                const LocalTime& local_time);

}  // namespace chance::notifications
