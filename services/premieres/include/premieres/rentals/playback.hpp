#pragma once
// Playback of a rented premiere (issue 10): a short-lived signed URL bound to the customer, the rental, the premiere
// and the playback session (ADR 0025); every playlist and segment request checks the signature, the expiry and that
// the session is still the rental's live stream. The token sits in the
// path (/media/<token>/<premiere>/...) so that relative segment URLs inside playlists carry it too — the same
// shape a CDN or nginx secure_link would check.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "chance/http/router.hpp"

namespace chance::premieres {

namespace rentals {
class Rentals;
class Viewing;
}  // namespace rentals

struct MediaGrant {
    int64_t premiere_id;
    int64_t rental_id;
    std::string user_id;
    int64_t expires;      // unix seconds
    std::string session;  // the playback session (rentals::Viewing)
};

std::string sign_media(const MediaGrant& g, const std::string& key);
// nullopt for a tampered, malformed or expired token.
std::optional<MediaGrant> verify_media(const std::string& token, const std::string& key, int64_t now_unix);

// Whether `rel` is a file the screening under `root` names: its master playlist, a variant playlist the master
// lists, or a segment a variant lists (ADR 0026: such a file missing is the store's failure).
bool screening_names(const std::string& root, const std::string& rel);

struct PlaybackConfig {
    std::string media_dir;  // <media_dir>/<premiere_id>/master.m3u8, or <media_dir>/default/
    std::string key;        // HMAC key
    std::chrono::seconds ttl{240};
};

// POST /rentals/:id/playback (a stream on this device, while the rental is active: a signed URL, the session and
// where to resume), GET /rentals/:id/playback?session= (the URL renewed within the session), POST
// /rentals/:id/playback/beacon, and the media they sign.
void install_playback(http::Router& router, rentals::Rentals& rentals, rentals::Viewing& viewing,
                      const PlaybackConfig& config);

}  // namespace chance::premieres
