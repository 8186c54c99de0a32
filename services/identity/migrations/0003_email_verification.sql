-- Email verification and change of address (ADR 0020). An account works before its address is confirmed (the
-- store shows a banner); a new address takes the old one's place only when the link sent to it is opened. A link's
-- token is only in the email; its SHA-256 (hex) is stored. A link works for 24 hours and once.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

CREATE TABLE email_verifications (
    token_hash  text PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    email       text NOT NULL,     -- the address the link confirms
    change      boolean NOT NULL,  -- true: a new address for the account, not yet its email
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX email_verifications_user ON email_verifications (user_id, created_at);
