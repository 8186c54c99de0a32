#include "premieres/rentals/domain.hpp"

#include <stdexcept>

#include "chance/core/error.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres::rentals {

std::string_view to_string(Status s) {
    switch (s) {
        case Status::upcoming:
            return "upcoming";
        case Status::active:
            return "active";
        case Status::expired:
            return "expired";
        case Status::cancelled:
            return "cancelled";
    }
    return "expired";
}

Status status_from(std::string_view s) {
    if (s == "upcoming") return Status::upcoming;
    if (s == "active") return Status::active;
    if (s == "expired") return Status::expired;
    if (s == "cancelled") return Status::cancelled;
    throw std::invalid_argument("unknown rental status " + std::string(s));
}

ChangePlan plan_change(const Rental& current, const std::optional<ordering::PremiereTerms>& terms, const Change& change,
                       time::TimePoint now) {
    if (current.status == Status::cancelled || current.status == Status::expired)
        throw conflict("Аренда уже завершена или отменена");
    bool started = current.status == Status::active;
    if (started && change.starts_at) throw conflict("Показ уже начался: время начала изменить нельзя");
    if (current.show_id && change.starts_at && *change.starts_at != *time::parse_rfc3339(current.starts_at))
        throw unprocessable("Время прямой трансляции не переносится",
                            {{"starts_at", "Место куплено на показ в определённое время"}});
    int hours = change.period ? *change.period : static_cast<int>(current.period);
    if (!terms || !terms->factors.contains(hours))
        throw unprocessable("Такой срок недоступен",
                            {{"period", terms ? "Можно выбрать: " + period_list(terms->factors) + " ч." : ""}});
    if (started && hours < current.period) throw conflict("После начала показа срок можно только продлить");
    auto start = change.starts_at.value_or(*time::parse_rfc3339(current.starts_at));
    if (change.starts_at &&
        (*change.starts_at < now || *change.starts_at < terms->from || *change.starts_at > terms->until))
        throw unprocessable("Это время начала недоступно",
                            {{"starts_at", "Выберите время в окне бронирования, не в прошлом"}});
    ChangePlan plan;
    plan.hours = hours;
    plan.start = start;
    plan.ends = start + std::chrono::hours(hours);
    plan.amount = hours == current.period ? current.amount : ordering::price_for(*terms, hours, now).as_kopecks();
    plan.diff = plan.amount - current.amount;
    return plan;
}

}  // namespace chance::premieres::rentals
