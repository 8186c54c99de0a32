-- The relay claims the oldest unpublished rows first: an index in that order, over pending rows only, so a
-- backlog of N rows costs each batch its own rows instead of a sort of all N.
CREATE INDEX outbox_pending_by_age ON outbox (created_at) WHERE published_at IS NULL;
DROP INDEX outbox_pending;
