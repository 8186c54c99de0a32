#include "premieres/ordering/receipt.hpp"

#include <optional>
#include <utility>

#include "chance/core/money.hpp"
#include "chance/core/text.hpp"

namespace chance::premieres::ordering {

namespace {

std::string quoted(const std::string& title) { return "«" + title + "»"; }

std::string money(int64_t kopecks) { return Money::kopecks(kopecks).format(); }

// The VAT of an amount that includes it, at the seller's rate: {label, amount or none}.
std::pair<std::string, std::optional<int64_t>> vat_of(const std::string& rate, int64_t amount) {
    if (rate == "20") return {"НДС 20%", Money::kopecks(amount).scale_half_up(20, 120).as_kopecks()};
    if (rate == "10") return {"НДС 10%", Money::kopecks(amount).scale_half_up(10, 110).as_kopecks()};
    if (rate == "0") return {"НДС 0%", 0};
    return {"Без НДС", std::nullopt};
}

}  // namespace

std::string render_receipt(const Seller& seller, const HistoryOrder& order, const Movement& m,
                           const std::function<std::string(const std::string&)>& local) {
    using text::html_escape;
    bool refund = m.kind == MovementKind::refund;
    auto row = [](const std::string& name, const std::string& value, const char* cls = "") {
        return "<tr><th scope=\"row\">" + name + "</th><td class=\"" + cls + "\">" + value + "</td></tr>";
    };
    // The receipt's number within its order: the movements in the order they happened, from 1.
    size_t number = 1;
    for (const auto& other : movements_of(order)) {
        if (other.receipt == m.receipt && other.kind == m.kind) break;
        ++number;
    }
    auto or_missing = [](const std::string& s) { return s.empty() ? std::string("не указано") : html_escape(s); };
    std::string html =
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Кассовый чек — заказ " +
        html_escape(order.id) +
        "</title><style>"
        "body{font:15px/1.45 system-ui,sans-serif;color:#111;background:#f4f4f4;margin:0;padding:16px}"
        "main{max-width:640px;margin:0 auto;background:#fff;padding:24px;border:1px solid #ccc}"
        "h1{font-size:22px;margin:0 0 4px}.op{font-size:18px;margin:0 0 16px}"
        "table{width:100%;border-collapse:collapse;margin:12px 0}th,td{text-align:left;padding:4px 6px;"
        "vertical-align:top;border-bottom:1px solid #e2e2e2}td.n,th.n{text-align:right;white-space:nowrap}"
        ".lines{overflow-x:auto}.total td,.total th{font-weight:700;border-bottom:2px solid #111}"
        ".note{color:#555;font-size:13px}@media print{body{background:#fff;padding:0}main{border:0;padding:0}}"
        "</style></head><body><main><h1>Кассовый чек</h1><p class=\"op\">" +
        std::string(refund ? "Возврат прихода" : "Приход") + "</p><table>" + row("Продавец", or_missing(seller.name)) +
        row("ИНН", or_missing(seller.inn)) + row("Адрес", or_missing(seller.address)) +
        row("Система налогообложения", or_missing(seller.tax_system)) + row("Место расчётов", or_missing(seller.site)) +
        row("Эл. почта отправителя", or_missing(seller.email)) + row("Заказ", html_escape(order.id)) +
        row("Документ", "№ " + std::to_string(number) + " по заказу") + row("Дата и время", html_escape(local(m.at))) +
        "</table><div class=\"lines\"><table><thead><tr><th scope=\"col\">Наименование</th>"
        "<th scope=\"col\" class=\"n\">Кол-во</th><th scope=\"col\" class=\"n\">Цена</th>"
        "<th scope=\"col\" class=\"n\">Сумма</th><th scope=\"col\" class=\"n\">НДС</th></tr></thead><tbody>";
    int64_t sum = 0, vat_sum = 0;
    bool any_vat = false;
    for (const auto& l : m.lines) {
        std::string name = "Онлайн-показ " + quoted(html_escape(l.title));
        if (l.period) name += ", " + std::to_string(*l.period) + " ч";
        if (l.starts_at && l.ends_at)
            name += ", с " + html_escape(local(*l.starts_at)) + " по " + html_escape(local(*l.ends_at));
        if (!l.what.empty()) name += " (" + html_escape(l.what) + ")";
        auto [vat_label, vat] = vat_of(seller.vat, l.amount);
        if (vat) {
            any_vat = true;
            vat_sum += *vat;
        }
        sum += l.amount;
        html += "<tr><td>";
        html += name;
        html += "<br><small>Признак предмета расчёта: услуга</small></td><td class=\"n\">1</td><td class=\"n\">";
        html += money(l.amount);
        html += "</td><td class=\"n\">";
        html += money(l.amount);
        html += "</td><td class=\"n\">";
        html += vat_label;
        if (vat) html += "<br>" + money(*vat);
        html += "</td></tr>";
    }
    html += "</tbody></table></div><table><tr class=\"total\"><th scope=\"row\">Итого</th><td class=\"n\">" +
            money(sum) + "</td></tr>" +
            row(refund ? "Возвращено на баланс «Шанс-видео» (безналичными)"
                       : "Безналичными: зачёт предоплаты (баланс «Шанс-видео»)",
                money(sum), "n") +
            row(any_vat ? "Сумма НДС чека" : "НДС", any_vat ? money(vat_sum) : std::string("Без НДС"), "n") +
            row("Признак способа расчёта", "Полный расчёт", "n") + "</table>" +
            "<p class=\"note\">Онлайн-касса к магазину пока не подключена: в документе нет фискальных реквизитов "
            "(РН ККТ, ФН, ФД, ФП). Чтобы сохранить чек, распечатайте страницу.</p></main></body></html>";
    return html;
}

}  // namespace chance::premieres::ordering
