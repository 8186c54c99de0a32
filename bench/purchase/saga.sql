-- One purchase (POST /api/v1/rent/) as the store's databases see it: every statement premieres and billing
-- issue for it, in order, with the same transactions (a statement outside BEGIN … COMMIT is its own commit:
-- three of them write). bench/purchase/run runs this file with pgbench -M prepared against one database holding
-- copies of the services' schemas (bench/purchase/saga.py); bench/purchase/statements checks it against what
-- the services issued, counted by pg_stat_statements. Each statement is the service's text with its $n replaced
-- by a variable; the ids come from \gset after the premiere's statement, the other values from -D.

-- The client's customer: each pgbench client is one of the pass's customers (their user ids are consecutive), as
-- each load generator connection is one. The gateway answers a known session from memory (ADR 0013): no
-- statement of its own per purchase.
\set user_id :user_base + :client_id
-- The Idempotency-Key: a new one per purchase, increasing like the load generator's (time-ordered UUIDs), as
-- digits (pgbench makes numbers, not strings).
\set rent_key :rent_key + 1

-- premieres (services/premieres/src/ordering/store.cpp, order_by_key): is the key new? autocommit.
SELECT id::text AS id, request_hash FROM orders WHERE user_id = :user_id AND idempotency_key = :rent_key;

-- premieres (src/catalog/store.cpp, premiere_any_by_id): the premiere, to check and price the line; autocommit.
-- Between «bench ids» and «end bench ids», columns the store does not select: the ids the services make in C++
-- (uuid_v7(): the order's, billing's transaction's and the event's), made here without a round trip of their
-- own, time-ordered like the store's (the milliseconds since 1970, then random digits) so that each index takes
-- them as it takes the store's. Billing's key is the order's id in the store and another such UUID here.
SELECT p.id, p.title, p.description_short, p.price_theatre, p.price_online, p.discount_percent,
  rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from,
  rfc3339(p.reservable_until) AS res_until,
  (SELECT coalesce(json_agg(c.actor ORDER BY c.position), '[]') FROM premiere_cast c WHERE c.premiere_id = p.id)::text
    AS actors,
  (SELECT coalesce(json_agg(json_build_object('hours', pp.hours, 'factor', pp.price_factor::text) ORDER BY pp.hours),
    '[]') FROM premiere_periods pp WHERE pp.premiere_id = p.id)::text AS periods,
  p.hidden, p.description_full, p.theatre, p.director, p.genre, p.age_rating, p.duration_minutes,
  rfc3339(p.live_at) AS live_at, p.capacity,
  (SELECT coalesce(json_agg(json_build_object('actor', c.actor, 'role', c.role) ORDER BY c.position), '[]')
    FROM premiere_cast c WHERE c.premiere_id = p.id)::text AS cast,
  -- bench ids
  (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
    || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid::text AS order_id,
  'order:' || (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
    || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid AS billing_key,
  (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
    || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid::text AS tx_id,
  (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
    || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid::text AS event_id
  -- end bench ids
  FROM premieres p WHERE p.id = :premiere
\gset

-- premieres (order_insert): the order, its line and its first event in one statement; autocommit: commit 1.
WITH o AS (INSERT INTO orders (id, user_id, status, total, idempotency_key, request_hash, confirm_started_at,
  confirms_in_flight) VALUES (:order_id::uuid, :user_id, 'pending_payment', :total, :rent_key, :order_hash,
  CASE WHEN :confirming::bool THEN clock_timestamp() END, CASE WHEN :confirming::bool THEN 1 ELSE 0 END) RETURNING id),
lines AS (INSERT INTO order_items (order_id, position, premiere_id, title, period, starts_at, ends_at, price,
  starts_on_payment, discount, show_id)
  SELECT o.id, t.ord - 1, t.premiere_id, t.title, t.period, t.starts_at, t.ends_at, t.price,
  t.starts_on_payment, t.discount, t.show_id FROM o,
  ROWS FROM (jsonb_to_recordset(:lines::jsonb) AS (premiere_id bigint, title text, period int,
  starts_at timestamptz, ends_at timestamptz, price bigint, starts_on_payment bool, discount bigint,
  show_id bigint))
  WITH ORDINALITY AS t(premiere_id, title, period, starts_at, ends_at, price, starts_on_payment, discount,
  show_id, ord))
INSERT INTO rental_events (rental_id, order_id, type, payload) SELECT NULL, o.id, 'order_created', :created::jsonb FROM
o;

-- billing (services/billing/src/ledger.cpp, transaction_by_key): the debit's key replayed? autocommit.
SELECT request_hash, response::text AS response FROM transactions WHERE idempotency_key = :billing_key;

-- billing (withdraw): the wallet debited, the transaction with its stored answer and both legs; autocommit:
-- commit 2.
WITH debit AS (UPDATE accounts SET balance = balance - :total WHERE kind = 'wallet' AND user_id = :user_id
  AND balance >= :total RETURNING id, balance),
made AS (INSERT INTO transactions (id, type, user_id, amount, order_id, premiere_id, idempotency_key,
  request_hash, response, balance_after)
  SELECT :tx_id::uuid, 'withdraw', :user_id, :total, :order_id, :premiere, :billing_key, :debit_hash,
  jsonb_build_object('status', 'paid', 'balance', balance, 'transaction_id', :tx_id::uuid::text), balance
  FROM debit RETURNING id),
legs AS (INSERT INTO entries (transaction_id, account_id, amount)
  SELECT made.id, debit.id, -:total::bigint FROM made, debit
  UNION ALL SELECT made.id, (SELECT id FROM accounts WHERE kind = 'revenue'), :total::bigint FROM made)
SELECT balance FROM debit;

-- premieres (src/ordering/orders.cpp, finish_paid): one transaction, commit 3. No live show in the order: no
-- seat lock or count before the payment.
BEGIN;

-- premieres (order_mark_paid): the order paid, its rental and event, the cart emptied of the premiere, and a
-- theatre voucher when the premiere's theatre set its terms (ADR 0028; the bench's premiere has none, as most).
WITH paid AS (UPDATE orders SET status = 'paid', paid_at = now(), updated_at = now()
  WHERE id = :order_id::uuid AND status = 'pending_payment' RETURNING id, user_id, status, total, created_at),
windows AS (SELECT i.*, CASE WHEN i.starts_on_payment THEN :now::timestamptz ELSE i.starts_at END AS opens,
  CASE WHEN i.starts_on_payment THEN :now::timestamptz + make_interval(hours => i.period) ELSE i.ends_at END
  AS closes FROM order_items i JOIN paid p ON p.id = i.order_id),
moved AS (UPDATE order_items i SET starts_at = w.opens, ends_at = w.closes FROM windows w
  WHERE i.order_id = w.order_id AND i.position = w.position AND w.starts_on_payment),
made AS (INSERT INTO rentals (user_id, premiere_id, order_id, period, starts_at, ends_at, amount,
start_reminded_at, show_id)
  SELECT p.user_id, w.premiere_id, w.order_id, w.period, w.opens, w.closes, w.price,
  CASE WHEN w.opens <= :now::timestamptz THEN now() END, w.show_id
  FROM windows w JOIN paid p ON p.id = w.order_id
  RETURNING id, premiere_id, amount, start_reminded_at IS NOT NULL AS open),
events AS (INSERT INTO rental_events (rental_id, order_id, type, payload)
  SELECT id, :order_id::uuid, 'rental_purchased', '{}' FROM made),
cart AS (DELETE FROM cart_items WHERE user_id = :user_id AND premiere_id IN (SELECT premiere_id FROM made)),
issued AS (INSERT INTO vouchers (code, rental_id, premiere_id, user_id, amount, valid_until)
  SELECT upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12) ||
  substr(replace(gen_random_uuid()::text, '-', ''), 21, 4)), m.id, m.premiere_id, :user_id, m.amount, v.valid_until
  FROM made m JOIN premiere_vouchers v ON v.premiere_id = m.premiere_id AND v.valid_until > now()
  RETURNING rental_id, code, rfc3339(valid_until) AS valid_until)
SELECT p.id::text AS id, p.status, p.total, rfc3339(p.created_at) AS created_at, m.id AS rental_id, m.open,
w.premiere_id, w.title, w.period, rfc3339(w.opens) AS starts_at, rfc3339(w.closes) AS ends_at, w.price,
w.starts_on_payment, w.show_id, iv.code AS voucher_code, iv.valid_until AS voucher_until
FROM paid p JOIN windows w ON w.order_id = p.id JOIN made m ON m.premiere_id = w.premiere_id
LEFT JOIN issued iv ON iv.rental_id = m.id ORDER BY w.position;

-- premieres (libs/messaging/src/events.cpp, outbox_enqueue): the confirmation email's event.
INSERT INTO outbox (id, subject, type, envelope) VALUES (:event_id::uuid, :subject, :event_type, :envelope);

COMMIT;
