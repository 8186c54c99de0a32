#include "premieres/ordering/domain.hpp"

#include <algorithm>
#include <set>

#include "chance/core/time.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres::ordering {

Money price_for(const PremiereTerms& t, int hours, time::TimePoint now) {
    return quote(t.price_online, t.factors.at(hours), t.discount_percent, t.discount_until, now).total;
}

Money total_of(const std::vector<OrderLine>& lines) {
    Money total;
    for (const auto& l : lines) total = total + l.price;
    return total;
}

std::optional<std::string> show_refusal(const std::optional<ShowTerms>& show, int64_t premiere, time::TimePoint now) {
    if (!show || show->premiere_id != premiere) return "Показ не найден";
    if (show->cancelled) return "Этот показ отменён";
    if (show->starts_at <= now) return "Показ уже начался";
    return std::nullopt;
}

std::optional<OrderLine> check_line(const LineInput& line, const std::optional<PremiereTerms>& terms,
                                    const std::optional<ShowTerms>& show, time::TimePoint now, const std::string& at,
                                    std::vector<LineError>& errors) {
    auto fail = [&](const std::string& field, std::string message) {
        errors.push_back({{at + "." + field, std::move(message)}, Fault::rule});
        return std::nullopt;
    };
    if (!terms || terms->hidden) return fail("premiere_id", "Премьера не найдена или недоступна");
    int hours = line.period ? *line.period : terms->base_period;
    if (!terms->factors.contains(hours)) return fail("period", "Можно выбрать: " + period_list(terms->factors) + " ч.");
    if (line.show_id) {
        // A seat at a live show: the window starts at the show, whatever the reservation window says.
        if (auto refused = show_refusal(show, terms->id, now)) return fail("show_id", *refused);
        if (line.starts_at) return fail("starts_at", "Время начала задаёт показ: не указывайте его");
        auto q =
            quote(terms->price_online, terms->factors.at(hours), terms->discount_percent, terms->discount_until, now);
        return OrderLine{terms->id,      terms->title, hours,      show->starts_at, q.total,
                         show->capacity, false,        q.discount, show->id};
    }
    auto start = now;
    if (line.starts_at) {
        auto t = time::parse_rfc3339(*line.starts_at);
        if (!t) return fail("starts_at", "Дата и время в формате RFC 3339");
        start = *t;
    }
    if (start < now - std::chrono::minutes(5)) return fail("starts_at", "Время начала уже прошло");
    if (start < terms->from || start > terms->until)
        return fail("starts_at", "Премьеру можно забронировать с " + time::format_rfc3339(terms->from) + " до " +
                                     time::format_rfc3339(terms->until));
    auto q = quote(terms->price_online, terms->factors.at(hours), terms->discount_percent, terms->discount_until, now);
    return OrderLine{terms->id, terms->title, hours, start, q.total, std::nullopt, !line.starts_at, q.discount};
}

std::vector<OrderLine> check_order(const OrderForm& form, const TermsLookup& terms, time::TimePoint now) {
    return check_order(
        form, terms, [](int64_t) { return std::optional<ShowTerms>{}; }, now);
}

std::vector<OrderLine> check_order(const OrderForm& form, const TermsLookup& terms, const ShowLookup& shows,
                                   time::TimePoint now) {
    std::vector<LineError> errors;
    std::vector<OrderLine> lines;
    if (form.lines.empty()) {
        errors.push_back({{"items", "Нужна хотя бы одна премьера"}, Fault::rule});
    } else if (form.lines.size() > 20) {
        errors.push_back({{"items", "Не больше 20 премьер в заказе"}, Fault::rule});
    } else {
        std::set<int64_t> seen;
        for (size_t i = 0; i < form.lines.size(); ++i) {
            const auto& in = form.lines[i];
            auto at = "items[" + std::to_string(i) + "]";
            if (!in.errors.empty()) {
                errors.insert(errors.end(), in.errors.begin(), in.errors.end());
                continue;
            }
            auto show = in.show_id ? shows(*in.show_id) : std::nullopt;
            if (auto line = check_line(in, terms(*in.premiere_id), show, now, at, errors)) {
                if (!seen.insert(line->premiere_id).second)
                    errors.push_back({{at + ".premiere_id", "Премьера уже есть в заказе"}, Fault::rule});
                lines.push_back(*line);
            }
        }
    }
    if (!errors.empty()) {
        std::vector<FieldError> fields;
        fields.reserve(errors.size());
        for (const auto& e : errors) fields.push_back(e.error);
        bool shape =
            std::any_of(errors.begin(), errors.end(), [](const LineError& e) { return e.fault == Fault::shape; });
        if (shape) throw bad_request("Проверьте поле " + fields.front().field, fields);
        throw unprocessable("Заказ нельзя оформить: проверьте поле " + fields.front().field, fields);
    }
    return lines;
}

RequoteResult requote(const PlacedLine& line, const std::optional<PremiereTerms>& terms, time::TimePoint now) {
    if (!terms || terms->hidden || !terms->factors.contains(line.period)) return {Requote::unavailable};
    auto price = price_for(*terms, line.period, now).as_kopecks();
    if (price != line.price) return {Requote::price_changed, price};
    return {Requote::same};
}

Problem requote_problem(const PlacedLine& line, const RequoteResult& r) {
    if (r.kind == Requote::price_changed)
        return Problem(409, "Цена изменилась",
                       "Цена премьеры «" + line.title +
                           "» изменилась. Оформите заказ заново, чтобы подтвердить новую цену.")
            .with_type("price-changed")
            .with("new_price", r.new_price);
    return conflict("Премьера «" + line.title + "» больше недоступна");
}

bool sold_out(std::optional<int64_t> capacity, int64_t taken) { return capacity && taken >= *capacity; }

int64_t seats_left(int64_t capacity, int64_t taken) { return std::max<int64_t>(capacity - taken, 0); }

std::string_view show_status(int64_t capacity, int64_t taken, bool cancelled, bool started) {
    if (cancelled) return "cancelled";
    if (started) return "started";
    return sold_out(capacity, taken) ? "sold_out" : "on_sale";
}

void offer_payment(Order& o, int64_t balance) {
    o.balance = balance;
    o.next = balance >= o.total ? "confirm" : "top_up";
    o.shortfall = std::max<int64_t>(0, o.total - balance);
}

namespace {
std::string quoted(const std::string& title) { return "«" + title + "»"; }
}  // namespace

std::vector<Movement> movements_of(const HistoryOrder& o) {
    std::vector<Movement> out;
    auto whole_order = [&](const std::string& what) {
        std::vector<ReceiptLine> lines;
        for (const auto& i : o.items) lines.push_back({i.title, what, i.period, i.starts_at, i.ends_at, i.price});
        return lines;
    };
    if (o.paid_at)
        out.push_back({MovementKind::payment, o.total, *o.paid_at, "Оплата заказа", "payment", whole_order("")});
    for (const auto& e : o.events) {
        auto id = std::to_string(e.id);
        if (e.type == "order_cancelled_sold_out") {
            auto refund = e.refund;
            if (refund <= 0) continue;
            if (!o.paid_at)
                out.push_back({MovementKind::payment, refund, e.at, "Оплата заказа", "payment", whole_order("")});
            out.push_back({MovementKind::refund, refund, e.at, "Возврат: онлайн-места на показ закончились", id,
                           whole_order("возврат: места закончились")});
        } else if (e.type == "rental_cancelled") {
            auto refund = e.refund;
            if (refund > 0)
                out.push_back(
                    {MovementKind::refund,
                     refund,
                     e.at,
                     "Возврат: аренда " + quoted(e.title) + " отменена",
                     id,
                     {{e.title, "возврат: аренда отменена", std::nullopt, std::nullopt, std::nullopt, refund}}});
        } else if (e.type == "staff_refund") {
            // By the store's staff (ADR 0022): of one rental (its title) or of the order as a whole.
            if (e.refund <= 0) continue;
            auto what = "возврат: " + e.reason;
            std::vector<ReceiptLine> lines;
            if (!e.title.empty())
                lines.push_back({e.title, what, std::nullopt, std::nullopt, std::nullopt, e.refund});
            else
                lines.push_back({"Заказ", what, std::nullopt, std::nullopt, std::nullopt, e.refund});
            out.push_back(
                {MovementKind::refund, e.refund, e.at, "Возврат от магазина: " + e.reason, id, std::move(lines)});
        } else if (e.type == "rental_changed") {
            auto charged = e.charged;
            auto refunded = e.refunded;
            auto period = e.period;
            std::optional<std::string> starts = e.starts_at, ends;
            if (starts)
                if (auto t = time::parse_rfc3339(*starts); t && period > 0)
                    ends = time::format_rfc3339(*t + std::chrono::hours(period));
            auto changed = period > 0 ? std::optional(period) : std::nullopt;
            if (charged > 0)
                out.push_back({MovementKind::surcharge,
                               charged,
                               e.at,
                               "Доплата: изменение аренды " + quoted(e.title),
                               id,
                               {{e.title, "доплата за изменение аренды", changed, starts, ends, charged}}});
            if (refunded > 0)
                out.push_back({MovementKind::refund,
                               refunded,
                               e.at,
                               "Возврат: изменение аренды " + quoted(e.title),
                               id,
                               {{e.title, "возврат за изменение аренды", changed, starts, ends, refunded}}});
        }
    }
    return out;
}

}  // namespace chance::premieres::ordering
