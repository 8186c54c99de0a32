-- «Забыли пароль?»: a one-time link by email. The token is only in the email; its SHA-256 (hex) is stored. A link
-- works for 30 minutes and once; setting a new password also voids the account's other open links.
CREATE TABLE password_resets (
    token_hash  text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id) WHERE used_at IS NULL;
CREATE INDEX password_resets_age ON password_resets (created_at);

-- Every reset request by the address it names, known or not (the limit per address must not tell them apart).
CREATE TABLE password_reset_requests (
    address       text NOT NULL,  -- lower(email)
    requested_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_reset_requests_address ON password_reset_requests (address, requested_at);
CREATE INDEX password_reset_requests_age ON password_reset_requests (requested_at);
