#pragma once
// Public answers kept by the gateway (docs/adr/0013): a GET of a public catalog route whose answer the service
// marked `Cache-Control: public, max-age=N` is answered from memory for N seconds, to anyone, without asking the
// service; `If-None-Match` with the kept ETag gets a 304. Nothing else is ever kept: not a private route, not an
// answer marked private or no-store, not one that sets a cookie, not an error.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "chance/http/message.hpp"

namespace chance::gateway {

class PublicCache {
  public:
    using Clock = std::chrono::steady_clock;
    struct Limits {
        size_t entries = 20000;
        size_t body_bytes = size_t{256} * 1024;  // a larger answer is passed on, not kept
    };
    PublicCache() = default;
    explicit PublicCache(Limits limits) : limits_(limits) {}

    // Whether an answer to this request may come from (and go into) the cache: a GET of a public API route.
    static bool applies(const http::Request& req);
    // The seconds a response may be kept: max-age of a `public` Cache-Control without private/no-store/no-cache,
    // on a 200 with an ETag and no Set-Cookie; 0 when it may not be kept.
    static int keepable_for(const http::Response& res);

    // The kept answer for the request, fresh at `now` (a 304 when its If-None-Match names the kept ETag).
    std::optional<http::Response> get(const http::Request& req, Clock::time_point now = Clock::now());
    // `res`, or a 304 without a body when the request's If-None-Match names its ETag.
    static http::Response conditional(const http::Request& req, http::Response res);
    // Keeps `res` (when keepable_for() allows) as the answer to the request's target.
    void put(const http::Request& req, const http::Response& res, Clock::time_point now = Clock::now());
    // Forgets everything (a catalog change made through this gateway is then visible through it at once).
    void clear();
    size_t size() const;

  private:
    struct Entry {
        std::shared_ptr<const http::Response::Prepared> answer;  // a kept 200: shared by the responses that send it
        Clock::time_point fresh_until;
        Clock::time_point stored_at;
    };
    Limits limits_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace chance::gateway
