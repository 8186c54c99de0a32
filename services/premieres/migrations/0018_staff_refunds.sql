-- Refunds by the store's staff (issue 21, ADR 0022): a `staff_refund` event on the order (or one of its rentals) moves
-- money, so «Мои заказы» finds it by the same partial index, rebuilt to include it. `order_items.discount`: what the
-- discount took off each line at purchase (the sales report's «Скидки»; lines bought before it have 0).
DROP INDEX rental_events_order_money;
CREATE INDEX rental_events_order_money ON rental_events (order_id, id)
    WHERE type IN ('rental_changed', 'rental_cancelled', 'order_cancelled_sold_out', 'staff_refund');
CREATE INDEX rental_events_staff_refund_key ON rental_events ((payload ->> 'key')) WHERE type = 'staff_refund';
ALTER TABLE order_items ADD COLUMN discount bigint NOT NULL DEFAULT 0 CHECK (discount >= 0);
