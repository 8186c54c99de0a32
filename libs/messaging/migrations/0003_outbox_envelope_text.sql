-- The relay sends the envelope as it was written: kept as text, it is neither parsed on insert nor printed
-- again on every publish (jsonb in and out was most of the relay's per-row cost). Read it with ::jsonb.
ALTER TABLE outbox ALTER COLUMN envelope TYPE text USING envelope::text;
