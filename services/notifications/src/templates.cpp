#include "notifications/templates.hpp"

#include <boost/json.hpp>
#include <set>
#include <stdexcept>

#include "chance/core/money.hpp"
#include "notifications/mime.hpp"

namespace chance::notifications {

namespace {
std::string str(const boost::json::object& p, const char* key) {
    auto* v = p.if_contains(key);
    if (!v) throw std::invalid_argument(std::string("missing parameter ") + key);
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    throw std::invalid_argument(std::string("parameter ") + key + " has the wrong type");
}

std::string money(const boost::json::object& p, const char* key) {
    auto* v = p.if_contains(key);
    if (!v || !v->is_int64()) throw std::invalid_argument(std::string("parameter ") + key + " must be kopecks");
    return Money::kopecks(v->as_int64()).format();
}

Rendered wrap(std::string subject, const std::string& name, const std::string& lead, const std::string& details_text,
              const std::string& details_html, std::string sms) {
    Rendered r;
    r.subject = std::move(subject);
    r.text =
        "Здравствуйте, " + name + "!\n\n" + lead + "\n\n" + details_text + "\n\nС уважением,\nкоманда «Шанс-видео»\n";
    r.html =
        "<!doctype html><html lang=\"ru\"><body style=\"font-family:sans-serif;color:#222\">"
        "<h2 style=\"color:#5b0f1a\">Шанс-видео</h2><p>Здравствуйте, " +
        html_escape(name) + "!</p><p>" + html_escape(lead) + "</p>" + details_html +
        "<p style=\"color:#777\">С уважением,<br>команда «Шанс-видео»</p></body></html>";
    r.sms = std::move(sms);
    return r;
}
}  // namespace

bool known_template(const std::string& name) {
    static const std::set<std::string> kKnown{
        "purchase_confirmed",  "rental_started", "rental_ending_soon", "rental_cancelled", "rental_changed",
        "topup_succeeded",     "topup_failed",   "password_reset",     "password_changed", "email_verify",
        "email_change_verify", "email_changed",  "staff_refund",       "phone_verify",     "rental_starting_soon",
        "rental_unwatched",    "show_cancelled"};
    return kKnown.contains(name);
}

namespace {
Rendered render_message(const std::string& name, const boost::json::object& p, const std::string& customer,
                        const LocalTime& local);
}  // namespace

Rendered render(const std::string& name, const boost::json::object& p, const std::string& customer,
                const LocalTime& local) {
    auto r = render_message(name, p, customer, local);
    // A reminder's way out, for a person reading it (a mail program uses the List-Unsubscribe header).
    if (p.contains("unsubscribe_page")) {
        auto url = str(p, "unsubscribe_page");
        r.text += "\nНе хотите получать напоминания о показах? Отписаться: " + url + "\n";
        auto end = r.html.rfind("</body>");
        r.html.insert(end == std::string::npos ? r.html.size() : end,
                      "<p style=\"color:#777;font-size:12px\"><a href=\"" + html_escape(url) +
                          "\">Отписаться от напоминаний о показах</a></p>");
    }
    return r;
}

namespace {
Rendered render_message(const std::string& name, const boost::json::object& p, const std::string& customer,
                        const LocalTime& local) {
    if (name == "purchase_confirmed") {
        auto* items = p.if_contains("items");
        if (!items || !items->is_array() || items->as_array().empty())
            throw std::invalid_argument("purchase_confirmed needs items");
        std::string text, html = "<table cellpadding=\"6\" style=\"border-collapse:collapse\">", titles;
        for (const auto& it : items->as_array()) {
            if (!it.is_object()) throw std::invalid_argument("item must be an object");
            const auto& x = it.as_object();
            auto title = str(x, "title");
            auto window = local(str(x, "starts_at")) + " — " + local(str(x, "ends_at"));
            text += "• «";
            text += title;
            text += "»: смотреть можно с ";
            text += window;
            text += " (";
            text += money(x, "amount");
            text += ")\n";
            html += "<tr><td><b>" + html_escape(title) + "</b></td><td>" + html_escape(window) + "</td><td>" +
                    html_escape(money(x, "amount")) + "</td>";
            // A rental whose window is open at purchase: this letter is its «window opened» notice too.
            if (x.contains("watch_url")) {
                auto url = str(x, "watch_url");
                text += "  Окно просмотра уже открыто, смотреть: " + url + "\n";
                html += "<td><a href=\"" + html_escape(url) + "\">Смотреть сейчас</a></td>";
            }
            html += "</tr>";
            // A voucher for the theatre's box office (ADR 0028): the online price counts toward a ticket.
            if (const auto* v = x.if_contains("voucher"); v && v->is_object()) {
                const auto& voucher = v->as_object();
                auto code = str(voucher, "code");
                auto line = "Ваучер в кассу театра на " + money(voucher, "amount") + " (действует до " +
                            local(str(voucher, "valid_until")) + "): " + code;
                text += "  " + line + "\n";
                html += "<tr><td colspan=\"3\">" + html_escape(line) + "</td></tr>";
            }
            titles += (titles.empty() ? "«" : ", «") + title + "»";
        }
        html += "</table><p>Итого: <b>" + html_escape(money(p, "total")) + "</b></p>";
        text += "\nИтого: " + money(p, "total") + "\nПремьеры ждут вас в разделе «Мои премьеры».";
        html += "<p>Премьеры ждут вас в разделе «Мои премьеры».</p>";
        // The order in «Мои заказы», with its receipt (events published before it existed carry no address).
        if (p.contains("orders_url")) {
            auto url = str(p, "orders_url");
            text += "\nЧек и история заказа: " + url;
            html += "<p><a href=\"" + html_escape(url) + "\">Чек и история заказа</a></p>";
        }
        return wrap("Премьера оплачена: " + titles, customer, "Спасибо за покупку! Оплата прошла успешно.", text, html,
                    "Шанс-видео: оплачено " + titles + ". Срок и время — в разделе «Мои премьеры».");
    }
    if (name == "rental_started") {
        auto title = str(p, "title");
        auto until = local(str(p, "ends_at"));
        return wrap("Показ «" + title + "» начался", customer, "Окно просмотра премьеры «" + title + "» открыто.",
                    "Смотреть можно до " + until + ": " + str(p, "watch_url"),
                    "<p>Смотреть можно до <b>" + html_escape(until) + "</b>.</p><p><a href=\"" +
                        html_escape(str(p, "watch_url")) + "\">Смотреть</a></p>",
                    "Шанс-видео: «" + title + "» можно смотреть до " + until);
    }
    if (name == "show_cancelled") {
        auto title = str(p, "title");
        auto when = local(str(p, "starts_at"));
        auto refund = money(p, "refund");
        return wrap("Показ «" + title + "» " + when + " отменён", customer,
                    "Театр отменил прямую трансляцию «" + title + "», назначенную на " + when + ".",
                    "Деньги за место, " + refund + ", вернулись на ваш баланс в «Шанс-видео». Приносим извинения.",
                    "<p>Деньги за место, <b>" + html_escape(refund) +
                        "</b>, вернулись на ваш баланс в «Шанс-видео». Приносим извинения.</p>",
                    "Шанс-видео: показ «" + title + "» " + when + " отменён, " + refund + " вернулись на баланс");
    }
    if (name == "rental_starting_soon") {
        auto title = str(p, "title");
        auto from = local(str(p, "starts_at"));
        auto url = str(p, "watch_url");
        return wrap("Скоро начало: «" + title + "»", customer,
                    "Окно просмотра премьеры «" + title + "» откроется " + from + ".",
                    "Смотреть по ссылке: " + url + " (она заработает в " + from + ").",
                    "<p>Окно откроется <b>" + html_escape(from) + "</b>.</p><p><a href=\"" + html_escape(url) +
                        "\">Смотреть</a></p>",
                    "Шанс-видео: «" + title + "» можно смотреть с " + from);
    }
    if (name == "rental_unwatched") {
        auto title = str(p, "title");
        auto until = local(str(p, "ends_at"));
        auto url = str(p, "watch_url");
        return wrap("Вы ещё не начали смотреть «" + title + "»", customer,
                    "Половина срока аренды премьеры «" + title + "» прошла, а просмотр ещё не начинался.",
                    "Смотреть можно до " + until + ": " + url +
                        "\nЕсли не получается начать просмотр, ответьте на это письмо: мы поможем.",
                    "<p>Смотреть можно до <b>" + html_escape(until) + "</b>.</p><p><a href=\"" + html_escape(url) +
                        "\">Смотреть</a></p><p>Если не получается начать просмотр, ответьте на это письмо: мы "
                        "поможем.</p>",
                    "Шанс-видео: «" + title + "» можно смотреть до " + until);
    }
    if (name == "rental_ending_soon") {
        auto title = str(p, "title");
        auto until = local(str(p, "ends_at"));
        return wrap("Скоро закончится аренда «" + title + "»", customer,
                    "Срок аренды премьеры «" + title + "» подходит к концу.",
                    "Просмотр будет доступен до " + until + ". Продлить аренду можно в разделе «Мои премьеры».",
                    "<p>Просмотр будет доступен до <b>" + html_escape(until) +
                        "</b>. Продлить аренду можно в разделе «Мои премьеры».</p>",
                    "Шанс-видео: аренда «" + title + "» закончится " + until);
    }
    if (name == "rental_cancelled") {
        auto title = str(p, "title");
        return wrap("Аренда «" + title + "» отменена", customer, "Вы отменили аренду премьеры «" + title + "».",
                    "На баланс возвращено " + money(p, "refund") + ".",
                    "<p>На баланс возвращено <b>" + html_escape(money(p, "refund")) + "</b>.</p>",
                    "Шанс-видео: аренда «" + title + "» отменена, возвращено " + money(p, "refund"));
    }
    if (name == "staff_refund") {
        // A refund the store's staff made (ADR 0022), with the reason they gave.
        auto what = p.contains("title") ? "по аренде «" + str(p, "title") + "»" : std::string("по заказу");
        auto text = "На баланс возвращено " + money(p, "amount") + ". Причина: " + str(p, "reason") + ".";
        auto html = "<p>На баланс возвращено <b>" + html_escape(money(p, "amount")) +
                    "</b>.</p><p>Причина: " + html_escape(str(p, "reason")) + "</p>";
        if (p.contains("orders_url")) {
            text += "\nЧек возврата: " + str(p, "orders_url");
            html += "<p><a href=\"" + html_escape(str(p, "orders_url")) + "\">Чек возврата в «Моих заказах»</a></p>";
        }
        return wrap("Возврат " + what + ": " + money(p, "amount"), customer, "Магазин вернул вам деньги " + what + ".",
                    text, html, "Шанс-видео: возврат " + money(p, "amount") + " на баланс " + what);
    }
    if (name == "rental_changed") {
        auto title = str(p, "title");
        auto window = local(str(p, "starts_at")) + " — " + local(str(p, "ends_at"));
        return wrap("Аренда «" + title + "» изменена", customer, "Срок аренды премьеры «" + title + "» изменён.",
                    "Новое окно просмотра: " + window + ".",
                    "<p>Новое окно просмотра: <b>" + html_escape(window) + "</b>.</p>",
                    "Шанс-видео: «" + title + "» — " + window);
    }
    if (name == "topup_succeeded") {
        return wrap("Баланс пополнен на " + money(p, "amount"), customer, "Пополнение прошло успешно.",
                    "Зачислено: " + money(p, "amount") + ".",
                    "<p>Зачислено: <b>" + html_escape(money(p, "amount")) + "</b>.</p>",
                    "Шанс-видео: баланс пополнен на " + money(p, "amount"));
    }
    if (name == "topup_failed") {
        auto reason = p.contains("reason") ? str(p, "reason") : std::string("платёж отклонён");
        return wrap("Пополнение не прошло", customer, "Не удалось пополнить баланс на " + money(p, "amount") + ".",
                    "Причина: " + reason + ". Попробуйте другую карту.",
                    "<p>Причина: " + html_escape(reason) + ". Попробуйте другую карту.</p>",
                    "Шанс-видео: пополнение не прошло — " + reason);
    }
    if (name == "password_reset") {
        auto url = str(p, "reset_url");
        auto minutes = str(p, "minutes");
        return wrap("Смена пароля в «Шанс-видео»", customer, "Вы попросили сменить пароль.",
                    "Задайте новый пароль по ссылке (она действует " + minutes + " минут и только один раз): " + url +
                        "\n\nЕсли вы не просили сменить пароль, ничего не делайте: старый пароль продолжит работать.",
                    "<p>Задайте новый пароль по ссылке — она действует " + html_escape(minutes) +
                        " минут и только один раз:</p><p><a href=\"" + html_escape(url) +
                        "\">Задать новый пароль</a></p><p>Если вы не просили сменить пароль, ничего не делайте: "
                        "старый пароль продолжит работать.</p>",
                    "");
    }
    if (name == "password_changed") {
        auto url = str(p, "login_url");
        return wrap("Пароль изменён", customer,
                    "Пароль вашего аккаунта в «Шанс-видео» изменён, все входы на других "
                    "устройствах завершены.",
                    "Если это были не вы, восстановите доступ: " + url + " → «Забыли пароль?».",
                    "<p>Если это были не вы, восстановите доступ: <a href=\"" + html_escape(url) +
                        "\">вход</a> → «Забыли пароль?».</p>",
                    "");
    }
    if (name == "email_verify" || name == "email_change_verify") {
        auto url = str(p, "verify_url");
        auto hours = str(p, "hours");
        auto address = str(p, "email");
        bool change = name == "email_change_verify";
        auto lead = change ? "Вы попросили сменить адрес почты аккаунта на " + address + "."
                           : "Подтвердите, что адрес " + address + " ваш: на него придут чеки и напоминания.";
        auto action = change ? std::string("Сменить адрес") : std::string("Подтвердить адрес");
        auto unasked =
            change ? std::string("Если вы не просили сменить адрес, ничего не делайте: адрес останется прежним.")
                   : std::string("Если вы не регистрировались в «Шанс-видео», ничего не делайте.");
        return wrap(
            change ? "Новый адрес почты в «Шанс-видео»" : "Подтвердите адрес почты", customer, lead,
            action + " по ссылке (она действует " + hours + " часа и только один раз): " + url + "\n\n" + unasked,
            "<p>" + html_escape(action) + " по ссылке — она действует " + html_escape(hours) +
                " часа и только один раз:</p><p><a href=\"" + html_escape(url) + "\">" + html_escape(action) +
                "</a></p><p>" + html_escape(unasked) + "</p>",
            "");
    }
    if (name == "phone_verify") {
        // By SMS only (the code confirms the number it is sent to); the email parts say the same should it be shown.
        auto code = str(p, "code");
        auto minutes = str(p, "minutes");
        if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("code must be six digits");
        auto lead = "Код подтверждения номера: " + code + ". Он действует " + minutes + " минут.";
        return wrap("Код подтверждения номера", customer, lead, "Никому не сообщайте этот код.",
                    "<p>Никому не сообщайте этот код.</p>",
                    "Шанс-видео: код " + code + " для подтверждения номера. Никому его не сообщайте.");
    }
    if (name == "email_changed") {
        auto address = str(p, "new_email");
        return wrap("Адрес почты изменён", customer,
                    "Адрес почты вашего аккаунта в «Шанс-видео» изменён на " + address +
                        ". Сюда письма магазина больше не придут.",
                    "Если это были не вы, сразу обратитесь в службу поддержки «Шанс-видео»: мы вернём аккаунт.",
                    "<p>Если это были не вы, сразу обратитесь в службу поддержки «Шанс-видео»: мы вернём аккаунт.</p>",
                    "");
    }
    throw std::invalid_argument("unknown template " + name);
}
}  // namespace

}  // namespace chance::notifications
