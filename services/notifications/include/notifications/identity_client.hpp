#pragma once
// Notifications' typed client of the identity service: a recipient's address, name, phone and time zone.
// It owns the signed service identity header; an unknown user is a permanent failure (the message can never
// be delivered), any other failure a transient one (the delivery is retried).
#include <functional>
#include <stdexcept>
#include <string>

#include "chance/http/client.hpp"

namespace chance::notifications {

struct Recipient {
    // `phone`: the account's number only once it is confirmed by its SMS code (ADR 0024); empty otherwise.
    std::string email, name, phone, time_zone;
};

// The account was deleted (identity answers 410): whatever was meant for it is dropped, not retried (ADR 0021).
struct AccountDeleted : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Identity's answer for user `id` as a recipient: 200 → the recipient; 404 → messaging::PermanentFailure;
// 410 → AccountDeleted; anything else, or a body without the fields → std::runtime_error. Pure: unit-tested.
Recipient recipient_of(const http::ClientResponse& r, const std::string& id);

class IdentityClient {
  public:
    IdentityClient(std::string base_url, std::function<std::string()> service_identity)
        : http_(std::move(base_url)), service_identity_(std::move(service_identity)) {}
    Recipient recipient(const std::string& user_id) const;

  private:
    http::Client http_;
    std::function<std::string()> service_identity_;
};

}  // namespace chance::notifications
