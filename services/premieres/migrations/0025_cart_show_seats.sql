-- A seat at a live show can wait in the cart (ADR 0027): the line names the show, and its window starts with it.
-- Nothing is held by the cart: the seat is taken when the order is paid, under the show's row lock, as for
-- POST /rent/.
ALTER TABLE cart_items ADD COLUMN show_id bigint REFERENCES live_shows (id);
