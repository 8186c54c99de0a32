#include "notifications/service.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/core/text.hpp"
#include "chance/core/time.hpp"
#include "chance/core/uuid.hpp"
#include "chance/http/client.hpp"
#include "chance/messaging/events.hpp"
#include "notifications/channel.hpp"
#include "notifications/identity_client.hpp"
#include "notifications/templates.hpp"

namespace chance::notifications {

namespace {
using boost::json::object;

constexpr pg::Query kPrefs{"prefs_get", "SELECT email, sms, in_app, reminders FROM preferences WHERE user_id = $1"};
constexpr pg::Query kPrefsSet{
    "prefs_set",
    "INSERT INTO preferences (user_id, email, sms, in_app, reminders) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (user_id) DO UPDATE SET email = $2, sms = $3, in_app = $4, reminders = $5, updated_at = now() "
    "RETURNING email, sms, in_app, reminders"};
// One click in a mail program: reminders off, the other preferences as they are.
constexpr pg::Query kRemindersOff{"prefs_reminders_off",
                                  "INSERT INTO preferences (user_id, reminders) VALUES ($1, false) "
                                  "ON CONFLICT (user_id) DO UPDATE SET reminders = false, updated_at = now()"};
// What a message needs from this database, in one statement: the customer's preferences (NULL columns: none set)
// and every time the message names in the customer's zone ($2: a text array of RFC 3339 times; a row each, in
// order, or one row with t NULL when it names none).
constexpr pg::Query kPrefsAndTimes{
    "prefs_and_local_times",
    "SELECT p.email, p.sms, p.in_app, p.reminders, to_char(u.t AT TIME ZONE $3, 'DD.MM.YYYY HH24:MI') AS t "
    "FROM (SELECT 1) one LEFT JOIN preferences p ON p.user_id = $1 "
    "LEFT JOIN unnest($2::timestamptz[]) WITH ORDINALITY AS u(t, n) ON true ORDER BY u.n"};
// A new delivery is handed to a delivery worker once its transaction commits (kClaimIds); it becomes due for the
// workers' polls only a little later, for when the process died before handing it over.
constexpr pg::Query kDeliveryInsert{
    "delivery_insert",
    "INSERT INTO deliveries (id, message_id, user_id, channel, template, recipient, "
    "subject, body_text, body_html, unsubscribe_url, next_attempt_at) "
    "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + interval '2 seconds') "
    "ON CONFLICT (message_id, channel) DO NOTHING"};
constexpr pg::Query kInAppInsert{"in_app_insert",
                                 "INSERT INTO in_app (message_id, user_id, title, body) VALUES ($1, $2, $3, $4) "
                                 "ON CONFLICT (message_id) DO NOTHING"};
// The usual pair in one statement: the email's delivery (kDeliveryInsert's parameters) and the in-app message, whose
// title and body are the email's subject and text.
constexpr pg::Query kDeliveryAndInAppInsert{
    "delivery_and_in_app_insert",
    "WITH in_app_row AS (INSERT INTO in_app (message_id, user_id, title, body) VALUES ($2, $3, $7, $8) "
    "ON CONFLICT (message_id) DO NOTHING) "
    "INSERT INTO deliveries (id, message_id, user_id, channel, template, recipient, "
    "subject, body_text, body_html, unsubscribe_url, next_attempt_at) "
    "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + interval '2 seconds') "
    "ON CONFLICT (message_id, channel) DO NOTHING"};
// An account's deletion (ADR 0021): its settings and in-app messages go; its deliveries keep what they were (template,
// channel, status, times) without the address, subject, text or error; those still waiting are not sent.
constexpr pg::Query kEraseAccount{
    "account_erase",
    "WITH p AS (DELETE FROM preferences WHERE user_id = $1), i AS (DELETE FROM in_app WHERE user_id = $1) "
    "UPDATE deliveries SET recipient = '', subject = '', body_text = '', body_html = '', unsubscribe_url = NULL, "
    "last_error = CASE WHEN status IN ('pending', 'failed') THEN 'account deleted' END, "
    "status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END WHERE user_id = $1"};
constexpr pg::Query kDeliveriesOf{
    "deliveries_of_user",
    "SELECT channel, template, recipient, subject, body_text, status, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
    "to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS sent_at "
    "FROM deliveries WHERE user_id = $1 ORDER BY created_at, id"};
constexpr pg::Query kInAppOf{
    "in_app_of_user",
    "SELECT title, body, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
    "to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS read_at "
    "FROM in_app WHERE user_id = $1 ORDER BY id"};
constexpr pg::Query kClaim{
    "deliveries_claim",
    "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now() "
    "WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now() "
    "ORDER BY next_attempt_at LIMIT 10 FOR UPDATE SKIP LOCKED) "
    "RETURNING id::text AS id, channel, recipient, subject, body_text, body_html, unsubscribe_url, attempts, "
    "extract(epoch FROM created_at)::bigint AS created, claimed_at::text AS claimed"};
// The deliveries a consumer has just committed, by id: the primary key finds them, with no scan of the due index.
// A row another worker (or replica) took first, or one whose transaction never committed, is simply not returned.
// Only new rows are handed over: a pending row that was attempted waits for its backoff and a poll.
constexpr pg::Query kClaimIds{
    "deliveries_claim_ids",
    "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now() "
    "WHERE id = ANY($1::uuid[]) AND status = 'pending' AND attempts = 0 "
    "RETURNING id::text AS id, channel, recipient, subject, body_text, body_html, unsubscribe_url, attempts, "
    "extract(epoch FROM created_at)::bigint AS created, claimed_at::text AS claimed"};
// Both only for the claim this worker holds (status 'sending' since `claimed`, $2): a claim that was unstuck and
// taken by another worker meanwhile is that worker's to finish.
constexpr pg::Query kSent{"delivery_sent",
                          "UPDATE deliveries SET status = 'sent', sent_at = now() "
                          "WHERE id = $1::uuid AND status = 'sending' AND claimed_at = $2::timestamptz"};
constexpr pg::Query kRetry{"delivery_retry",
                           "UPDATE deliveries SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END, "
                           "last_error = $3, next_attempt_at = now() + make_interval(secs => $5::double precision) "
                           "WHERE id = $1::uuid AND status = 'sending' AND claimed_at = $2::timestamptz"};
constexpr pg::Query kUnstick{"deliveries_unstick",
                             "UPDATE deliveries SET status = 'pending' WHERE status = 'sending' "
                             "AND claimed_at < now() - make_interval(secs => $1::double precision)"};
constexpr pg::Query kInbox{
    "in_app_list",
    "SELECT id, title, body, rfc3339_text, read_at IS NOT NULL AS read, "
    "count(*) FILTER (WHERE read_at IS NULL) OVER () AS unread FROM "
    "(SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS rfc3339_text "
    " FROM in_app WHERE user_id = $1) x ORDER BY id DESC LIMIT 50"};
constexpr pg::Query kUnread{"in_app_unread", "SELECT count(*) AS n FROM in_app WHERE user_id = $1 AND read_at IS NULL"};
constexpr pg::Query kRead{"in_app_read",
                          "UPDATE in_app SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2"};
constexpr pg::Query kDeadList{"dead_letters_list",
                              "SELECT id, consumer, message_id, subject, data, reason, deliveries, "
                              "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
                              "replayed_at IS NOT NULL AS replayed FROM dead_letters ORDER BY id DESC LIMIT 100"};
constexpr pg::Query kFailed{"deliveries_failed",
                            "SELECT id::text AS id, message_id, user_id, channel, template, attempts, last_error "
                            "FROM deliveries WHERE status = $1 ORDER BY created_at DESC LIMIT 100"};

constexpr std::array<std::chrono::seconds, 5> kDeliveryBackoff{std::chrono::seconds(1), std::chrono::seconds(5),
                                                               std::chrono::seconds(30), std::chrono::seconds(120),
                                                               std::chrono::seconds(600)};
constexpr int kMaxAttempts = 6;
constexpr size_t kHandOffBatch = 10;
// What a claim's lease must still have left for a row to be sent under it: the SMTP timeout (10 s) and its mark.
constexpr std::chrono::seconds kSendBudget{15};
// A delivery worker with nothing handed over looks for due rows (retries, rows of a process that died) this often;
// one that keeps receiving new deliveries looks at least every kPollUnderLoad.
constexpr std::chrono::milliseconds kIdlePoll{250};
constexpr std::chrono::seconds kPollUnderLoad{1};

struct Notifier {
    Notifier(service::Runtime& rt)
        : rt(rt),
          identity(rt.config().get("identity-url"), [&rt] { return rt.service_identity(); }),
          unstick_after(rt.config().get_int("delivery-unstick-seconds")),
          public_origin(rt.config().get("public-origin")),
          unsubscribe_key(auth::hmac_sha256_hex(rt.internal_key(), "notifications:unsubscribe")) {
        add(std::make_unique<EmailChannel>(rt.config().get("smtp-url"), rt.config().get("from-address")));
        add(std::make_unique<SmsChannel>(rt.config().get("sms-url")));
    }

    service::Runtime& rt;
    IdentityClient identity;
    // The delivery channels by the `channel` column's value.
    std::map<std::string, std::unique_ptr<Channel>, std::less<>> channels;
    std::atomic<std::chrono::steady_clock::time_point> next_unstick{};
    // A claimed delivery still "sending" after this long belongs to a process that died mid-send, or one cut off
    // from the database: it goes out again (the same Message-ID). A worker sends and marks only within this lease
    // (deliver), so it should exceed a failover with room to spare: 300 s by default.
    std::chrono::seconds unstick_after;
    std::string public_origin;
    // Signs the one-click unsubscribe address of each customer (derived from the internal key, used for nothing
    // else): the address is the authorisation, since a mail program posts it without a session.
    std::string unsubscribe_key;
    // New deliveries go from the consumer that committed them straight to a delivery worker (ADR 0018): no wait for
    // a poll and no scan of the due rows for them. Polling stays for everything else.
    std::mutex ready_mu;
    std::condition_variable_any ready_cv;
    std::deque<std::string> ready;

    // The deliveries this consumer thread inserted in its open transaction.
    static std::vector<std::string>& made_here() {
        thread_local std::vector<std::string> made;
        return made;
    }
    void after_transaction(bool committed) {
        auto ids = std::exchange(made_here(), {});
        if (!committed || ids.empty()) return;
        {
            std::lock_guard l(ready_mu);
            for (auto& id : ids) ready.push_back(std::move(id));
        }
        ready_cv.notify_all();
    }
    // Up to kHandOffBatch handed-over ids, waiting up to `wait` for the first.
    std::vector<std::string> take_ready(const std::stop_token& st, std::chrono::milliseconds wait) {
        std::unique_lock l(ready_mu);
        ready_cv.wait_for(l, st, wait, [this] { return !ready.empty(); });
        std::vector<std::string> ids;
        while (!ready.empty() && ids.size() < kHandOffBatch) {
            ids.push_back(std::move(ready.front()));
            ready.pop_front();
        }
        return ids;
    }

    // Reminders can be switched off (preferences.reminders, List-Unsubscribe); receipts and notices cannot.
    static bool is_reminder(std::string_view tmpl) {
        return tmpl == "rental_started" || tmpl == "rental_ending_soon" || tmpl == "rental_starting_soon" ||
               tmpl == "rental_unwatched";
    }

    std::string unsubscribe_token(const std::string& user_id) const {
        return auth::hmac_sha256_hex(unsubscribe_key, user_id);
    }
    // The customer's signed unsubscribe address under `path`: the API a mail program posts (List-Unsubscribe) or
    // the page a person opens from the email's text.
    std::string unsubscribe_address(std::string_view path, const std::string& user_id) const {
        return public_origin + std::string(path) + "?u=" + http::percent_encode(user_id) +
               "&t=" + unsubscribe_token(user_id);
    }

    void add(std::unique_ptr<Channel> c) {
        auto key = std::string(c->name());
        channels.emplace(std::move(key), std::move(c));
    }

    Recipient user(const std::string& id) { return identity.recipient(id); }

    object prefs(const std::string& user_id) { return prefs_of(rt.db().exec(kPrefs, pg::Params(user_id))); }
    // The first row's preferences, or the defaults when the customer never set any (no row, or NULL columns).
    static object prefs_of(const pg::Result& r) {
        if (r.empty() || r.is_null(0, "email"))
            return {{"email", true}, {"sms", false}, {"in_app", true}, {"reminders", true}};
        return {{"email", r.boolean(0, "email")},
                {"sms", r.boolean(0, "sms")},
                {"in_app", r.boolean(0, "in_app")},
                {"reminders", r.boolean(0, "reminders")}};
    }

    // Inside the consumer's transaction: the inbox row and the deliveries commit together.
    void handle(pg::Transaction& tx, const messaging::Envelope& e) {
        auto* tmpl = e.payload.if_contains("template");
        auto* uid = e.payload.if_contains("user_id");
        auto* params = e.payload.if_contains("params");
        if (!tmpl || !tmpl->is_string() || !known_template(std::string(tmpl->as_string())))
            throw messaging::PermanentFailure("unknown template");
        if (!uid || !uid->is_string() || !params || !params->is_object())
            throw messaging::PermanentFailure("message without user_id or params");
        auto user_id = std::string(uid->as_string());
        Recipient info;
        try {
            info = user(user_id);
        } catch (const AccountDeleted&) {
            return;  // nothing is sent or kept for a deleted account; the inbox row records the message as handled
        }
        bool reminder = is_reminder(tmpl->as_string());
        // A reminder says how to stop them: a page with a button (the List-Unsubscribe header is for mail programs).
        object message_params = params->as_object();
        if (reminder) message_params["unsubscribe_page"] = unsubscribe_address("/unsubscribe", user_id);
        // Rendered twice: the first pass collects the times the message names, one query converts them all,
        // the second pass uses them.
        std::map<std::string, std::string> times;
        auto collect = [&](const std::string& t) {
            if (!chance::time::parse_rfc3339(t)) throw std::invalid_argument("bad time " + t);
            times.emplace(t, std::string());
            return t;
        };
        auto local = [&](const std::string& t) { return times.at(t); };
        const auto* channels = e.payload.if_contains("channels");
        bool chosen_here = channels && channels->is_array();  // else the customer's preferences choose
        Rendered msg;
        object p;
        try {
            render(std::string(tmpl->as_string()), message_params, info.name, collect);
            if (!times.empty() || !chosen_here) {
                std::vector<std::string> texts;
                texts.reserve(times.size());
                for (const auto& [t, _] : times) texts.push_back(t);
                auto rows = tx.exec(kPrefsAndTimes, pg::Params(user_id, pg::text_array(texts), info.time_zone));
                int i = 0;
                for (auto& [t, converted] : times) converted = rows.text(i++, "t");
                p = prefs_of(rows);
            }
            msg = render(std::string(tmpl->as_string()), message_params, info.name, local);
        } catch (const std::invalid_argument& ex) {
            throw messaging::PermanentFailure(std::string("bad parameters: ") + ex.what());
        }
        bool email = true, sms_on = false, in_app = true;
        if (chosen_here) {
            email = sms_on = in_app = false;
            for (auto& c : channels->as_array()) {
                if (!c.is_string()) continue;
                email |= c.as_string() == "email";
                sms_on |= c.as_string() == "sms";
                in_app |= c.as_string() == "in_app";
            }
        } else {
            email = p["email"].as_bool();
            sms_on = p["sms"].as_bool();
            in_app = p["in_app"].as_bool();
            if (reminder && !p["reminders"].as_bool()) email = sms_on = false;  // in-app stays
            // SMS chosen but the number changed and is not confirmed yet: the message goes by email instead.
            if (sms_on && info.phone.empty()) email = true;
        }
        std::optional<std::string> unsubscribe;
        if (reminder) unsubscribe = unsubscribe_address("/api/v1/notifications/unsubscribe", user_id);
        auto insert = [&](const pg::Query& query, const std::string& channel, const std::string& recipient,
                          const std::string& body_text, const std::string& body_html,
                          const std::optional<std::string>& unsubscribe_url) {
            auto id = uuid_v7();
            if (tx.exec(query, pg::Params(id, e.id, user_id, channel, std::string(tmpl->as_string()), recipient,
                                          msg.subject, body_text, body_html, unsubscribe_url))
                    .affected() != 0)
                made_here().push_back(std::move(id));
        };
        // A message for one address (a link that confirms it, a notice to the address an account left) names it.
        auto email_to = info.email;
        if (const auto* to = e.payload.if_contains("email_to")) {
            if (!to->is_string() || to->as_string().empty())
                throw messaging::PermanentFailure("email_to must be an address");
            email_to = std::string(to->as_string());
        }
        // The in-app message goes with the email's delivery when there is one (its title and body are the email's).
        if (email)
            insert(in_app ? kDeliveryAndInAppInsert : kDeliveryInsert, "email", email_to, msg.text, msg.html,
                   unsubscribe);
        // A code that confirms a number goes to that number (not yet the account's confirmed one).
        auto sms_to = info.phone;
        if (const auto* to = e.payload.if_contains("sms_to")) {
            if (!to->is_string() || to->as_string().empty())
                throw messaging::PermanentFailure("sms_to must be a number");
            sms_to = std::string(to->as_string());
        }
        if (sms_on && !sms_to.empty()) insert(kDeliveryInsert, "sms", sms_to, msg.sms, "", std::nullopt);
        if (in_app && !email) tx.exec(kInAppInsert, pg::Params(e.id, user_id, msg.subject, msg.text));
    }

    // The provider accepted the message: it must never go back to 'pending' (that would send it again). While the
    // database is unreachable (a failover takes seconds) the mark is retried until the claim's lease ends; after
    // that the row may be unstuck and claimed again anyway, so the mark is moot, and it goes out again (the same
    // Message-ID): the one case a message repeats without a crash is a sender cut off from every database for
    // longer than delivery-unstick-seconds.
    void mark_sent(const std::string& id, const std::string& claimed, std::chrono::steady_clock::time_point lease_end) {
        std::chrono::milliseconds delay{250};
        for (;;) {
            try {
                rt.db().exec(kSent, pg::Params(id, claimed));
                return;
            } catch (const pg::Unavailable& e) {
                if (std::chrono::steady_clock::now() + delay >= lease_end) {
                    log::error("delivery sent but not marked sent before its lease ended; it may go out again",
                               {{"delivery", id}, {"error", e.internal()}});
                    return;
                }
                log::warn("delivery sent; marking it sent failed, retrying",
                          {{"delivery", id}, {"error", e.internal()}});
                std::this_thread::sleep_for(delay);
                delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(5));
            }
        }
    }

    // The due rows: retries whose backoff ended, rows no consumer handed over. Returns how many were attempted.
    int deliver_due() {
        // Deliveries claimed by a process that died go back to pending (checked every few seconds, not per pass).
        auto now = std::chrono::steady_clock::now();
        if (now >= next_unstick.load()) {
            next_unstick = now + std::chrono::seconds(5);
            rt.db().exec(kUnstick, pg::Params(static_cast<double>(unstick_after.count())));
        }
        auto claiming = std::chrono::steady_clock::now();
        return deliver(rt.db().exec(kClaim), claiming);
    }

    // Handed-over deliveries.
    int deliver_handed(const std::vector<std::string>& ids) {
        auto claiming = std::chrono::steady_clock::now();
        return deliver(rt.db().exec(kClaimIds, pg::Params(pg::text_array(ids))), claiming);
    }

    // Sends the claimed rows; returns how many were attempted. The claim is a lease of delivery-unstick-seconds
    // (the unstick puts it back after that), counted here from just before the claim's statement was sent, so it
    // never ends later here than in the database. A row is sent only while enough of the lease is left to send it
    // and mark it sent, and its mark is retried only while the lease lasts: after it another worker may claim the
    // row again, and a row not sent in time is left to that claim.
    int deliver(const pg::Result& rows, std::chrono::steady_clock::time_point claiming) {
        auto& reg = metrics::Registry::global();
        auto lease_end = claiming + unstick_after;
        auto budget = std::min<std::chrono::steady_clock::duration>(kSendBudget, unstick_after / 2);
        for (int i = 0; i < rows.rows(); ++i) {
            auto id = rows.text(i, "id");
            auto channel = rows.text(i, "channel");
            auto claimed = rows.text(i, "claimed");
            if (std::chrono::steady_clock::now() + budget >= lease_end) {
                log::warn("delivery left for another claim: too little of this claim's lease is left to send it",
                          {{"delivery", id}});
                continue;
            }
            std::optional<std::string> error;
            bool sent = false;
            try {
                auto it = channels.find(channel);
                auto result = it == channels.end()
                                  ? SendResult::failed("unknown channel " + channel)
                                  : it->second->send(Delivery{id, rows.text(i, "recipient"), rows.text(i, "subject"),
                                                              rows.text(i, "body_text"), rows.text(i, "body_html"),
                                                              rows.int64(i, "created"),
                                                              rows.opt_text(i, "unsubscribe_url").value_or("")});
                sent = result.sent;
                if (!sent) error = std::move(result.error);
            } catch (const std::exception& e) {
                error = e.what();
            }
            if (sent) {
                reg.counter("notifications_sent_total", "Deliveries sent", {{"channel", channel}}).inc();
                mark_sent(id, claimed, lease_end);
                continue;
            }
            // A failed attempt: back to pending after its backoff, or failed after the last attempt.
            auto attempts = rows.int64(i, "attempts");
            auto delay =
                kDeliveryBackoff[std::min<size_t>(static_cast<size_t>(attempts - 1), kDeliveryBackoff.size() - 1)];
            rt.db().exec(kRetry, pg::Params(id, claimed, *error, kMaxAttempts, static_cast<double>(delay.count())));
            reg.counter("notifications_failures_total", "Delivery attempts that failed", {{"channel", channel}}).inc();
            log::warn("delivery failed; will retry",
                      {{"delivery", id}, {"channel", channel}, {"attempt", attempts}, {"error", *error}});
        }
        return rows.rows();
    }
};
}  // namespace

service::ServiceSpec spec() {
    return {.name = "notifications",
            .default_port = 8084,
            .settings = {{"identity-url", "http://127.0.0.1:8081", "identity service (recipients)"},
                         {"public-origin", "http://localhost:8080", "the origin customers use (unsubscribe links)"},
                         {"smtp-url", "smtp://127.0.0.1:10025", "SMTP server"},
                         {"sms-url", "http://127.0.0.1:10080/send", "SMS gateway"},
                         {"from-address", "no-reply@chance-video.local", "sender address"},
                         {"consumer-backoff-ms", "", "override the redelivery backoff (tests): one delay in ms"},
                         {"consumer-ack-wait-seconds", "30", "redeliver a message not acknowledged within this time"},
                         {"consumer-workers", "2", "threads pulling SendNotify messages side by side"},
                         {"delivery-workers", "4", "threads sending email and SMS side by side"},
                         {"delivery-unstick-seconds", "300",
                          "resend a delivery left 'sending' this long by a process that died mid-send"}}};
}

void install(service::Runtime& rt) {
    auto n = std::make_shared<Notifier>(rt);
    rt.keep(n);
    auto& r = rt.router();
    r.get("/api/v1/notifications", [n](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto rows = n->rt.db().exec(kInbox, pg::Params(user));
        boost::json::array items;
        for (int i = 0; i < rows.rows(); ++i)
            items.push_back(object{{"id", rows.int64(i, "id")},
                                   {"title", rows.text(i, "title")},
                                   {"body", rows.text(i, "body")},
                                   {"created_at", rows.text(i, "rfc3339_text")},
                                   {"read", rows.boolean(i, "read")}});
        auto unread = n->rt.db().exec(kUnread, pg::Params(user)).int64(0, "n");
        return http::Response::json(object{{"items", std::move(items)}, {"unread", unread}});
    });
    r.post("/api/v1/notifications/:id/read", [n](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto id = text::positive_id(req.param("id"));
        if (!id || n->rt.db().exec(kRead, pg::Params(*id, user)).affected() == 0)
            throw not_found("Уведомление не найдено");
        return http::Response::no_content();
    });
    r.get("/api/v1/me/notifications",
          [n](http::Request& req) { return http::Response::json(n->prefs(service::require_user(req).user_id)); });
    r.patch("/api/v1/me/notifications", [n](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto current = n->prefs(user);
        json::Reader body(req.body);
        auto email = body.boolean("email", false).value_or(current["email"].as_bool());
        auto sms = body.boolean("sms", false).value_or(current["sms"].as_bool());
        auto in_app = body.boolean("in_app", false).value_or(current["in_app"].as_bool());
        auto reminders = body.boolean("reminders", false).value_or(current["reminders"].as_bool());
        const auto& o = body.object();
        if (body.ok() && !o.contains("email") && !o.contains("sms") && !o.contains("in_app") &&
            !o.contains("reminders"))
            body.fail("email", "Укажите, что изменить: email, sms, in_app или reminders");
        body.finish();
        // Only to a number its owner confirmed by the code sent to it (ADR 0024).
        if (sms && !current["sms"].as_bool() && n->user(user).phone.empty())
            throw unprocessable("Для SMS укажите номер телефона в профиле и подтвердите его кодом из SMS",
                                {{"sms", "Номер телефона не указан или не подтверждён"}});
        if (!email && !sms && !in_app)
            throw unprocessable("Оставьте хотя бы один способ уведомлений", {{"email", "Нужен хотя бы один канал"}});
        auto rows = n->rt.db().exec(kPrefsSet, pg::Params(user, email, sms, in_app, reminders));
        return http::Response::json(object{{"email", rows.boolean(0, "email")},
                                           {"sms", rows.boolean(0, "sms")},
                                           {"in_app", rows.boolean(0, "in_app")},
                                           {"reminders", rows.boolean(0, "reminders")}});
    });
    // List-Unsubscribe-Post (RFC 8058): a mail program posts the address of a reminder's List-Unsubscribe header,
    // without a session; the signed address is the authorisation. Reminders by email and SMS stop.
    r.post("/api/v1/notifications/unsubscribe", [n](http::Request& req) {
        auto user = req.query_param("u").value_or("");
        auto token = req.query_param("t").value_or("");
        if (user.empty() || user.size() > 64) throw bad_request("Неполная ссылка", {{"u", "Нет получателя"}});
        if (token.size() != 64) throw bad_request("Неполная ссылка", {{"t", "Нет подписи ссылки"}});
        if (!auth::constant_time_equals(token, n->unsubscribe_token(user)))
            throw forbidden("Ссылка для отписки не подошла");
        n->rt.db().exec(kRemindersOff, pg::Params(user));
        return http::Response::json(object{{"detail", "Напоминания о показах больше не придут на почту и по SMS"}});
    });
    // What notifications holds about a customer (ADR 0021): settings, every email and SMS with its text, in-app list.
    r.get("/internal/users/:user/data", [n](http::Request& req) {
        service::require_service(req);
        const auto& user = req.param("user");
        boost::json::array messages;
        auto d = n->rt.db().exec(kDeliveriesOf, pg::Params(user));
        for (int i = 0; i < d.rows(); ++i)
            messages.push_back(object{{"channel", d.text(i, "channel")},
                                      {"template", d.text(i, "template")},
                                      {"recipient", d.text(i, "recipient")},
                                      {"subject", d.text(i, "subject")},
                                      {"text", d.text(i, "body_text")},
                                      {"status", d.text(i, "status")},
                                      {"created_at", d.text(i, "created_at")},
                                      {"sent_at", json::or_null(d.opt_text(i, "sent_at"))}});
        boost::json::array in_app;
        auto a = n->rt.db().exec(kInAppOf, pg::Params(user));
        for (int i = 0; i < a.rows(); ++i)
            in_app.push_back(object{{"title", a.text(i, "title")},
                                    {"body", a.text(i, "body")},
                                    {"created_at", a.text(i, "created_at")},
                                    {"read_at", json::or_null(a.opt_text(i, "read_at"))}});
        return http::Response::json(
            object{{"preferences", n->prefs(user)}, {"messages", std::move(messages)}, {"in_app", std::move(in_app)}});
    });
    r.get("/api/v1/admin/notifications/dead-letters", [n](http::Request& req) {
        service::require_admin(req);
        auto rows = n->rt.db().exec(kDeadList);
        boost::json::array items;
        for (int i = 0; i < rows.rows(); ++i)
            items.push_back(object{{"id", rows.int64(i, "id")},
                                   {"message_id", rows.opt_text(i, "message_id").value_or("")},
                                   {"subject", rows.text(i, "subject")},
                                   {"reason", rows.text(i, "reason")},
                                   {"deliveries", rows.int64(i, "deliveries")},
                                   {"data", rows.text(i, "data")},
                                   {"created_at", rows.text(i, "created_at")},
                                   {"replayed", rows.boolean(i, "replayed")}});
        return http::Response::json(object{{"items", std::move(items)}});
    });
    r.post("/api/v1/admin/notifications/dead-letters/:id/replay", [n](http::Request& req) {
        service::require_admin(req);
        auto id = text::positive_id(req.param("id"));
        if (!id) throw not_found("Запись не найдена");
        messaging::replay_dead_letter(n->rt.db(), n->rt.nats(), *id);
        return http::Response::json(object{{"status", "replayed"}});
    });
    r.get("/api/v1/admin/notifications/deliveries", [n](http::Request& req) {
        service::require_admin(req);
        auto status = req.query_param("status").value_or("failed");
        if (status != "failed" && status != "pending" && status != "sending" && status != "sent")
            throw bad_request("Неизвестный статус", {{"status", "failed, pending, sending или sent"}});
        auto rows = n->rt.db().exec(kFailed, pg::Params(status));
        boost::json::array items;
        for (int i = 0; i < rows.rows(); ++i)
            items.push_back(object{{"id", rows.text(i, "id")},
                                   {"message_id", rows.text(i, "message_id")},
                                   {"user_id", rows.text(i, "user_id")},
                                   {"channel", rows.text(i, "channel")},
                                   {"template", rows.text(i, "template")},
                                   {"attempts", rows.int64(i, "attempts")},
                                   {"last_error", rows.opt_text(i, "last_error").value_or("")}});
        return http::Response::json(object{{"items", std::move(items)}});
    });
    rt.on_ready([n](service::Runtime& rt) {
        messaging::ConsumerSpec cs{.stream = "SendNotify", .durable = "notifications", .filter_subject = "notify.>"};
        cs.ack_wait = std::chrono::seconds(rt.config().get_int("consumer-ack-wait-seconds"));
        if (rt.config().has("consumer-backoff-ms"))
            cs.backoff = {std::chrono::milliseconds(rt.config().get_int("consumer-backoff-ms"))};
        // Several pullers on the one durable consumer share the messages (and with replicas, across processes).
        cs.after_transaction = [n](bool committed) { n->after_transaction(committed); };
        for (int w = 0; w < rt.config().get_int("consumer-workers"); ++w) {
            auto consumer = std::make_shared<messaging::Consumer>(
                rt.db(), rt.nats(), messaging::send_notify_stream(), cs,
                [n](pg::Transaction& tx, const messaging::Envelope& e) { n->handle(tx, e); });
            rt.keep(consumer);
            rt.spawn("consumer-" + std::to_string(w), [consumer](const std::stop_token& st) { consumer->run(st); });
        }
        // An account's deletion: what was kept for it is erased, once per event (the inbox).
        rt.on_account_deleted("notifications", [](pg::Transaction& tx, const std::string& user) {
            tx.exec(kEraseAccount, pg::Params(user));
        });
        // Several delivery workers: each takes what the consumers hand over, and claims due rows of its own
        // (FOR UPDATE SKIP LOCKED), so a slow SMTP answer holds up one worker, not the queue.
        for (int w = 0; w < rt.config().get_int("delivery-workers"); ++w)
            rt.spawn("delivery-" + std::to_string(w), [n](const std::stop_token& st) {
                auto last_poll = std::chrono::steady_clock::now() - kPollUnderLoad;
                while (!st.stop_requested()) {
                    try {
                        auto ids = n->take_ready(st, kIdlePoll);
                        if (!ids.empty()) n->deliver_handed(ids);
                        // Woken with nothing (another worker took the ids) is not idle: only kIdlePoll without a
                        // poll, or kPollUnderLoad, sends a worker to the due rows.
                        auto now = std::chrono::steady_clock::now();
                        if (now - last_poll >= (ids.empty() ? std::chrono::milliseconds(kIdlePoll) : kPollUnderLoad)) {
                            last_poll = now;
                            while (!st.stop_requested() && n->deliver_due() > 0) {
                            }
                        }
                    } catch (const std::exception& e) {
                        log::warn("delivery pass failed", {{"error", e.what()}});
                        std::this_thread::sleep_for(kIdlePoll);
                    }
                }
            });
    });
}

}  // namespace chance::notifications
