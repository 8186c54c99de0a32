#include "premieres/rentals/playback.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chance/auth/auth.hpp"
#include "chance/core/log.hpp"
#include "chance/core/time.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/catalog.hpp"
#include "premieres/http.hpp"
#include "premieres/rentals/rentals.hpp"
#include "premieres/rentals/viewing.hpp"

namespace chance::premieres {

namespace fs = std::filesystem;

std::string sign_media(const MediaGrant& g, const std::string& key) {
    auto payload = std::to_string(g.premiere_id) + "." + std::to_string(g.rental_id) + "." + g.user_id + "." +
                   std::to_string(g.expires) + "." + g.session;
    return auth::base64url(payload) + "." + auth::hmac_sha256_hex(key, "media|" + payload).substr(0, 40);
}

std::optional<MediaGrant> verify_media(const std::string& token, const std::string& key, int64_t now_unix) {
    auto dot = token.find('.');
    if (dot == std::string::npos || token.size() > 300) return std::nullopt;
    auto payload = auth::base64url_decode(token.substr(0, dot));
    if (!payload) return std::nullopt;
    auto expected = auth::hmac_sha256_hex(key, "media|" + *payload).substr(0, 40);
    if (!auth::constant_time_equals(expected, token.substr(dot + 1))) return std::nullopt;
    std::vector<std::string> parts;
    std::stringstream ss(*payload);
    for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
    if (parts.size() != 5) return std::nullopt;
    try {
        MediaGrant g{std::stoll(parts[0]), std::stoll(parts[1]), parts[2], std::stoll(parts[3]), parts[4]};
        if (g.expires < now_unix) return std::nullopt;
        return g;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

namespace {
int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string media_root(const PlaybackConfig& c, int64_t premiere) {
    auto own = fs::path(c.media_dir) / std::to_string(premiere);
    if (fs::exists(own / "master.m3u8")) return own.string();
    return (fs::path(c.media_dir) / "default").string();
}

// A path inside the screening, or nothing for one that climbs out of it.
bool safe_relative(const std::string& rel) {
    return !rel.empty() && rel.find("..") == std::string::npos && rel.find('\\') == std::string::npos && rel[0] != '/';
}

// The playlist's URIs (its lines that are not tags), relative to the playlist's folder.
std::vector<std::string> playlist_uris(const fs::path& playlist) {
    std::vector<std::string> out;
    std::ifstream in(playlist);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] != '#') out.push_back(line);
    }
    return out;
}
}  // namespace

bool screening_names(const std::string& root, const std::string& rel) {
    if (rel == "master.m3u8") return true;  // the URL the store itself hands out
    for (const auto& variant : playlist_uris(fs::path(root) / "master.m3u8")) {
        if (variant == rel) return true;
        auto folder = fs::path(variant).parent_path();
        for (const auto& segment : playlist_uris(fs::path(root) / variant))
            if ((folder / segment).lexically_normal().string() == rel) return true;
    }
    return false;
}

namespace {
http::Response serve_file(const http::Request& req, const std::string& root, const std::string& rel) {
    if (!safe_relative(rel)) throw not_found("Файл не найден");
    auto path = fs::path(root) / rel;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw not_found("Файл не найден");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    http::Response res;
    auto ext = path.extension().string();
    res.headers.set("Content-Type", ext == ".m3u8" ? "application/vnd.apple.mpegurl"
                                    : ext == ".ts" ? "video/mp2t"
                                                   : "application/octet-stream");
    res.headers.set("Accept-Ranges", "bytes");
    res.headers.set("Cache-Control", "private, max-age=60");
    auto range = req.headers.get("Range");
    if (range && range->rfind("bytes=", 0) == 0) {
        auto spec = range->substr(6);
        auto dash = spec.find('-');
        try {
            size_t size = data.size();
            size_t start, end;
            if (dash == 0) {
                size_t n = std::stoull(spec.substr(1));
                start = n >= size ? 0 : size - n;
                end = size - 1;
            } else {
                start = std::stoull(spec.substr(0, dash));
                end = dash + 1 < spec.size() ? std::stoull(spec.substr(dash + 1)) : size - 1;
            }
            if (start >= size || end < start) {
                auto r =
                    http::Response::problem(Problem(416, "Диапазон недоступен").with_type("range-not-satisfiable"));
                r.headers.set("Content-Range", "bytes */" + std::to_string(size));
                return r;
            }
            end = std::min(end, size - 1);
            res.status = 206;
            res.headers.set("Content-Range",
                            "bytes " + std::to_string(start) + "-" + std::to_string(end) + "/" + std::to_string(size));
            res.body = data.substr(start, end - start + 1);
            return res;
        } catch (const std::exception&) {
            throw bad_request("Некорректный заголовок Range", {{"Range", "bytes=начало-конец"}});
        }
    }
    res.body = std::move(data);
    return res;
}
}  // namespace

namespace {
// The rental may be watched now: 403 with the reason (and the window's edge) otherwise.
void require_watchable(const rentals::Rental& rental) {
    if (rental.status == rentals::Status::upcoming)
        throw Problem(403, "Показ ещё не начался", "Показ ещё не начался: смотреть можно с " + rental.starts_at)
            .with_type("rental-not-started")
            .with("starts_at", boost::json::string(rental.starts_at))
            .with("premiere_id", rental.premiere_id);
    if (rental.status == rentals::Status::cancelled)
        throw Problem(403, "Аренда отменена", "Эта аренда отменена, деньги за неё вернулись на баланс.")
            .with_type("rental-cancelled")
            .with("premiere_id", rental.premiere_id);
    if (rental.status != rentals::Status::active)
        throw Problem(
            403, "Время просмотра закончилось",
            "Окно просмотра закончилось " + rental.ends_at + ". Чтобы посмотреть снова, арендуйте премьеру ещё раз.")
            .with_type("rental-ended")
            .with("ends_at", boost::json::string(rental.ends_at))
            .with("premiere_id", rental.premiere_id);
}

// The signed URL for the session, valid for the ttl and never past the window's end.
boost::json::object grant_json(const rentals::Rental& rental, const std::string& user, const std::string& session,
                               const PlaybackConfig& config) {
    auto ends = time::parse_rfc3339(rental.ends_at);
    auto ends_unix = std::chrono::duration_cast<std::chrono::seconds>(ends->time_since_epoch()).count();
    auto exp = std::min<int64_t>(unix_now() + config.ttl.count(), ends_unix);
    auto premiere = rental.premiere_id;
    auto token = sign_media({premiere, rental.id, user, exp, session}, config.key);
    return {{"url", "/media/" + token + "/" + std::to_string(premiere) + "/master.m3u8"},
            {"token", token},
            {"session", session},
            {"expires_at", time::format_rfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(exp)))},
            {"title", rental.title},
            {"premiere_id", premiere},
            {"ends_at", rental.ends_at}};
}

bool is_segment(const std::string& rel) { return rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".ts") == 0; }

// A 503 for a file the screening needs and the store cannot serve (ADR 0026).
Problem media_unavailable() {
    return Problem(503, "Запись недоступна",
                   "Не получается загрузить запись: это сбой на нашей стороне. Если посмотреть так и не получится, мы "
                   "вернём деньги за аренду.")
        .with_type("media-unavailable");
}
}  // namespace

void install_playback(http::Router& router, rentals::Rentals& customer_rentals, rentals::Viewing& viewing,
                      const PlaybackConfig& config) {
    // A stream on this device: the rental's stream on any other device ends (one at a time, ADR 0025).
    router.post("/api/v1/rentals/:id/playback", [&customer_rentals, &viewing, config](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto rental = customer_rentals.get(user, parse_id(req.param("id")));
        require_watchable(rental);
        auto stream = viewing.start(user, rental.id, rentals::device_label(req.headers.get("User-Agent").value_or("")));
        auto body = grant_json(rental, user, stream.session, config);
        body["resume_at"] = stream.resume_at;
        body["took_over"] = stream.took_over;
        return no_store_json(body);
    });
    // The URL renewed within the session, while it is the rental's live stream (409 once another device took it).
    router.get("/api/v1/rentals/:id/playback", [&customer_rentals, &viewing, config](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto id = parse_id(req.param("id"));
        auto rental = customer_rentals.get(user, id);
        require_watchable(rental);
        auto session = req.query_param("session");
        if (!session || !rentals::session_shaped(*session))
            throw bad_request("Укажите просмотр, который продолжается",
                              {{"session", "Идентификатор из ответа POST /rentals/:id/playback"}});
        viewing.require_live(user, id, std::string(*session));
        return no_store_json(grant_json(rental, user, std::string(*session), config));
    });
    // The player's beacon: its position every few seconds and its errors.
    router.post("/api/v1/rentals/:id/playback/beacon", [&viewing](http::Request& req) {
        auto user = service::require_user(req).user_id;
        viewing.beacon(user, parse_id(req.param("id")), rentals::read_beacon(req.body));
        return http::Response::no_content();
    });
    router.get("/media/:token/:premiere/*", [&viewing, config](http::Request& req) {
        auto grant = verify_media(req.param("token"), config.key, unix_now());
        if (!grant || std::to_string(grant->premiere_id) != req.param("premiere"))
            throw forbidden("Ссылка на просмотр недействительна или устарела");
        const auto& rel = req.param("*");
        if (!safe_relative(rel)) throw not_found("Файл не найден");
        auto root = media_root(config, grant->premiere_id);
        std::error_code ec;
        bool present = fs::is_regular_file(fs::path(root) / rel, ec);
        // A segment is recorded as played only when it is there to be served.
        if (!viewing.on_media(grant->session, is_segment(rel) && present)) {
            auto p = rentals::taken_over();
            throw Problem(403, p.title(), p.detail()).with_type("playback-taken-over");
        }
        // A file the screening's own playlists name that is not there is the store's failure, not the customer's:
        // it counts toward the automatic refund. Any other missing path is a plain 404.
        if (!present) {
            if (!screening_names(root, rel)) throw not_found("Файл не найден");
            viewing.store_failure(grant->session, grant->rental_id, "missing " + rel);
            throw media_unavailable();
        }
        try {
            return serve_file(req, root, rel);
        } catch (const Problem&) {
            throw;
        } catch (const std::exception& e) {
            viewing.store_failure(grant->session, grant->rental_id, std::string("unreadable ") + rel);
            log::error("media unreadable", {{"premiere", grant->premiere_id}, {"file", rel}, {"error", e.what()}});
            throw media_unavailable();
        }
    });
}

}  // namespace chance::premieres
