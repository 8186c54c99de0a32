-- A premiere's cast_names (kept for search) recomputed once per statement that changes its cast, and only when it
-- differs (ADR 0023). Per row, a premiere of n actors was rewritten n times — its search document and postings each
-- time — and a new premiere, whose insert already carries its cast_names, once more for nothing: a catalog import
-- spent most of its time there.
DROP TRIGGER premiere_cast_changed ON premiere_cast;
CREATE OR REPLACE FUNCTION premiere_cast_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE premieres p SET cast_names = c.names
    FROM (SELECT ids.pid, COALESCE((SELECT string_agg(actor, ', ' ORDER BY position) FROM premiere_cast
                                    WHERE premiere_id = ids.pid), '') AS names
          FROM (SELECT DISTINCT premiere_id AS pid FROM changed_rows) ids) c
    WHERE p.id = c.pid AND p.cast_names IS DISTINCT FROM c.names;
    RETURN NULL;
END $$;
CREATE TRIGGER premiere_cast_names_inserted AFTER INSERT ON premiere_cast REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION premiere_cast_changed();
CREATE TRIGGER premiere_cast_names_updated AFTER UPDATE ON premiere_cast REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION premiere_cast_changed();
CREATE TRIGGER premiere_cast_names_deleted AFTER DELETE ON premiere_cast REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION premiere_cast_changed();
