-- Replicas of the premieres service follow catalog_version through LISTEN catalog_changed, so that a cached
-- answer needs no query to know it is current. The notification goes out when the changing transaction
-- commits; its payload is the new version.
CREATE OR REPLACE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    UPDATE catalog_version SET version = version + 1 RETURNING version INTO v;
    PERFORM pg_notify('catalog_changed', v::text);
    RETURN NULL;
END $$;
