-- Live shows with online seats (ADR 0027). A premiere may have several live shows, each a time and a number of
-- online seats; seats are counted per show (the rentals holding one), a rental of a show starts at the show, and
-- a cancelled show's buyers are refunded by the scheduler. A rental without a show (the recording) holds no seat.
CREATE TABLE live_shows (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    premiere_id   bigint NOT NULL REFERENCES premieres (id),
    starts_at     timestamptz NOT NULL,
    capacity      int NOT NULL CHECK (capacity > 0),
    cancelled_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (premiere_id, starts_at)
);
CREATE INDEX live_shows_upcoming ON live_shows (premiere_id, starts_at) WHERE cancelled_at IS NULL;

ALTER TABLE order_items ADD COLUMN show_id bigint REFERENCES live_shows (id);
ALTER TABLE rentals ADD COLUMN show_id bigint REFERENCES live_shows (id);
CREATE INDEX rentals_show ON rentals (show_id) WHERE show_id IS NOT NULL AND cancelled_at IS NULL;
-- A show's seats held: its rentals not cancelled (the one definition the storefront, the admin and the payment use).
CREATE FUNCTION show_seats_taken(show bigint) RETURNS bigint LANGUAGE sql STABLE AS
    'SELECT count(*) FROM rentals WHERE show_id = show AND cancelled_at IS NULL';

-- The premiere's own live_at and capacity (the editor's and the import's fields) are its show at live_at: kept
-- here, whoever writes the premiere. Moving live_at adds a show at the new time; the old one stays with its buyers
-- until an admin cancels it.
CREATE FUNCTION premiere_live_show() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_shows (premiere_id, starts_at, capacity) VALUES (NEW.id, NEW.live_at, NEW.capacity)
    ON CONFLICT (premiere_id, starts_at) DO UPDATE SET capacity = EXCLUDED.capacity;
    RETURN NULL;
END $$;
CREATE TRIGGER premieres_live_show_insert AFTER INSERT ON premieres FOR EACH ROW
    WHEN (NEW.live_at IS NOT NULL AND NEW.capacity IS NOT NULL) EXECUTE FUNCTION premiere_live_show();
CREATE TRIGGER premieres_live_show_update AFTER UPDATE OF live_at, capacity ON premieres FOR EACH ROW
    WHEN (NEW.live_at IS NOT NULL AND NEW.capacity IS NOT NULL
          AND (OLD.live_at IS DISTINCT FROM NEW.live_at OR OLD.capacity IS DISTINCT FROM NEW.capacity))
    EXECUTE FUNCTION premiere_live_show();

INSERT INTO live_shows (premiere_id, starts_at, capacity)
    SELECT id, live_at, capacity FROM premieres WHERE live_at IS NOT NULL AND capacity IS NOT NULL;
