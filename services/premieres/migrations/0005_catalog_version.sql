-- The premieres service caches search answers. Every catalog change bumps this one number in the same
-- transaction, and a cached answer is served only while the number it was computed at is still current:
-- the next search after a change sees the change.
CREATE TABLE catalog_version (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    version bigint NOT NULL
);
INSERT INTO catalog_version VALUES (true, 1);

CREATE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER premieres_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON premieres
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_periods_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON premiere_periods
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_cast_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON premiere_cast
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
