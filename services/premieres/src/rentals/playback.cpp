#include "premieres/rentals/playback.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chance/auth/auth.hpp"
#include "chance/core/time.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/catalog.hpp"
#include "premieres/rentals/rentals.hpp"

namespace chance::premieres {

namespace fs = std::filesystem;

std::string sign_media(const MediaGrant& g, const std::string& key) {
    auto payload = std::to_string(g.premiere_id) + "." + std::to_string(g.rental_id) + "." + g.user_id + "." +
                   std::to_string(g.expires);
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
    if (parts.size() != 4) return std::nullopt;
    try {
        MediaGrant g{std::stoll(parts[0]), std::stoll(parts[1]), parts[2], std::stoll(parts[3])};
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

http::Response serve_file(const http::Request& req, const std::string& root, const std::string& rel) {
    if (rel.empty() || rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos || rel[0] == '/')
        throw not_found("Файл не найден");
    auto path = fs::path(root) / rel;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw not_found("Файл не найден");
    std::ifstream in(path, std::ios::binary);
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

void install_playback(http::Router& router, rentals::Rentals& customer_rentals, const PlaybackConfig& config) {
    router.get("/api/v1/rentals/:id/playback", [&customer_rentals, config](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto rental = customer_rentals.get(user, parse_id(req.param("id")));
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
            throw Problem(403, "Время просмотра закончилось",
                          "Окно просмотра закончилось " + rental.ends_at +
                              ". Чтобы посмотреть снова, арендуйте премьеру ещё раз.")
                .with_type("rental-ended")
                .with("ends_at", boost::json::string(rental.ends_at))
                .with("premiere_id", rental.premiere_id);
        auto ends = time::parse_rfc3339(rental.ends_at);
        auto ends_unix = std::chrono::duration_cast<std::chrono::seconds>(ends->time_since_epoch()).count();
        auto exp = std::min<int64_t>(unix_now() + config.ttl.count(), ends_unix);
        auto premiere = rental.premiere_id;
        auto token = sign_media({premiere, rental.id, user, exp}, config.key);
        auto res = http::Response::json(boost::json::object{
            {"url", "/media/" + token + "/" + std::to_string(premiere) + "/master.m3u8"},
            {"token", token},
            {"expires_at", time::format_rfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(exp)))},
            {"title", rental.title},
            {"premiere_id", premiere},
            {"ends_at", rental.ends_at}});
        res.headers.set("Cache-Control", "no-store");
        return res;
    });
    router.get("/media/:token/:premiere/*", [config](http::Request& req) {
        auto grant = verify_media(req.param("token"), config.key, unix_now());
        if (!grant || std::to_string(grant->premiere_id) != req.param("premiere"))
            throw forbidden("Ссылка на просмотр недействительна или устарела");
        return serve_file(req, media_root(config, grant->premiere_id), req.param("*"));
    });
}

}  // namespace chance::premieres
