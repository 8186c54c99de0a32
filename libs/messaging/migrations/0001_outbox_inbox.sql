-- Outbox: written in the business transaction; the relay publishes each row to JetStream with
-- Nats-Msg-Id = id and marks it published only after the PubAck.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY,
    subject         text NOT NULL,
    type            text NOT NULL,
    envelope        jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE published_at IS NULL;

-- Inbox: the id of every message a consumer has handled, written in the same transaction as its
-- effect, so a redelivered message has no second effect.
CREATE TABLE inbox (
    consumer    text NOT NULL,
    message_id  text NOT NULL,
    handled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Messages that could not be handled (malformed, or failing past the delivery limit).
CREATE TABLE dead_letters (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer     text NOT NULL,
    message_id   text,
    subject      text NOT NULL,
    data         text NOT NULL,
    reason       text NOT NULL,
    deliveries   int NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    replayed_at  timestamptz
);
