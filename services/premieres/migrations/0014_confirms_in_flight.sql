-- How many confirmations of a pending order are in flight: one more before a confirmation sends its debit, one
-- fewer when billing answers «insufficient funds». When none is left, confirm_started_at goes back to NULL: the
-- order is no longer being confirmed, so it expires as one never confirmed and the recovery loop leaves it
-- alone. confirm_started_at is the latest mark, the token with which the recovery loop takes back the marks of
-- confirmations lost in a crash (docs/architecture.md §3).
ALTER TABLE orders ADD COLUMN confirms_in_flight int NOT NULL DEFAULT 0 CHECK (confirms_in_flight >= 0);
UPDATE orders SET confirms_in_flight = 1 WHERE status = 'pending_payment' AND confirm_started_at IS NOT NULL;
