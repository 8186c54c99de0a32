-- When the store fails to play (ADR 0026). A media request for a file the screening's own playlists name (or its
-- master playlist) that the store cannot serve is the store's failure: counted on the session and timed on the
-- rental. A rental whose window ended with such a failure and no segment ever served is refunded in full by the
-- scheduler, once. A customer whose trouble is not the store's files a problem report that staff can refund.
ALTER TABLE playback_sessions ADD COLUMN store_failures int NOT NULL DEFAULT 0;
ALTER TABLE rentals ADD COLUMN store_failed_at timestamptz;    -- the last failure of the store's to play it
ALTER TABLE rentals ADD COLUMN auto_refunded_at timestamptz;   -- refunded (or found with nothing left) for it
CREATE INDEX rentals_unplayable ON rentals (ends_at)
    WHERE store_failed_at IS NOT NULL AND first_played_at IS NULL AND auto_refunded_at IS NULL AND cancelled_at IS NULL;

CREATE TABLE playback_problems (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rental_id    bigint NOT NULL REFERENCES rentals (id),
    user_id      text NOT NULL,
    session_id   text,                 -- the stream the customer was watching, when the player knew it
    text         text NOT NULL,        -- the customer's words
    created_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    resolved_by  text,                 -- the staff member's user id
    resolution   text CHECK (resolution IN ('refunded', 'closed'))
);
-- One open report per rental: a second while the first is open is the same problem.
CREATE UNIQUE INDEX playback_problems_open ON playback_problems (rental_id) WHERE resolved_at IS NULL;
CREATE INDEX playback_problems_created ON playback_problems (created_at DESC);
