-- «Мои заказы» (issue 21, ADR 0019): the events that moved an order's money after its payment, found by order. Only
-- those rows are indexed (a purchase writes none of them), so the purchase path pays nothing for it.
CREATE INDEX rental_events_order_money ON rental_events (order_id, id)
    WHERE type IN ('rental_changed', 'rental_cancelled', 'order_cancelled_sold_out');
