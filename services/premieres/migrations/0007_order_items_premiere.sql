-- A premiere appears at most once in an order (place_order already refuses a repeat): the rentals created
-- when the order is paid are matched back to their order lines by premiere.
CREATE UNIQUE INDEX order_items_premiere ON order_items (order_id, premiere_id);
