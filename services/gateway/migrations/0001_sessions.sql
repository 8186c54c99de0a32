-- Server-side sessions. The cookie carries an opaque random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id            text PRIMARY KEY,  -- sha256(token), hex
    user_id       text NOT NULL,
    role          text NOT NULL,
    time_zone     text NOT NULL,
    csrf_token    text NOT NULL,
    remember      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
