#pragma once
// Playback of a rented premiere (issue 10): a short-lived signed URL bound to the customer, the rental and the
// premiere; every playlist and segment request checks the signature and the expiry. The token sits in the
// path (/media/<token>/<premiere>/...) so that relative segment URLs inside playlists carry it too — the same
// shape a CDN or nginx secure_link would check.
#include <chrono>
#include <optional>
#include <string>

#include "chance/http/router.hpp"

namespace chance::premieres {

namespace rentals {
class Rentals;
}

struct MediaGrant {
    int64_t premiere_id;
    int64_t rental_id;
    std::string user_id;
    int64_t expires;  // unix seconds
};

std::string sign_media(const MediaGrant& g, const std::string& key);
// nullopt for a tampered, malformed or expired token.
std::optional<MediaGrant> verify_media(const std::string& token, const std::string& key, int64_t now_unix);

struct PlaybackConfig {
    std::string media_dir;  // <media_dir>/<premiere_id>/master.m3u8, or <media_dir>/default/
    std::string key;        // HMAC key
    std::chrono::seconds ttl{240};
};

// GET /rentals/:id/playback (a signed URL while the rental is active) and the media it signs.
void install_playback(http::Router& router, rentals::Rentals& rentals, const PlaybackConfig& config);

}  // namespace chance::premieres
