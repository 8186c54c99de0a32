#include "premieres/ordering/history.hpp"

#include <map>

#include "chance/core/error.hpp"
#include "chance/core/uuid.hpp"
#include "premieres/ordering/store.hpp"

namespace chance::premieres::ordering {

std::vector<HistoryOrder> History::list(const std::string& user, int limit, const std::optional<std::string>& before) {
    return store::history_orders(pool_, user, limit, before);
}

std::string History::receipt(const std::string& user, const std::string& order_id, const std::string& receipt,
                             const std::string& time_zone) {
    if (!is_uuid(order_id)) throw not_found("Заказ не найден");
    auto found_order = store::history_order(pool_, user, order_id);
    if (!found_order) throw not_found("Заказ не найден");
    const auto& order = *found_order;
    auto movements = movements_of(order);
    const Movement* found = nullptr;
    for (const auto& m : movements)
        if (m.receipt == receipt) found = &m;
    if (!found) throw not_found("Такого чека у заказа нет");
    // Every time the receipt shows, converted in one query.
    std::vector<std::string> times{found->at};
    for (const auto& l : found->lines) {
        if (l.starts_at) times.push_back(*l.starts_at);
        if (l.ends_at) times.push_back(*l.ends_at);
    }
    auto zone = time_zone.empty() ? std::string("Europe/Moscow") : time_zone;
    auto converted = store::local_times(pool_, times, zone);
    std::map<std::string, std::string> local;
    for (size_t i = 0; i < times.size() && i < converted.size(); ++i) local[times[i]] = converted[i];
    return render_receipt(seller_, order, *found, [&](const std::string& t) { return local.at(t); });
}

}  // namespace chance::premieres::ordering
