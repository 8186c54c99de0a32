-- Which premieres each catalog version changed (ADR 0011). Every premieres replica keeps a search index in
-- memory and follows the catalog by reloading only the premieres changed since the version it holds.
--
-- A version is taken under catalog_version's row lock, held until the changing transaction ends, so versions
-- commit in order: a snapshot that reads version V sees every change of a version <= V and none after it.
CREATE TABLE catalog_changes (
    version     bigint NOT NULL,
    premiere_id bigint NOT NULL  -- 0: every premiere (a TRUNCATE)
);
CREATE INDEX catalog_changes_by_version ON catalog_changes (version);

-- catalog_changes holds every change of a version > changes_since; older rows are pruned, and a replica whose
-- index is older than that loads the whole catalog again.
ALTER TABLE catalog_version ADD COLUMN changes_since bigint NOT NULL DEFAULT 0;
UPDATE catalog_version SET changes_since = version;

-- One function for every table a search card or document reads: premieres (its id), premiere_periods and
-- premiere_cast (their premiere_id), each statement's rows in its transition table "changed". A statement that
-- changed nothing takes no version. The last 10,000 versions' changes are kept.
CREATE OR REPLACE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    IF TG_OP <> 'TRUNCATE' THEN
        IF NOT EXISTS (SELECT 1 FROM changed) THEN  -- planned only where "changed" exists
            RETURN NULL;
        END IF;
    END IF;
    UPDATE catalog_version SET version = version + 1, changes_since = greatest(changes_since, version + 1 - 10000)
    RETURNING version INTO v;
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO catalog_changes VALUES (v, 0);
    ELSIF TG_TABLE_NAME = 'premieres' THEN
        INSERT INTO catalog_changes SELECT v, id FROM changed;
    ELSE
        INSERT INTO catalog_changes SELECT DISTINCT v, premiere_id FROM changed;
    END IF;
    DELETE FROM catalog_changes WHERE version <= v - 10000;
    PERFORM pg_notify('catalog_changed', v::text);
    RETURN NULL;
END $$;

-- Transition tables need a trigger per event.
DROP TRIGGER premieres_catalog_changed ON premieres;
DROP TRIGGER premiere_periods_catalog_changed ON premiere_periods;
DROP TRIGGER premiere_cast_catalog_changed ON premiere_cast;
CREATE TRIGGER premieres_catalog_inserted AFTER INSERT ON premieres
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premieres_catalog_updated AFTER UPDATE ON premieres
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premieres_catalog_deleted AFTER DELETE ON premieres
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premieres_catalog_truncated AFTER TRUNCATE ON premieres
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_periods_catalog_inserted AFTER INSERT ON premiere_periods
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_periods_catalog_updated AFTER UPDATE ON premiere_periods
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_periods_catalog_deleted AFTER DELETE ON premiere_periods
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_periods_catalog_truncated AFTER TRUNCATE ON premiere_periods
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_cast_catalog_inserted AFTER INSERT ON premiere_cast
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_cast_catalog_updated AFTER UPDATE ON premiere_cast
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_cast_catalog_deleted AFTER DELETE ON premiere_cast
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER premiere_cast_catalog_truncated AFTER TRUNCATE ON premiere_cast
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
