#include "sandbox_acquirer/acquirer.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/core/money.hpp"
#include "chance/core/text.hpp"
#include "chance/core/uuid.hpp"
#include "chance/http/middleware.hpp"
#include "sandbox_acquirer/cards.hpp"

namespace chance::acquirer {

namespace {
using text::html_escape;

http::Response html(int status, const std::string& title, const std::string& body) {
    std::string out =
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><title>" +
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
    auto res = http::Response::text(status, out, "text/html; charset=utf-8");
    res.headers.set("Cache-Control", "no-store");
    return res;
}

std::string card_form(const Acquirer::Payment& p, const std::string& error_field, const std::string& error) {
    auto err = [&](const char* field) {
        return error_field == field ? "<div class=\"error\" role=\"alert\">" + html_escape(error) + "</div>" : "";
    };
    return "<h1>Пополнение баланса «Шанс-видео»</h1><div class=\"amount\">" +
           html_escape(Money::kopecks(p.amount).format()) +
           "</div>"
           "<form method=\"post\" action=\"/pay/" +
           p.id +
           "\">"
           "<input type=\"hidden\" name=\"form_token\" value=\"" +
           html_escape(p.form_token) +
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

http::Response confirmation_page(const Acquirer::Payment& p, const std::string& error) {
    return html(200, "Подтверждение",
                "<h1>Подтверждение платежа</h1><div class=\"amount\">" +
                    html_escape(Money::kopecks(p.amount).format()) +
                    "</div><p>Банк отправил код подтверждения. Введите его, чтобы завершить оплату.</p>"
                    "<form method=\"post\" action=\"/pay/" +
                    p.id +
                    "/confirm\"><input type=\"hidden\" "
                    "name=\"form_token\" value=\"" +
                    html_escape(p.form_token) +
                    "\">"
                    "<label for=\"code\">Код из SMS</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" "
                    "autocomplete=\"one-time-code\" required>" +
                    (error.empty() ? "" : "<div class=\"error\" role=\"alert\">" + html_escape(error) + "</div>") +
                    "<button type=\"submit\">Подтвердить</button></form>");
}

void check_form_token(const Acquirer::Payment& p, const std::map<std::string, std::string>& form) {
    auto it = form.find("form_token");
    if (it == form.end() || !auth::constant_time_equals(it->second, p.form_token))
        throw forbidden("Форма устарела: откройте страницу оплаты заново");
}

// "http://127.0.0.1:8083/api/v1/payments/webhook" → {"http://127.0.0.1:8083", "/api/v1/payments/webhook"}
std::pair<std::string, std::string> split_url(const std::string& url) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (scheme == std::string::npos || slash == std::string::npos)
        throw std::invalid_argument("webhook-url must be an absolute URL with a path: " + url);
    return {url.substr(0, slash), url.substr(slash)};
}

metrics::Counter& notifications(const char* result) {
    return metrics::Registry::global().counter("sandbox_acquirer_notifications_total",
                                               "Notifications sent to the merchant, by result", {{"result", result}});
}
}  // namespace

std::string signature(const std::string& key, const std::string& body) { return auth::hmac_sha256_hex(key, body); }

Acquirer::Acquirer(Options options) : o_(std::move(options)) {
    auto [base, path] = split_url(o_.webhook_url);
    merchant_ = std::make_unique<http::Client>(base, http::ClientOptions{.timeout = std::chrono::seconds(5)});
    webhook_path_ = path;
    retrier_ = std::jthread([this](const std::stop_token& st) { retry_loop(st); });
}

Acquirer::~Acquirer() {
    retrier_.request_stop();
    wake_.notify_all();
}

size_t Acquirer::undelivered() const {
    std::lock_guard lock(mu_);
    return queue_.size();
}

void Acquirer::install(http::Router& r) {
    r.use(http::request_id_middleware());
    r.use(http::access_log_middleware());
    r.get(
        "/healthz",
        [](http::Request&) {
            return http::Response::json(boost::json::object{{"status", "ok"}});
        },
        http::Dispatch::non_blocking);
    r.get(
        "/readyz",
        [this](http::Request&) {
            return http::Response::json(boost::json::object{
                {"status", "ready"}, {"service", "sandbox-acquirer"}, {"undelivered_notifications", undelivered()}});
        },
        http::Dispatch::non_blocking);
    r.get(
        "/metrics",
        [](http::Request&) {
            return http::Response::text(200, metrics::Registry::global().render(), "text/plain; version=0.0.4");
        },
        http::Dispatch::non_blocking);
    r.post("/v1/payments", [this](http::Request& req) { return create(req); });
    r.get("/pay/:id", [this](http::Request& req) { return page(req); });
    r.post("/pay/:id", [this](http::Request& req) { return submit(req); });
    r.post("/pay/:id/confirm", [this](http::Request& req) { return confirm(req); });
}

http::Response Acquirer::create(http::Request& req) {
    auto sig = req.headers.get(kSignatureHeader);
    if (!sig || !auth::constant_time_equals(*sig, signature(o_.key, req.body)))
        throw unauthorized("Подпись запроса неверна");
    auto key = req.headers.get("Idempotency-Key");
    if (!key || key->empty() || key->size() > 200)
        throw bad_request("Нужен заголовок Idempotency-Key", {{"Idempotency-Key", "Обязательный заголовок"}});
    json::Reader r(req.body);
    auto amount = r.int64("amount", true, 1, 100'000'000);
    auto description = r.str("description", false, 300);
    auto return_url = r.str("return_url", true, 1000, 1);
    auto merchant_id = r.str("merchant_payment_id", true, 100, 1);
    r.finish();
    auto hash = auth::sha256_hex(req.body);
    Payment p;
    int status = 201;
    {
        std::lock_guard lock(mu_);
        if (auto it = by_key_.find(*key); it != by_key_.end()) {
            p = payments_.at(it->second);
            if (p.request_hash != hash)
                throw unprocessable("Ключ идемпотентности уже использован для другого запроса",
                                    {{"Idempotency-Key", "Использован для другого запроса"}});
            status = 200;
        } else {
            p.id = "pay_" + auth::random_token(18);
            p.merchant_payment_id = *merchant_id;
            p.amount = *amount;
            p.description = description.value_or("");
            p.return_url = *return_url;
            p.form_token = auth::random_token(24);
            p.request_hash = hash;
            payments_[p.id] = p;
            by_key_[*key] = p.id;
        }
    }
    return http::Response::json(status, boost::json::object{{"id", p.id},
                                                            {"status", p.status},
                                                            {"amount", p.amount},
                                                            {"merchant_payment_id", p.merchant_payment_id},
                                                            {"confirmation_url", o_.public_origin + "/pay/" + p.id}});
}

Acquirer::Payment Acquirer::get(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = payments_.find(id);
    if (it == payments_.end()) throw not_found("Платёж не найден");
    return it->second;
}

bool Acquirer::finish(const std::string& id, const std::string& from, const std::string& status,
                      const std::string& reason) {
    std::lock_guard lock(mu_);
    auto& p = payments_.at(id);
    if (p.status != from) return false;
    p.status = status;
    p.reason = reason;
    return true;
}

http::Response Acquirer::page(http::Request& req) {
    auto p = get(req.param("id"));
    if (p.status == "succeeded" || p.status == "declined") return finished_page(p);
    if (p.status == "awaiting_confirmation") return confirmation_page(p, "");
    return html(200, "Оплата", card_form(p, "", ""));
}

http::Response Acquirer::submit(http::Request& req) {
    auto p = get(req.param("id"));
    auto form = http::parse_query(req.body);
    check_form_token(p, form);
    if (p.status != "pending") return page(req);
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    auto check = check_card(form["number"], form["expiry"], form["cvc"], tm.tm_year + 1900, tm.tm_mon + 1);
    if (check.error_field) return html(422, "Оплата", card_form(p, *check.error_field, check.error));
    if (check.outcome == CardOutcome::needs_confirmation) {
        finish(p.id, "pending", "awaiting_confirmation", "");
        return page(req);
    }
    bool ok = check.outcome == CardOutcome::success;
    if (finish(p.id, "pending", ok ? "succeeded" : "declined",
               ok ? "" : "Банк отклонил платёж: недостаточно средств на карте"))
        notify(get(p.id));
    return page(req);
}

http::Response Acquirer::confirm(http::Request& req) {
    auto p = get(req.param("id"));
    auto form = http::parse_query(req.body);
    check_form_token(p, form);
    if (p.status != "awaiting_confirmation") return page(req);
    bool ok = form["code"] == kConfirmationCode;
    if (finish(p.id, "awaiting_confirmation", ok ? "succeeded" : "declined", ok ? "" : "Неверный код подтверждения"))
        notify(get(p.id));
    return page(req);
}

std::string Acquirer::return_location(const Payment& p) const {
    // The page is served under the store's origin (through its gateway) in development: a return URL on
    // that same origin becomes a same-origin redirect.
    const auto& origin = o_.public_origin;
    if (!origin.empty() && p.return_url.rfind(origin, 0) == 0 && p.return_url.size() > origin.size() &&
        p.return_url[origin.size()] == '/')
        return p.return_url.substr(origin.size());
    return p.return_url;
}

http::Response Acquirer::finished_page(const Payment& p) const {
    bool ok = p.status == "succeeded";
    auto back = return_location(p);
    auto res = html(ok ? 303 : 200, ok ? "Оплата прошла" : "Оплата отклонена",
                    std::string(ok ? "<h1>Оплата прошла</h1>"
                                   : "<h1>Оплата отклонена</h1><p>" +
                                         html_escape(p.reason.empty() ? "Банк отклонил платёж" : p.reason) + "</p>") +
                        "<p><a href=\"" + html_escape(back) + "\">Вернуться в магазин</a></p>");
    if (ok) res.headers.set("Location", back);
    return res;
}

// Sends the result to the merchant and waits for its answer, so that the customer comes back to a store that
// knows it; when the merchant does not acknowledge it, the notification is repeated in the background.
void Acquirer::notify(const Payment& p) {
    auto body = boost::json::serialize(boost::json::object{{"event_id", "evt_" + uuid_v7()},
                                                           {"payment_id", p.merchant_payment_id},
                                                           {"provider_payment_id", p.id},
                                                           {"status", p.status},
                                                           {"amount", p.amount},
                                                           {"reason", p.reason}});
    if (deliver(body, p.merchant_payment_id)) return;
    std::lock_guard lock(mu_);
    queue_.push_back({body, p.merchant_payment_id, std::chrono::steady_clock::now() + o_.retry_first, o_.retry_first});
    wake_.notify_all();
}

bool Acquirer::deliver(const std::string& body, const std::string& payment_id) {
    http::Headers h;
    h.set("Content-Type", "application/json");
    h.set(kSignatureHeader, signature(o_.key, body));
    h.set("Idempotency-Key", payment_id);  // safe to repeat: the merchant credits a payment once
    try {
        auto r = merchant_->send("POST", webhook_path_, h, body);
        if (r.status == 200) {
            notifications("acknowledged").inc();
            return true;
        }
        log::warn("the merchant did not acknowledge a notification",
                  {{"status", r.status}, {"payment_id", payment_id}});
    } catch (const std::exception& e) {
        log::warn("the merchant is unreachable", {{"error", e.what()}, {"payment_id", payment_id}});
    }
    notifications("failed").inc();
    return false;
}

void Acquirer::retry_loop(const std::stop_token& st) {
    std::unique_lock lock(mu_);
    while (!st.stop_requested()) {
        if (queue_.empty()) {
            wake_.wait(lock, st, [&] { return !queue_.empty(); });
            continue;
        }
        auto due = std::min_element(queue_.begin(), queue_.end(),
                                    [](const Delivery& a, const Delivery& b) { return a.next < b.next; });
        if (std::chrono::steady_clock::now() < due->next) {
            wake_.wait_until(lock, st, due->next, [] { return false; });
            continue;
        }
        auto d = std::move(*due);
        queue_.erase(due);
        lock.unlock();
        bool ok = deliver(d.body, d.payment_id);
        lock.lock();
        if (!ok) {
            d.backoff = std::min(d.backoff * 2, o_.retry_max);
            d.next = std::chrono::steady_clock::now() + d.backoff;
            queue_.push_back(std::move(d));
        }
    }
}

}  // namespace chance::acquirer
