-- Who added and who cancelled a live show (an admin or the theatre's own staff, ADR 0027): a cancel refunds every
-- buyer, so the store keeps who decided it. NULL for shows the premiere's own live_at made and for older rows.
ALTER TABLE live_shows ADD COLUMN created_by text, ADD COLUMN cancelled_by text;
