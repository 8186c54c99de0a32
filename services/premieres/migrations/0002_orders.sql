-- Cart, orders (the purchase saga's state), rentals and their append-only history.
CREATE TABLE cart_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     text NOT NULL,
    premiere_id bigint NOT NULL REFERENCES premieres (id),
    period      int CHECK (period > 0),
    starts_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, premiere_id)
);

CREATE TABLE orders (
    id                 uuid PRIMARY KEY,
    user_id            text NOT NULL,
    status             text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'expired', 'cancelled')),
    total              bigint NOT NULL CHECK (total >= 0),
    idempotency_key    text NOT NULL,
    request_hash       text NOT NULL,
    confirm_started_at timestamptz,
    paid_at            timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'pending_payment';

CREATE TABLE order_items (
    order_id    uuid NOT NULL REFERENCES orders (id),
    position    int NOT NULL,
    premiere_id bigint NOT NULL REFERENCES premieres (id),
    title       text NOT NULL,
    period      int NOT NULL CHECK (period > 0),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    price       bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (order_id, position)
);

CREATE TABLE rentals (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           text NOT NULL,
    premiere_id       bigint NOT NULL REFERENCES premieres (id),
    order_id          uuid NOT NULL REFERENCES orders (id),
    period            int NOT NULL CHECK (period > 0),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    amount            bigint NOT NULL CHECK (amount >= 0),
    cancelled_at      timestamptz,
    start_reminded_at timestamptz,
    end_reminded_at   timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    UNIQUE (order_id, premiere_id)
);
CREATE INDEX rentals_user ON rentals (user_id, starts_at DESC);
CREATE INDEX rentals_reminders ON rentals (ends_at) WHERE cancelled_at IS NULL AND end_reminded_at IS NULL;
CREATE INDEX rentals_starts ON rentals (starts_at) WHERE cancelled_at IS NULL AND start_reminded_at IS NULL;

CREATE TABLE rental_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rental_id   bigint,
    order_id    uuid,
    type        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rental_events_rental ON rental_events (rental_id, id);
CREATE TRIGGER rental_events_append_only BEFORE UPDATE OR DELETE ON rental_events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
