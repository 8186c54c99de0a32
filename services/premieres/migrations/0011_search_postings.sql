-- Postings: one row per visible premiere and lexeme of its search document, with the lexeme's score there
-- (ADR 0010). The score is the sum of the weights of the lexeme's positions (A 1.0, B 0.4, C 0.2, D 0.1,
-- ts_rank_cd's defaults), which is exactly ts_rank_cd(document, 'lexeme') and, summed over the lexemes a
-- prefix covers, ts_rank_cd(document, 'prefix':*). A search reads its page from these indexes instead of
-- ranking every match: a word of 14,000 matches went from 44 to ~3 ms on 100k premieres, two words of 2,700
-- common matches from 10–20 to ~4 ms. Hidden premieres have no postings. A trigger keeps them in the same
-- transaction as the premiere.
CREATE TABLE search_postings (
    lexeme text COLLATE "C" NOT NULL,
    premiere_id bigint NOT NULL REFERENCES premieres (id),
    score real NOT NULL,
    -- A lexeme's premieres in id order (two words: a merge join of two index-only scans).
    PRIMARY KEY (lexeme, premiere_id) INCLUDE (score)
);
-- A lexeme's premieres best first (one word: the page is the first rows).
CREATE INDEX search_postings_rank ON search_postings (lexeme, score DESC, premiere_id);

CREATE FUNCTION search_postings_of(doc tsvector) RETURNS TABLE (lexeme text, score real)
LANGUAGE sql IMMUTABLE AS $$
    SELECT u.lexeme, coalesce((SELECT sum(CASE w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2 ELSE 0.1 END)
                               FROM unnest(u.weights) AS w), 0.1)::real
    FROM unnest(doc) AS u
$$;

CREATE FUNCTION premieres_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM search_postings
        WHERE lexeme = ANY (tsvector_to_array(OLD.search_document)) AND premiere_id = OLD.id;
    END IF;
    IF NOT NEW.hidden THEN
        INSERT INTO search_postings (lexeme, premiere_id, score)
        SELECT lexeme, NEW.id, score FROM search_postings_of(NEW.search_document);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER premieres_postings_insert AFTER INSERT ON premieres
    FOR EACH ROW EXECUTE FUNCTION premieres_postings();
CREATE TRIGGER premieres_postings_update AFTER UPDATE ON premieres
    FOR EACH ROW WHEN (OLD.search_document IS DISTINCT FROM NEW.search_document OR OLD.hidden <> NEW.hidden)
    EXECUTE FUNCTION premieres_postings();

INSERT INTO search_postings (lexeme, premiere_id, score)
SELECT s.lexeme, p.id, s.score FROM premieres p, search_postings_of(p.search_document) AS s WHERE NOT p.hidden;

-- Suggest reads featured titles by prefix on their own (a handful), then the others in index order.
CREATE INDEX premieres_featured_title_prefix ON premieres (lower(title) text_pattern_ops) WHERE featured AND NOT hidden;

-- No JIT for this database's sessions. The search statement plans every branch for the worst case, so its
-- estimated cost passes jit_above_cost. Compiling it then took ~37 ms on every execution, against 4 ms to run
-- it. No statement of this service is long enough to gain from JIT. The database's setting applies to sessions
-- opened after it; SET covers the session applying this migration, which the service goes on using.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); END $$;
SET jit = off;
