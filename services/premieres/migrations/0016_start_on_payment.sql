-- «Начать сразу»: a line placed without a start opens its window when the order is paid, not when it was placed
-- (a customer who tops up through the acquirer first pays minutes later). Until then its starts_at/ends_at are the
-- placing time and that plus the period; the paying statement moves them to the payment's time.
ALTER TABLE order_items ADD COLUMN starts_on_payment boolean NOT NULL DEFAULT false;
