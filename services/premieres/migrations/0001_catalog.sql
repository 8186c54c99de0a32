-- The catalog: premieres with their cast, rental periods and an append-only history of every change.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE premieres (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,100}$'),
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    theatre            text NOT NULL CHECK (length(theatre) BETWEEN 1 AND 200),
    director           text NOT NULL CHECK (length(director) BETWEEN 1 AND 200),
    genre              text NOT NULL DEFAULT '',
    age_rating         text NOT NULL DEFAULT '16+' CHECK (age_rating IN ('0+', '6+', '12+', '16+', '18+')),
    duration_minutes   int NOT NULL CHECK (duration_minutes > 0),
    description_short  text NOT NULL,
    description_full   text NOT NULL,
    price_theatre      bigint NOT NULL CHECK (price_theatre >= 0),
    price_online       bigint NOT NULL CHECK (price_online >= 0),
    discount_percent   int NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
    discount_until     timestamptz,
    base_period_hours  int NOT NULL DEFAULT 24 CHECK (base_period_hours > 0),
    reservable_from    timestamptz NOT NULL,
    reservable_until   timestamptz NOT NULL,
    live_at            timestamptz,
    capacity           int CHECK (capacity > 0),
    featured           boolean NOT NULL DEFAULT false,
    hidden             boolean NOT NULL DEFAULT false,
    cast_names         text NOT NULL DEFAULT '',  -- the actors, kept by a trigger for search
    search_document    tsvector NOT NULL DEFAULT ''::tsvector,
    version            int NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (reservable_until > reservable_from)
);

CREATE TABLE premiere_periods (
    premiere_id  bigint NOT NULL REFERENCES premieres (id) ON DELETE CASCADE,
    hours        int NOT NULL CHECK (hours > 0 AND hours <= 720),
    price_factor numeric(6, 3) NOT NULL CHECK (price_factor > 0),
    PRIMARY KEY (premiere_id, hours)
);

CREATE TABLE premiere_cast (
    premiere_id bigint NOT NULL REFERENCES premieres (id) ON DELETE CASCADE,
    position    int NOT NULL,
    actor       text NOT NULL,
    role        text NOT NULL DEFAULT '',
    PRIMARY KEY (premiere_id, position)
);

-- Append-only history (the spec's "history of premieres", ADR 0003).
CREATE TABLE premiere_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    premiere_id bigint NOT NULL,
    type        text NOT NULL,
    payload     jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX premiere_events_by_premiere ON premiere_events (premiere_id, id);

CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER premiere_events_append_only BEFORE UPDATE OR DELETE ON premiere_events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Words of titles, actors and theatres, for "did you mean" and typo correction (trigram index).
CREATE TABLE search_words (word text PRIMARY KEY);
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);

CREATE FUNCTION premieres_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('russian', NEW.title), 'A') ||
        setweight(to_tsvector('russian', NEW.cast_names), 'B') ||
        setweight(to_tsvector('russian', NEW.theatre || ' ' || NEW.director), 'C') ||
        setweight(to_tsvector('russian', NEW.description_short || ' ' || NEW.description_full), 'D');
    INSERT INTO search_words (word)
    SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.title || ' ' || NEW.cast_names || ' ' || NEW.theatre
                                                        || ' ' || NEW.director), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 3
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;
CREATE TRIGGER premieres_document BEFORE INSERT OR UPDATE ON premieres
    FOR EACH ROW EXECUTE FUNCTION premieres_document();

CREATE FUNCTION premiere_cast_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE pid bigint := COALESCE(NEW.premiere_id, OLD.premiere_id);
BEGIN
    UPDATE premieres SET cast_names = COALESCE((SELECT string_agg(actor, ', ' ORDER BY position)
                                                FROM premiere_cast WHERE premiere_id = pid), '')
    WHERE id = pid;
    RETURN NULL;
END $$;
CREATE TRIGGER premiere_cast_changed AFTER INSERT OR UPDATE OR DELETE ON premiere_cast
    FOR EACH ROW EXECUTE FUNCTION premiere_cast_changed();

CREATE FUNCTION premieres_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO premiere_events (premiere_id, type, payload)
        VALUES (NEW.id, 'created', jsonb_build_object('title', NEW.title, 'price_online', NEW.price_online,
                'price_theatre', NEW.price_theatre, 'discount_percent', NEW.discount_percent));
    ELSIF (OLD.title, OLD.theatre, OLD.director, OLD.description_short, OLD.description_full, OLD.price_theatre,
           OLD.price_online, OLD.discount_percent, OLD.discount_until, OLD.hidden, OLD.reservable_from,
           OLD.reservable_until, OLD.base_period_hours, OLD.capacity, OLD.live_at)
          IS DISTINCT FROM
          (NEW.title, NEW.theatre, NEW.director, NEW.description_short, NEW.description_full, NEW.price_theatre,
           NEW.price_online, NEW.discount_percent, NEW.discount_until, NEW.hidden, NEW.reservable_from,
           NEW.reservable_until, NEW.base_period_hours, NEW.capacity, NEW.live_at) THEN
        INSERT INTO premiere_events (premiere_id, type, payload)
        VALUES (NEW.id, CASE WHEN (OLD.price_online, OLD.price_theatre, OLD.discount_percent, OLD.discount_until)
                                  IS DISTINCT FROM
                                  (NEW.price_online, NEW.price_theatre, NEW.discount_percent, NEW.discount_until)
                             THEN 'price_changed' ELSE 'updated' END,
                jsonb_build_object('old', to_jsonb(OLD) - 'search_document' - 'cast_names',
                                   'new', to_jsonb(NEW) - 'search_document' - 'cast_names'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER premieres_history AFTER INSERT OR UPDATE ON premieres
    FOR EACH ROW EXECUTE FUNCTION premieres_history();

CREATE INDEX premieres_search ON premieres USING gin (search_document);
CREATE INDEX premieres_title_prefix ON premieres (lower(title) text_pattern_ops) WHERE NOT hidden;
CREATE INDEX premieres_title_trgm ON premieres USING gin (lower(title) gin_trgm_ops);
CREATE INDEX premieres_featured ON premieres (featured, id) WHERE NOT hidden;

-- RFC 3339 UTC text for JSON.
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

-- A safe tsquery from any user text: words of letters and digits only, each quoted, the last one as a
-- prefix (search-as-you-type), all required. Never raises on input like '&|!():*<>\.
CREATE FUNCTION premieres_tsquery(q text) RETURNS tsquery LANGUAGE sql STABLE AS $$
    SELECT to_tsquery('russian', coalesce(string_agg(
               CASE WHEN ord = last THEN quote_literal(w) || ':*' ELSE quote_literal(w) END, ' & ' ORDER BY ord), ''))
    FROM (SELECT w, ord, max(ord) OVER () AS last
          FROM unnest(regexp_split_to_array(lower(left(q, 200)), '[^[:alnum:]]+')) WITH ORDINALITY AS t(w, ord)
          WHERE w <> '') words
$$;
