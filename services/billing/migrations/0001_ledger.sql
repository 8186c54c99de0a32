-- Double-entry ledger (docs/architecture.md §7, ADR 0003). Every transaction's entries sum to zero (checked at commit);
-- a customer's wallet balance is kept in the same transaction and never goes below zero.
CREATE TABLE accounts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('wallet', 'provider_clearing', 'revenue', 'refunds')),
    user_id    text,
    balance    bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'wallet' OR (user_id IS NOT NULL AND balance >= 0)),
    CHECK (kind = 'wallet' OR user_id IS NULL)
);
CREATE UNIQUE INDEX accounts_wallet ON accounts (user_id) WHERE kind = 'wallet';
CREATE UNIQUE INDEX accounts_system ON accounts (kind) WHERE kind <> 'wallet';
INSERT INTO accounts (kind) VALUES ('provider_clearing'), ('revenue'), ('refunds');

CREATE TABLE transactions (
    id              uuid PRIMARY KEY,
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    type            text NOT NULL CHECK (type IN ('top_up', 'withdraw', 'refund')),
    user_id         text NOT NULL,
    amount          bigint NOT NULL CHECK (amount > 0),
    order_id        text,
    premiere_id     bigint,
    payment_id      uuid,
    idempotency_key text NOT NULL UNIQUE,
    request_hash    text NOT NULL,
    response        jsonb NOT NULL,
    balance_after   bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transactions_user ON transactions (user_id, seq DESC);
CREATE INDEX transactions_order ON transactions (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id uuid NOT NULL REFERENCES transactions (id),
    account_id     bigint NOT NULL REFERENCES accounts (id),
    amount         bigint NOT NULL CHECK (amount <> 0),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entries_account ON entries (account_id);
CREATE INDEX entries_transaction ON entries (transaction_id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total bigint;
BEGIN
    SELECT sum(amount) INTO total FROM entries WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (%)', NEW.transaction_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER entries_balanced AFTER INSERT ON entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_balanced();

-- Top-ups through the payment provider.
CREATE TABLE payments (
    id          uuid PRIMARY KEY,
    user_id     text NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0 AND amount <= 100000000),
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'awaiting_confirmation', 'succeeded', 'declined')),
    return_url  text NOT NULL,
    form_token  text NOT NULL,
    decline_reason text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_user ON payments (user_id, created_at DESC);

-- Webhooks the provider has processed (a replay credits nothing twice).
CREATE TABLE provider_events (
    event_id    text PRIMARY KEY,
    payment_id  uuid NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
