-- Personal data (152-ФЗ, ADR 0021). The consent a customer gives at registration, with its time (accounts made
-- before the store asked have none); and an account's deletion: its row stays as the id that the orders and the
-- ledger name, with no email, name or phone left in it (the address becomes deleted-<id>@deleted.invalid so that
-- the unique index and its check still hold), and it can no longer sign in.
ALTER TABLE users ADD COLUMN consented_at timestamptz;
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
