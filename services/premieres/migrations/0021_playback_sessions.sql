-- Watching (ADR 0025). A playback session is one device's stream of one rental: started by the player, renewed
-- with it, ended when another device starts the rental (one stream per rental at a time). It records when its first
-- and last segments were served and what the player's beacon reported (position, errors): resume on any device,
-- «Вы ещё не начали смотреть», and later the refund when the store failed to play.
CREATE TABLE playback_sessions (
    id                text PRIMARY KEY,               -- random, 22 base64url characters
    rental_id         bigint NOT NULL REFERENCES rentals (id),
    user_id           text NOT NULL,
    device            text NOT NULL DEFAULT '',       -- the player's User-Agent, cut to 200 characters
    started_at        timestamptz NOT NULL DEFAULT now(),
    first_segment_at  timestamptz,
    last_segment_at   timestamptz,                    -- kept to about ten seconds
    position          int,                            -- seconds into the premiere, from the beacon
    position_at       timestamptz,
    errors            int NOT NULL DEFAULT 0,
    last_error        text,
    ended_at          timestamptz,
    ended_reason      text CHECK (ended_reason IN ('replaced', 'account_deleted'))
);
CREATE INDEX playback_sessions_rental ON playback_sessions (rental_id, started_at DESC);
-- One stream per rental: at most one session of a rental is live.
CREATE UNIQUE INDEX playback_sessions_live ON playback_sessions (rental_id) WHERE ended_at IS NULL;

ALTER TABLE rentals ADD COLUMN resume_position int NOT NULL DEFAULT 0;  -- where the last beacon was, any device
ALTER TABLE rentals ADD COLUMN first_played_at timestamptz;             -- the first segment served, any device
ALTER TABLE rentals ADD COLUMN soon_reminded_at timestamptz;            -- «Скоро начало»
ALTER TABLE rentals ADD COLUMN unwatched_reminded_at timestamptz;       -- «Вы ещё не начали смотреть»
CREATE INDEX rentals_soon ON rentals (starts_at) WHERE cancelled_at IS NULL AND soon_reminded_at IS NULL;
CREATE INDEX rentals_unwatched ON rentals (ends_at)
    WHERE cancelled_at IS NULL AND first_played_at IS NULL AND unwatched_reminded_at IS NULL;
