#include "billing/service.hpp"

#include <boost/json.hpp>
#include <ctime>

#include "billing/ledger.hpp"
#include "billing/sandbox.hpp"
#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/money.hpp"
#include "chance/core/text.hpp"
#include "chance/core/uuid.hpp"
#include "chance/http/client.hpp"
#include "chance/messaging/events.hpp"

namespace chance::billing {

namespace {
constexpr pg::Query kPaymentInsert{"payment_insert",
                                   "INSERT INTO payments (id, user_id, amount, return_url, form_token) "
                                   "VALUES ($1::uuid, $2, $3, $4, $5)"};
constexpr pg::Query kPaymentGet{
    "payment_get",
    "SELECT id::text AS id, user_id, amount, status, return_url, form_token, decline_reason "
    "FROM payments WHERE id = $1::uuid"};
constexpr pg::Query kPaymentStatus{"payment_status",
                                   "UPDATE payments SET status = $2, decline_reason = $3, updated_at = now() "
                                   "WHERE id = $1::uuid AND status IN ('pending', 'awaiting_confirmation')"};
constexpr pg::Query kPaymentFinal{
    "payment_finalise",
    "UPDATE payments SET status = $2, decline_reason = $3, updated_at = now() "
    "WHERE id = $1::uuid AND status NOT IN ('succeeded', 'declined') RETURNING user_id, amount"};
constexpr pg::Query kEvent{
    "provider_event_insert",
    "INSERT INTO provider_events (event_id, payment_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING"};

using text::html_escape;

http::Response page(int status, const std::string& title, const std::string& body) {
    std::string html =
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>" +
        html_escape(title) +
        " — Песочница оплаты</title><style>"
        "body{font-family:system-ui,sans-serif;background:#f4f1ec;color:#222;margin:0}"
        "main{max-width:420px;margin:40px auto;background:#fff;border-radius:12px;padding:28px;"
        "box-shadow:0 4px 24px rgba(0,0,0,.08)}h1{font-size:22px;margin:0 0 6px}"
        ".amount{font-size:30px;font-weight:700;color:#5b0f1a;margin:10px 0 20px}"
        "label{display:block;margin:12px 0 4px;font-size:14px}input{width:100%;box-sizing:border-box;padding:10px;"
        "font-size:16px;border:1px solid #bbb;border-radius:8px}.row{display:flex;gap:12px}.row>div{flex:1}"
        "button{margin-top:20px;width:100%;padding:12px;font-size:16px;background:#5b0f1a;color:#fff;border:0;"
        "border-radius:8px;cursor:pointer}.error{color:#b00020;font-size:14px;margin-top:4px}"
        ".hint{font-size:13px;color:#666;margin-top:18px}a{color:#5b0f1a}</style></head><body><main>" +
        body + "</main></body></html>";
    return http::Response::text(status, html, "text/html; charset=utf-8");
}

std::string card_form(const pg::Result& p, const std::string& error_field, const std::string& error) {
    auto err = [&](const char* field) {
        return error_field == field ? "<div class=\"error\" role=\"alert\">" + html_escape(error) + "</div>" : "";
    };
    auto id = p.text(0, "id");
    return "<h1>Пополнение баланса «Шанс-видео»</h1><div class=\"amount\">" +
           html_escape(Money::kopecks(p.int64(0, "amount")).format()) +
           "</div>"
           "<form method=\"post\" action=\"/pay/" +
           id +
           "\">"
           "<input type=\"hidden\" name=\"form_token\" value=\"" +
           html_escape(p.text(0, "form_token")) +
           "\">"
           "<label for=\"number\">Номер карты</label><input id=\"number\" name=\"number\" inputmode=\"numeric\" "
           "autocomplete=\"cc-number\" placeholder=\"4242 4242 4242 4242\" required>" +
           err("number") +
           "<div class=\"row\"><div><label for=\"expiry\">Срок действия</label><input id=\"expiry\" name=\"expiry\" "
           "placeholder=\"ММ/ГГ\" autocomplete=\"cc-exp\" required>" +
           err("expiry") +
           "</div><div><label for=\"cvc\">CVC</label><input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" "
           "autocomplete=\"cc-csc\" required>" +
           err("cvc") +
           "</div></div>"
           "<label for=\"holder\">Имя владельца</label><input id=\"holder\" name=\"holder\" autocomplete=\"cc-name\">"
           "<button type=\"submit\">Оплатить</button></form>"
           "<p class=\"hint\">Песочница: 4242 4242 4242 4242 — успешно, 4000 0000 0000 0002 — отказ, "
           "4000 0000 0000 3220 — с подтверждением (код 123456).</p>";
}

struct Billing {
    Billing(service::Runtime& rt)
        : rt(rt),
          ledger(rt.pool()),
          origin(rt.config().get("public-origin")),
          sandbox(origin, auth::key_from_hex(rt.config().get("payment-webhook-secret"))),
          provider(sandbox),
          self("http://127.0.0.1:" + rt.config().get("http-port")) {}

    service::Runtime& rt;
    Ledger ledger;
    std::string origin;
    SandboxProvider sandbox;    // the local acquirer: its pages below, its notifications over HTTP
    PaymentProvider& provider;  // what billing itself relies on
    http::Client self;          // the provider calls billing's webhook over HTTP, as an acquirer would

    static std::string header_key(const http::Request& req) {
        auto key = req.headers.get("Idempotency-Key");
        if (!key || key->empty() || key->size() > 200)
            throw bad_request("Нужен заголовок Idempotency-Key", {{"Idempotency-Key", "Обязательный заголовок"}});
        return *key;
    }

    pg::Result own_payment(const http::Request& req, const std::string& id) {
        auto caller = service::require_user(req);
        if (!is_uuid(id)) throw not_found("Платёж не найден");
        auto p = rt.db().exec(kPaymentGet, pg::Params(id));
        if (p.empty() || p.text(0, "user_id") != caller.user_id) throw not_found("Платёж не найден");
        return p;
    }

    http::Response fill(http::Request& req) {
        auto caller = service::require_user(req);
        json::Reader r(req.body);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        auto ret = r.str("return_url", false, 500);
        std::string return_url = ret.value_or("/billing");
        if (return_url.empty() || return_url[0] != '/' || return_url.rfind("//", 0) == 0 ||
            return_url.find('\\') != std::string::npos)
            r.fail("return_url", "Ожидается адрес страницы магазина, начинающийся с /");
        r.finish();
        auto id = uuid_v7();
        rt.db().exec(kPaymentInsert, pg::Params(id, caller.user_id, *summ, return_url, auth::random_token(24)));
        return http::Response::json(
            201, boost::json::object{{"payment_id", id}, {"confirmation_url", provider.confirmation_url(id)}});
    }

    http::Response payment_status(http::Request& req) {
        auto p = own_payment(req, req.param("id"));
        auto reason = p.opt_text(0, "decline_reason");
        return http::Response::json(boost::json::object{
            {"payment_id", p.text(0, "id")},
            {"amount", p.int64(0, "amount")},
            {"status", p.text(0, "status")},
            {"decline_reason", reason ? boost::json::value(*reason) : boost::json::value(nullptr)}});
    }

    http::Response pay_page(http::Request& req) {
        auto p = own_payment(req, req.param("id"));
        auto status = p.text(0, "status");
        if (status == "succeeded" || status == "declined") return finished_page(p);
        if (status == "awaiting_confirmation") return confirmation_page(p, "");
        return page(200, "Оплата", card_form(p, "", ""));
    }

    http::Response confirmation_page(const pg::Result& p, const std::string& error) {
        auto id = p.text(0, "id");
        return page(200, "Подтверждение",
                    "<h1>Подтверждение платежа</h1><div class=\"amount\">" +
                        html_escape(Money::kopecks(p.int64(0, "amount")).format()) +
                        "</div><p>Банк отправил код подтверждения. Введите его, чтобы завершить оплату.</p>"
                        "<form method=\"post\" action=\"/pay/" +
                        id +
                        "/confirm\"><input type=\"hidden\" "
                        "name=\"form_token\" value=\"" +
                        html_escape(p.text(0, "form_token")) +
                        "\">"
                        "<label for=\"code\">Код из SMS</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" "
                        "autocomplete=\"one-time-code\" required>" +
                        (error.empty() ? "" : "<div class=\"error\" role=\"alert\">" + html_escape(error) + "</div>") +
                        "<button type=\"submit\">Подтвердить</button></form>");
    }

    http::Response finished_page(const pg::Result& p) {
        bool ok = p.text(0, "status") == "succeeded";
        auto back = p.text(0, "return_url");
        back += (back.find('?') == std::string::npos ? "?" : "&") + std::string("payment=") + p.text(0, "id");
        auto res =
            page(ok ? 303 : 200, ok ? "Оплата прошла" : "Оплата отклонена",
                 std::string(ok ? "<h1>Оплата прошла</h1>"
                                : "<h1>Оплата отклонена</h1><p>" +
                                      html_escape(p.opt_text(0, "decline_reason").value_or("Банк отклонил платёж")) +
                                      "</p>") +
                     "<p><a href=\"" + html_escape(back) + "\">Вернуться в магазин</a></p>");
        if (ok) res.headers.set("Location", back);
        return res;
    }

    void check_form_token(const pg::Result& p, const std::map<std::string, std::string>& form) {
        auto it = form.find("form_token");
        if (it == form.end() || !auth::constant_time_equals(it->second, p.text(0, "form_token")))
            throw forbidden("Форма устарела: откройте страницу оплаты заново");
    }

    // Sends the provider's signed notification to billing and waits for it to be processed.
    void notify_provider_result(const std::string& payment_id, const std::string& status, int64_t amount,
                                const std::string& reason) {
        auto [text, signature] = sandbox.notification({"evt_" + uuid_v7(), payment_id, status, amount, reason});
        http::Headers h;
        h.set("Content-Type", "application/json");
        h.set(sandbox.signature_header(), signature);
        h.set("Idempotency-Key", payment_id);  // safe to retry: crediting is idempotent
        auto r = self.send("POST", "/api/v1/payments/webhook", h, text);
        if (r.status != 200) log::warn("webhook was not accepted", {{"status", r.status}, {"payment_id", payment_id}});
    }

    http::Response pay_submit(http::Request& req) {
        auto p = own_payment(req, req.param("id"));
        auto form = http::parse_query(req.body);
        check_form_token(p, form);
        if (p.text(0, "status") != "pending") return pay_page(req);
        std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        auto check = check_card(form["number"], form["expiry"], form["cvc"], tm.tm_year + 1900, tm.tm_mon + 1);
        if (check.error_field) return page(422, "Оплата", card_form(p, *check.error_field, check.error));
        auto id = p.text(0, "id");
        if (check.outcome == CardOutcome::needs_confirmation) {
            rt.db().exec(kPaymentStatus, pg::Params(id, "awaiting_confirmation", nullptr));
            return confirmation_page(p, "");
        }
        bool ok = check.outcome == CardOutcome::success;
        notify_provider_result(id, ok ? "succeeded" : "declined", p.int64(0, "amount"),
                               ok ? "" : "Банк отклонил платёж: недостаточно средств на карте");
        return finished_page(own_payment(req, id));
    }

    http::Response pay_confirm(http::Request& req) {
        auto p = own_payment(req, req.param("id"));
        auto form = http::parse_query(req.body);
        check_form_token(p, form);
        if (p.text(0, "status") != "awaiting_confirmation") return pay_page(req);
        bool ok = form["code"] == "123456";
        notify_provider_result(p.text(0, "id"), ok ? "succeeded" : "declined", p.int64(0, "amount"),
                               ok ? "" : "Неверный код подтверждения");
        return finished_page(own_payment(req, p.text(0, "id")));
    }

    http::Response webhook(http::Request& req) {
        auto n = provider.verify(req.body, req.headers.get(provider.signature_header()));
        if (!n) throw unauthorized("Подпись уведомления неверна");
        auto p = rt.db().exec(kPaymentGet, pg::Params(n->payment_id));
        if (p.empty()) throw not_found("Платёж не найден");
        if (p.int64(0, "amount") != n->amount)
            throw unprocessable("Сумма не совпадает с платежом", {{"amount", "Не совпадает"}});
        auto user = p.text(0, "user_id");
        bool succeeded = n->status == "succeeded";
        rt.db().transact([&](pg::Transaction& tx) {
            tx.exec(kEvent, pg::Params(n->event_id, n->payment_id));
            auto changed = tx.exec(
                kPaymentFinal,
                pg::Params(n->payment_id, n->status,
                           succeeded || n->reason.empty() ? std::optional<std::string>{} : std::optional(n->reason)));
            if (changed.empty()) return;  // a replay of an already processed result
            if (succeeded) Ledger::credit_top_up(tx, user, n->payment_id, n->amount);
            boost::json::object params{{"payment_id", n->payment_id}, {"amount", n->amount}};
            if (!succeeded) params["reason"] = n->reason.empty() ? "Платёж отклонён" : n->reason;
            auto tmpl = succeeded ? "topup_succeeded" : "topup_failed";
            messaging::enqueue(
                tx, std::string("notify.") + tmpl,
                messaging::make_event(succeeded ? "billing.top_up.succeeded.v1" : "billing.top_up.failed.v1",
                                      {{"user_id", user}, {"template", tmpl}, {"params", params}}));
        });
        return http::Response::json(boost::json::object{{"status", "accepted"}});
    }

    http::Response withdraw(http::Request& req) {
        service::require_service(req);
        auto key = header_key(req);
        json::Reader r(req.body);
        auto premiere = r.int64("id", true, 1);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        auto user = r.str("user_id", true, 40, 1);
        auto order = r.str("order_id", false, 100);
        r.finish();
        return http::Response::json(ledger.withdraw({*user, *summ, *premiere, order.value_or(""), key}));
    }

    http::Response refund(http::Request& req) {
        service::require_service(req);
        auto key = header_key(req);
        json::Reader r(req.body);
        auto user = r.str("user_id", true, 40, 1);
        auto order = r.str("order_id", true, 100, 1);
        auto summ = r.int64("summ", true, 1, 100'000'000);
        auto reason = r.str("reason", false, 300);
        r.finish();
        return http::Response::json(ledger.refund({*user, *summ, *order, reason.value_or(""), key}));
    }
};
}  // namespace

service::ServiceSpec spec() {
    return {
        .name = "billing",
        .default_port = 8083,
        .settings = {{"public-origin", "http://localhost:8080", "the origin customers use"},
                     {"payment-webhook-secret", std::nullopt, "64 hex chars: HMAC key of provider webhooks", true}}};
}

void install(service::Runtime& rt) {
    auto b = std::make_shared<Billing>(rt);
    rt.keep(b);
    auto& r = rt.router();
    r.get("/api/v1/billing/amount/", [b](http::Request& req) {
        auto caller = service::require_user(req);
        auto res = http::Response::json(
            boost::json::object{{"amount", b->ledger.balance(caller.user_id)}, {"currency", "RUB"}});
        res.headers.set("Cache-Control", "no-store");
        return res;
    });
    r.post("/api/v1/billing/fill", [b](http::Request& req) { return b->fill(req); });
    r.get("/api/v1/billing/history", [b](http::Request& req) {
        auto caller = service::require_user(req);
        std::optional<int64_t> cursor;
        if (auto c = req.query_param("cursor"); c && !c->empty()) {
            if (c->size() > 18 || c->find_first_not_of("0123456789") != std::string::npos)
                throw bad_request("Некорректный курсор", {{"cursor", "Ожидается значение next_cursor"}});
            cursor = std::stoll(*c);
        }
        int limit = 20;
        if (auto l = req.query_param("limit"); l && !l->empty()) {
            if (l->size() > 2 || l->find_first_not_of("0123456789") != std::string::npos || std::stoi(*l) < 1 ||
                std::stoi(*l) > 50)
                throw bad_request("Некорректный limit", {{"limit", "От 1 до 50"}});
            limit = std::stoi(*l);
        }
        return http::Response::json(b->ledger.history(caller.user_id, cursor, limit));
    });
    r.get("/api/v1/billing/payments/:id", [b](http::Request& req) { return b->payment_status(req); });
    r.get("/internal/balance/:user", [b](http::Request& req) {
        service::require_service(req);
        return http::Response::json(
            boost::json::object{{"amount", b->ledger.balance(req.param("user"))}, {"currency", "RUB"}});
    });
    r.post("/api/v1/billing/withdraw/", [b](http::Request& req) { return b->withdraw(req); });
    r.post("/api/v1/billing/refund/", [b](http::Request& req) { return b->refund(req); });
    r.post("/api/v1/payments/webhook", [b](http::Request& req) { return b->webhook(req); });
    r.get("/pay/:id", [b](http::Request& req) { return b->pay_page(req); });
    r.post("/pay/:id", [b](http::Request& req) { return b->pay_submit(req); });
    r.post("/pay/:id/confirm", [b](http::Request& req) { return b->pay_confirm(req); });
    rt.on_ready([](service::Runtime& rt) { rt.start_outbox_relays({messaging::send_notify_stream()}); });
}

}  // namespace chance::billing
