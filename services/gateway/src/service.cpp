#include "gateway/service.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/text.hpp"
#include "chance/core/time.hpp"
#include "chance/core/uuid.hpp"
#include "gateway/identity_client.hpp"
#include "gateway/limits.hpp"
#include "gateway/protection.hpp"
#include "gateway/proxy.hpp"
#include "gateway/public_cache.hpp"
#include "gateway/sessions.hpp"

namespace chance::gateway {

namespace {
// A setting that is a list, parsed at start-up: a bad entry stops the start with the setting's name.
template <typename F>
auto parse_setting(const service::Runtime& rt, const std::string& name, const char* what, F parse) {
    try {
        return parse(rt.config().get(name));
    } catch (const std::invalid_argument& e) {
        throw core::ConfigError(name + ": not " + what + ": '" + e.what() + "'");
    }
}

std::vector<std::string> origins_of(const service::Runtime& rt) {
    auto origins = parse_setting(rt, "allowed-origins", "an origin (scheme://host[:port])",
                                 [](const std::string& v) { return parse_origins(v); });
    origins.insert(origins.begin(), rt.config().get("public-origin"));
    return origins;
}

struct Gateway {
    Gateway(service::Runtime& rt)
        : upstreams(rt.config().get("identity-url"), rt.config().get("premieres-url"), rt.config().get("billing-url"),
                    rt.config().get("notifications-url"), rt.config().get("payment-page-url")),
          identity(upstreams.get(Upstream::identity), [&rt] { return rt.service_identity(); }),
          sessions(rt.pool()),
          key(rt.internal_key()),
          origin(rt.config().get("public-origin")),
          origins(origins_of(rt)),
          trusted(parse_setting(rt, "trusted-proxies", "an IP address or CIDR",
                                [](const std::string& v) { return TrustedProxies::parse(v); })),
          web_dist(rt.config().get("web-dist")),
          https(origin.rfind("https://", 0) == 0),
          runtime(rt) {}

    Upstreams upstreams;
    IdentityClient identity;
    Sessions sessions;
    PublicCache public_answers;
    std::string key;
    std::string origin;                // the public origin
    std::vector<std::string> origins;  // it and allowed-origins: where state changes may come from
    TrustedProxies trusted;
    std::string web_dist;
    bool https;  // the public origin is https (Strict-Transport-Security is sent)
    service::Runtime& runtime;
    std::shared_ptr<WindowLimiter> api_limit = limiter("api", "api-rate", "api-burst");
    // Admins work through the API at a tool's pace (an import, a batch of edits), not a browser's (ADR 0023).
    std::shared_ptr<WindowLimiter> admin_limit = limiter("admin-api", "admin-api-rate", "admin-api-burst");
    std::shared_ptr<WindowLimiter> auth_limit = limiter("register", "register-rate", "register-burst");
    std::shared_ptr<WindowLimiter> reset_limit =
        limiter("password-reset", "password-reset-rate", "password-reset-burst");
    // A box office checks theatre vouchers at a person's pace: guessing codes is held to it (ADR 0028).
    std::shared_ptr<WindowLimiter> voucher_limit = limiter("voucher", "voucher-rate", "voucher-burst");
    std::shared_ptr<LimitFlusher> flusher = std::make_shared<LimitFlusher>(
        runtime.pool(), std::vector{api_limit, admin_limit, auth_limit, reset_limit, voucher_limit});
    SharedLoginGuard logins{runtime.pool()};

    std::shared_ptr<WindowLimiter> limiter(const std::string& name, const std::string& rate, const std::string& burst) {
        return parse_setting(runtime, rate, "a positive rate with a burst of at least 1", [&](const std::string& r) {
            return std::make_shared<WindowLimiter>(name, std::stod(r), std::stod(runtime.config().get(burst)));
        });
    }

    // The session of the request's cookie, looked up once per request (the answer is kept in req.attachment,
    // which nothing else in the gateway uses; kNoSession stands for "looked up, none").
    SessionRef session_of(http::Request& req) {
        static const auto kNoSession = std::make_shared<const Session>();
        if (req.attachment) {
            auto s = std::static_pointer_cast<const Session>(req.attachment);
            return s == kNoSession ? nullptr : s;
        }
        auto token = req.cookie(kSessionCookie);
        auto s = token ? sessions.find(*token) : nullptr;
        req.attachment = s ? s : kNoSession;
        return s;
    }

    // Takes one from `limit` for `key`, or refuses the request with a 429 saying how long to wait.
    static void take_or_refuse(WindowLimiter& limit, const std::string& key, const char* detail) {
        if (int wait = limit.take(key)) throw too_many_requests(detail, wait);
    }

    // Takes one from the API allowance; the seconds to wait, or 0. A signed-in customer is counted by account
    // (customers behind one NAT do not share an allowance), anyone else by client address.
    int take_api_allowance(http::Request& req) {
        if (auto s = session_of(req)) return (s->role == "admin" ? admin_limit : api_limit)->take(s->account_key);
        return api_limit->take("addr:" + req.remote_addr);
    }

    std::string sign(const Session& s) { return auth::sign_identity({s.user_id, s.role, s.time_zone}, key); }

    void require_origin(const http::Request& req) {
        if (!same_origin(req, origins)) throw forbidden("Запрос пришёл не со страницы магазина");
    }

    void require_csrf(const http::Request& req, const Session& s) {
        require_origin(req);
        auto token = req.headers.get("X-CSRF-Token");
        if (!token || !auth::constant_time_equals(*token, s.csrf_token))
            throw forbidden("Нет или неверный CSRF-токен: обновите страницу");
    }

    // A new session for `user` in this browser (the one its cookie named, if any, ends: rotation at login).
    http::Response start_session(const http::Request& req, const User& user, bool remember, int status) {
        if (auto old_token = req.cookie(kSessionCookie)) sessions.destroy(*old_token);
        auto s = sessions.create(user.id, user.role, user.time_zone, remember,
                                 Device{req.headers.get("User-Agent").value_or(""), req.remote_addr});
        auto res = http::Response::json(status,
                                        boost::json::object{{"user", user.json}, {"csrf_token", s.session.csrf_token}});
        res.headers.add("Set-Cookie", session_cookie(s.token, remember ? std::optional(s.max_age) : std::nullopt));
        res.headers.set("Cache-Control", "no-store");
        return res;
    }

    http::Response register_(http::Request& req) {
        require_origin(req);
        take_or_refuse(*auth_limit, "addr:" + req.remote_addr, "Слишком много попыток, подождите немного");
        return start_session(req, identity.create(req.body), false, 201);
    }

    http::Response login(http::Request& req) {
        require_origin(req);
        json::Reader body(req.body);
        auto email = body.str("email", true, 254, 1);
        auto password = body.str("password", true, 128, 1);
        auto remember = body.boolean("remember", false);
        body.finish();
        auto account = text::ascii_lower(*email);
        if (int wait = logins.retry_after(account, req.remote_addr))
            throw too_many_requests("Слишком много неудачных попыток входа. Попробуйте позже", wait);
        auto user = identity.authenticate(*email, *password);
        if (!user) {
            logins.failed(account, req.remote_addr);
            throw unauthorized("Неверная почта или пароль");
        }
        logins.succeeded(account);
        return start_session(req, *user, remember.value_or(false), 200);
    }

    // «Забыли пароль?» (ADR 0017): the same answer whether the address has an account or not. Limited per client
    // here and per address in identity.
    http::Response request_password_reset(http::Request& req) {
        require_origin(req);
        take_or_refuse(*reset_limit, "addr:" + req.remote_addr, "Слишком много запросов, подождите немного");
        // Identity words the answer: it knows how long its links work.
        auto res =
            http::Response::json(202, boost::json::object{{"detail", identity.request_password_reset(req.body)}});
        res.headers.set("Cache-Control", "no-store");
        return res;
    }

    // The emailed link's token and a new password: every session of the account ends (on every gateway), and
    // this browser is signed in with a new one.
    http::Response reset_password(http::Request& req) {
        require_origin(req);
        take_or_refuse(*reset_limit, "addr:" + req.remote_addr, "Слишком много запросов, подождите немного");
        auto user = identity.reset_password(req.body);
        sessions.destroy_all_of(user.id);
        return start_session(req, user, false, 200);
    }

    // The signed-in customer's session, with the CSRF check of a state change.
    SessionRef changing_session(http::Request& req) {
        auto s = session_of(req);
        if (!s) throw unauthorized();
        require_csrf(req, *s);
        return s;
    }

    // «Где выполнен вход»: the account's sessions with their device and times.
    http::Response my_sessions(http::Request& req) {
        auto s = session_of(req);
        if (!s) throw unauthorized();
        boost::json::array items;
        for (const auto& i : sessions.list(s->user_id, s->id_hash))
            items.push_back(boost::json::object{{"id", i.handle},
                                                {"current", i.current},
                                                {"device", i.user_agent},
                                                {"address", i.client_address},
                                                {"created_at", i.created_at},
                                                {"last_seen_at", i.last_seen_at}});
        return no_store(http::Response::json(boost::json::object{{"items", std::move(items)}}));
    }

    // Ends one of the account's sessions (another device); a handle the account does not have is a 404.
    http::Response end_session(http::Request& req) {
        auto s = changing_session(req);
        if (!sessions.destroy_one(s->user_id, req.param("id"))) throw not_found("Такого входа нет");
        return http::Response::no_content();
    }

    // «Выйти на всех устройствах»: every session of the account, this one included.
    http::Response logout_everywhere(http::Request& req) {
        auto s = changing_session(req);
        sessions.destroy_all_of(s->user_id);
        auto res = http::Response::no_content();
        res.headers.add("Set-Cookie", clear_session_cookie());
        return res;
    }

    // A new password with the current one (identity checks both); the account's other sessions end, this one
    // stays. Tries are limited per account like password resets (a stolen session cannot guess the password).
    http::Response change_password(http::Request& req) {
        auto s = changing_session(req);
        take_or_refuse(*reset_limit, s->account_key, "Слишком много попыток, подождите немного");
        identity.change_password(s->user_id, req.body);
        sessions.destroy_others_of(s->user_id, s->id_hash);
        return http::Response::no_content();
    }

    // Email confirmation (ADR 0020). The emailed link's token confirms the address it was sent to, signed in or not
    // (the link is the proof); tries are limited per client like password reset links.
    http::Response verify_email(http::Request& req) {
        require_origin(req);
        take_or_refuse(*reset_limit, "addr:" + req.remote_addr, "Слишком много запросов, подождите немного");
        return no_store(http::Response::json(identity.verify_email(req.body)));
    }

    // The confirmation email again, to the signed-in customer's address (identity limits them per account).
    http::Response resend_email_verification(http::Request& req) {
        auto s = changing_session(req);
        return no_store(
            http::Response::json(202, boost::json::object{{"detail", identity.resend_email_verification(s->user_id)}}));
    }

    // A new address, with the current password (identity checks it; tries limited per account like a password
    // change): the account's email changes when the link sent to the new address is opened.
    http::Response change_email(http::Request& req) {
        auto s = changing_session(req);
        take_or_refuse(*reset_limit, s->account_key, "Слишком много попыток, подождите немного");
        return no_store(
            http::Response::json(202, boost::json::object{{"detail", identity.change_email(s->user_id, req.body)}}));
    }

    // The phone's SMS code (ADR 0024): sent to the account's number (identity limits the codes per account), then
    // typed back; each step is limited per account like a password change, on top of the code's own five tries.
    http::Response send_phone_code(http::Request& req) {
        auto s = changing_session(req);
        take_or_refuse(*reset_limit, s->account_key, "Слишком много запросов, подождите немного");
        return no_store(
            http::Response::json(202, boost::json::object{{"detail", identity.send_phone_code(s->user_id)}}));
    }

    http::Response confirm_phone(http::Request& req) {
        auto s = changing_session(req);
        take_or_refuse(*reset_limit, s->account_key, "Слишком много попыток, подождите немного");
        auto user = identity.confirm_phone(s->user_id, req.body).json;
        user["csrf_token"] = s->csrf_token;  // the same shape as /me
        return no_store(http::Response::json(user));
    }

    // «Скачать мои данные» (152-ФЗ, ADR 0021): everything the store holds about the account, from every service that
    // holds some, in one JSON file.
    http::Response my_data(http::Request& req) {
        auto s = session_of(req);
        if (!s) throw unauthorized();
        auto from_identity = identity.personal_data(s->user_id);
        auto now = time::format_rfc3339(std::chrono::system_clock::now());
        boost::json::object out{{"exported_at", now},
                                {"account", std::move(from_identity["account"])},
                                {"links", std::move(from_identity["links"])}};
        add_customer_data(out, s->user_id, s->id_hash);
        auto res = no_store(http::Response::json(out));
        res.headers.set("Content-Disposition",
                        "attachment; filename=\"chance-video-data-" + now.substr(0, 10) + ".json\"");
        return res;
    }

    // The account's sessions and what premieres, billing and notifications hold about it (`current`: this
    // session's id hash, or empty).
    void add_customer_data(boost::json::object& out, const std::string& user_id, const std::string& current) {
        boost::json::array devices;
        for (const auto& i : sessions.list(user_id, current))
            devices.push_back(boost::json::object{{"device", i.user_agent},
                                                  {"address", i.client_address},
                                                  {"created_at", i.created_at},
                                                  {"last_seen_at", i.last_seen_at}});
        out["sessions"] = std::move(devices);
        auto path = "/internal/users/" + http::percent_encode(user_id) + "/data";
        out["premieres"] = internal_get(Upstream::premieres, "premieres", path);
        out["billing"] = internal_get(Upstream::billing, "billing", path);
        out["notifications"] = internal_get(Upstream::notifications, "notifications", path);
    }

    // A service's internal answer, asked for as this gateway (the service checks it is a service): the object of its
    // 200, or its problem passed on.
    boost::json::object internal_get(Upstream u, const char* name, const std::string& path) {
        http::Headers h;
        h.set(auth::kIdentityHeader, runtime.service_identity());
        return answer_object(upstreams.get(u).send("GET", path, h, ""), 200, name);
    }

    // The staff's customer lookup (support or admin, ADR 0022): by address or by order number, the account and
    // everything the services hold about it, as the customer's own download has it. Each lookup is logged (who, whom).
    http::Response find_customer(http::Request& req) {
        auto s = session_of(req);
        if (!s) throw unauthorized();
        if (s->role != "support" && s->role != "admin") throw forbidden("Нужны права сотрудника магазина");
        auto email = req.query_param("email");
        auto order = req.query_param("order");
        if (email.has_value() == order.has_value())
            throw bad_request("Укажите почту или номер заказа", {{"email", "Почта покупателя или номер заказа"}});
        if (email && (email->empty() || email->size() > 254 || email->find('@') == std::string::npos))
            throw bad_request("Неверный адрес почты", {{"email", "Адрес почты покупателя"}});
        if (order && !is_uuid(*order)) throw bad_request("Неверный номер заказа", {{"order", "Номер заказа (UUID)"}});
        std::string user_id;
        if (email) {
            user_id = identity.by_email(*email).id;
        } else {
            auto owner = internal_get(Upstream::premieres, "premieres",
                                      "/internal/orders/" + http::percent_encode(*order) + "/owner");
            const auto* id = owner.if_contains("user_id");
            if (!id || !id->is_string()) throw http::upstream_problem(http::ClientResponse{502, {}, {}}, "premieres");
            user_id = std::string(id->as_string());
        }
        auto from_identity = identity.personal_data(user_id);
        boost::json::object out{{"account", std::move(from_identity["account"])}};
        add_customer_data(out, user_id, "");
        log::info("staff looked a customer up", {{"staff_id", s->user_id}, {"customer_id", user_id}});
        return no_store(http::Response::json(out));
    }

    // An account's role (admin only, ADR 0022): its sessions end, so the new role applies from its next sign-in.
    http::Response set_role(http::Request& req) {
        auto s = changing_session(req);
        if (s->role != "admin") throw forbidden("Нужны права администратора");
        const auto& id = req.param("id");
        if (id == s->user_id) throw conflict("Свою роль изменить нельзя: попросите другого администратора");
        auto user = identity.set_role(id, req.body);
        sessions.destroy_all_of(user.id);
        log::info("role changed", {{"staff_id", s->user_id}, {"user_id", user.id}, {"role", user.role}});
        return no_store(http::Response::json(user.json));
    }

    // «Удалить аккаунт» (ADR 0021): with the password (tries limited per account like a password change). Identity
    // erases the account and announces it; every session of the account ends here, on every gateway.
    http::Response delete_account(http::Request& req) {
        auto s = changing_session(req);
        take_or_refuse(*reset_limit, s->account_key, "Слишком много попыток, подождите немного");
        auto email = identity.erase(s->user_id, req.body);
        sessions.destroy_all_of(s->user_id);
        logins.succeeded(text::ascii_lower(email));  // its failed sign-ins name the address: forgotten
        log::info("account deleted", {{"user_id", s->user_id}});
        auto res = http::Response::no_content();
        res.headers.add("Set-Cookie", clear_session_cookie());
        return res;
    }

    http::Response logout(http::Request& req) {
        auto s = session_of(req);
        if (s) {
            require_csrf(req, *s);
            sessions.destroy(*req.cookie(kSessionCookie));
        }
        auto res = http::Response::no_content();
        res.headers.add("Set-Cookie", clear_session_cookie());
        return res;
    }

    http::Response me(http::Request& req) {
        auto s = session_of(req);
        if (!s) throw unauthorized();
        return user_answer(req, *s, {});
    }

    // Who is here, without an error for a visitor: the SPA asks this on every page load (a 401 from /me
    // would be an error in every anonymous visitor's console).
    http::Response session(http::Request& req) {
        auto s = session_of(req);
        if (!s) return no_store(http::Response::json(boost::json::object{{"signed_in", false}}));
        return user_answer(req, *s, {{"signed_in", true}});
    }

    // The session's user from identity (PATCH: changed first) with its CSRF token and `extra` members.
    http::Response user_answer(http::Request& req, const Session& s, const boost::json::object& extra) {
        if (req.method == "PATCH") require_csrf(req, s);
        auto found = req.method == "PATCH" ? identity.update(s.user_id, req.body) : identity.get(s.user_id);
        if (req.method == "PATCH") sessions.update_time_zone(s.id_hash, found.time_zone);
        auto& user = found.json;
        user["csrf_token"] = s.csrf_token;
        for (auto& [k, v] : extra) user[k] = v;
        return no_store(http::Response::json(user));
    }

    static http::Response no_store(http::Response res) {
        res.headers.set("Cache-Control", "no-store");
        return res;
    }

    http::Response proxy(http::Request& req) {
        auto decision = route_for(req.path);
        if (!decision || decision->internal_only) throw not_found("Такого адреса нет");
        // A kept public answer was served at admission, before any session work; this one is asked for.
        bool keepable = PublicCache::applies(req);
        auto s = session_of(req);
        bool pay_page = req.path.rfind("/pay/", 0) == 0;
        if (!s && !is_public(req.method, req.path) && !pay_page) throw unauthorized();
        if (s && req.path.rfind("/api/v1/vouchers/", 0) == 0)
            take_or_refuse(*voucher_limit, s->account_key, "Слишком много проверок ваучеров, подождите немного");
        bool changes = is_state_changing(req.method);
        if (changes) {
            if (pay_page)
                require_origin(req);  // the payment page carries its own form token
            else if (s)
                require_csrf(req, *s);
        }
        // The acquirer's page is not the store's: it learns nothing about the customer.
        auto identity = s && !pay_page ? std::optional(sign(*s)) : std::nullopt;
        // A public answer is fetched whole (no If-None-Match) so that it can be kept; the client's validator is
        // then answered here.
        auto res = forward(upstreams.get(decision->upstream), req, identity, /*conditional=*/!keepable);
        if (keepable) {
            add_security_headers(res, https);  // kept with them: a kept answer is served as it is
            public_answers.put(req, res);
            return PublicCache::conditional(req, std::move(res));
        }
        // A catalog change made through this gateway is visible through it at once (elsewhere within max-age).
        if (changes && res.status < 400 && req.path.rfind("/api/v1/admin/premieres", 0) == 0) public_answers.clear();
        if (!res.headers.has("Cache-Control") && s) res.headers.set("Cache-Control", "no-store");
        return res;
    }

    http::Response spa(http::Request& req) {
        auto file = static_file(web_dist, req.path == "/" ? "/index.html" : req.path);
        bool fallback = false;
        if (!file) {
            // Only a navigation path falls back to the SPA: a missing asset or file is a 404, so that a stale
            // script reference fails as one instead of running HTML as JavaScript.
            if (!is_navigation_path(req.path)) throw not_found("Такого файла нет");
            file = static_file(web_dist, "/index.html");
            fallback = true;
        }
        if (!file) {
            return http::Response::text(
                200,
                "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Шанс-видео</title>"
                "<p>Интерфейс магазина ещё не собран: выполните <code>make run</code>.</p></html>",
                "text/html; charset=utf-8");
        }
        std::string path = *file;
        http::Response res;
        res.headers.set("Content-Type", content_type_for(path));
        auto accept = req.headers.get("Accept-Encoding").value_or("");
        for (auto [enc, ext] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
            if (accept.find(enc) != std::string::npos && std::filesystem::is_regular_file(path + ext)) {
                path += ext;
                res.headers.set("Content-Encoding", enc);
                res.headers.set("Vary", "Accept-Encoding");
                break;
            }
        }
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        res.body = ss.str();
        bool hashed = !fallback && req.path.rfind("/assets/", 0) == 0;
        res.headers.set("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
        return res;
    }
};
}  // namespace

service::ServiceSpec spec() {
    return {
        .name = "gateway",
        .default_port = 8080,
        .settings = {{"identity-url", "http://127.0.0.1:8081", "identity service"},
                     {"premieres-url", "http://127.0.0.1:8082", "premieres service"},
                     {"billing-url", "http://127.0.0.1:8083", "billing service"},
                     {"notifications-url", "http://127.0.0.1:8084", "notifications service"},
                     {"payment-page-url", "http://127.0.0.1:10090",
                      "where /pay/* goes: the sandbox acquirer's pages, served under the store's origin"},
                     {"web-dist", "", "built SPA (web/dist)"},
                     {"public-origin", "http://localhost:8080", "the origin customers use"},
                     {"allowed-origins", "",
                      "other origins state changes may come from (comma-separated, e.g. http://127.0.0.1:8080)"},
                     {"trusted-proxies", "",
                      "proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDRs)"},
                     {"api-rate", "20", "API requests per second per account (signed in) or client address"},
                     {"api-burst", "100", "API burst per account or client address"},
                     {"admin-api-rate", "500", "API requests per second per admin account"},
                     {"admin-api-burst", "2000", "API burst per admin account"},
                     {"voucher-rate", "1", "theatre voucher checks and redemptions per second per account"},
                     {"voucher-burst", "30", "theatre voucher burst per account"},
                     {"register-rate", "0.2", "registrations per second per client address"},
                     {"register-burst", "10", "registration burst per client address"},
                     {"password-reset-rate", "0.05", "password reset requests and uses per second per client address"},
                     {"password-reset-burst", "10", "password reset burst per client address"}},
        .uses_nats = false,
        .verifies_identity = false,
        // An admin's catalog file (ADR 0023), up to premieres' own limit for it.
        .large_bodies = {{"/api/v1/admin/imports", size_t{32} * 1024 * 1024}}};
}

void install(service::Runtime& rt) {
    auto gw = std::make_shared<Gateway>(rt);
    rt.keep(gw);
    rt.on_ready([gw](service::Runtime& r) {
        r.spawn("rate-limit-flusher", [flusher = gw->flusher](const std::stop_token& st) { flusher->run(st); });
        r.spawn("sessions-follower",
                [gw, dsn = r.config().get("pg-dsn")](const std::stop_token& st) { gw->sessions.follow(dsn, st); });
    });
    auto& router = rt.router();
    router.use([gw](http::Request& req, const http::Handler& next) {
        // A request that a non-blocking route handed to the worker pool (it would have waited) passes here a
        // second time: it was admitted once and counted once.
        if (!req.context.contains("gw.admitted")) {
            // Only the gateway may sign identities: whatever the client sent is dropped.
            req.headers.remove(auth::kIdentityHeader);
            req.context.clear();
            req.attachment.reset();
            // From here on remote_addr is the client (behind trusted proxies, from X-Forwarded-For): the limits,
            // the access log and the X-Forwarded-For sent upstream all see the customer, not the load balancer.
            req.remote_addr = client_address(req, gw->trusted);
            // A public answer kept here is the same for everyone and served from memory: before the session or
            // the allowance is looked at, and without taking from it (refusing it would cost as much as serving
            // it; the allowance meters what reaches the services and the database).
            if (PublicCache::applies(req))
                if (auto kept = gw->public_answers.get(req)) {
                    // A kept 200 has its security headers already (they were added before it was kept).
                    if (kept->status != 200) add_security_headers(*kept, gw->https);
                    return std::move(*kept);
                }
            if (req.path.rfind("/api/", 0) == 0)
                if (int wait = gw->take_api_allowance(req))
                    throw too_many_requests("Слишком много запросов, подождите немного", wait);
            req.context["gw.admitted"] = "1";
        }
        auto res = next(req);
        add_security_headers(res, gw->https);
        return res;
    });
    router.post("/api/v1/auth/register", [gw](http::Request& req) { return gw->register_(req); });
    router.post("/api/v1/auth/login", [gw](http::Request& req) { return gw->login(req); });
    router.post("/api/v1/auth/logout", [gw](http::Request& req) { return gw->logout(req); });
    router.post("/api/v1/auth/password-reset", [gw](http::Request& req) { return gw->request_password_reset(req); });
    router.post("/api/v1/auth/password-reset/confirm", [gw](http::Request& req) { return gw->reset_password(req); });
    router.post("/api/v1/auth/logout-everywhere", [gw](http::Request& req) { return gw->logout_everywhere(req); });
    router.get("/api/v1/me/sessions", [gw](http::Request& req) { return gw->my_sessions(req); });
    router.del("/api/v1/me/sessions/:id", [gw](http::Request& req) { return gw->end_session(req); });
    router.post("/api/v1/me/password", [gw](http::Request& req) { return gw->change_password(req); });
    router.post("/api/v1/auth/verify-email", [gw](http::Request& req) { return gw->verify_email(req); });
    router.post("/api/v1/me/email-verification",
                [gw](http::Request& req) { return gw->resend_email_verification(req); });
    router.post("/api/v1/me/email", [gw](http::Request& req) { return gw->change_email(req); });
    router.post("/api/v1/me/phone-verification", [gw](http::Request& req) { return gw->send_phone_code(req); });
    router.post("/api/v1/me/phone-verification/confirm", [gw](http::Request& req) { return gw->confirm_phone(req); });
    router.get("/api/v1/me/data", [gw](http::Request& req) { return gw->my_data(req); });
    router.post("/api/v1/me/delete", [gw](http::Request& req) { return gw->delete_account(req); });
    router.get("/api/v1/admin/customers", [gw](http::Request& req) { return gw->find_customer(req); });
    router.patch("/api/v1/admin/users/:id/role", [gw](http::Request& req) { return gw->set_role(req); });
    router.get("/api/v1/me", [gw](http::Request& req) { return gw->me(req); });
    router.get("/api/v1/session", [gw](http::Request& req) { return gw->session(req); });
    router.patch("/api/v1/me", [gw](http::Request& req) { return gw->me(req); });
    // A GET of a public catalog route may be answered from memory (a kept public answer) on the I/O thread; one
    // that has to ask a service or the database moves to the worker pool (WouldBlock). Any other GET is forwarded
    // to its service, so it goes to the worker pool straight away.
    router.add(
        "GET", "/api/v1/*", [gw](http::Request& req) { return gw->proxy(req); }, http::Dispatch::non_blocking,
        [](const http::Request& req) { return PublicCache::applies(req); });
    for (auto method : {"POST", "PATCH", "PUT", "DELETE"}) {
        router.add(method, "/api/v1/*", [gw](http::Request& req) { return gw->proxy(req); });
    }
    for (auto method : {"GET", "POST", "PATCH", "PUT", "DELETE"})
        router.add(method, "/pay/*", [gw](http::Request& req) { return gw->proxy(req); });
    router.add("GET", "/media/*", [gw](http::Request& req) { return gw->proxy(req); });
    router.get("/*", [gw](http::Request& req) { return gw->spa(req); });
}

}  // namespace chance::gateway
