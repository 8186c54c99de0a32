-- Confirming the phone by a code in an SMS (ADR 0024). SMS delivery can be chosen only for a confirmed number; a
-- changed number is unconfirmed again. A code is six digits, works for 10 minutes, once, for the number it was sent
-- to, and dies after 5 wrong tries; only its SHA-256 (with the account and the number) is stored.
ALTER TABLE users ADD COLUMN phone_verified_at timestamptz;

CREATE TABLE phone_codes (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    phone       text NOT NULL,     -- the number the code confirms
    code_hash   text NOT NULL,
    attempts    int NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz        -- confirmed with it, or voided by a newer code
);
CREATE INDEX phone_codes_user ON phone_codes (user_id, created_at);
