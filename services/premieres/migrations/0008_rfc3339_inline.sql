-- rfc3339() was declared IMMUTABLE around to_char(), which is only STABLE: PostgreSQL then runs it as a
-- function call each time (about 11 per purchase) instead of inlining its expression into the query.
-- Declared STABLE, as its body is, it is inlined.
ALTER FUNCTION rfc3339(timestamptz) STABLE;
