-- "Did you mean" corrects words, not numbers: a number typed is kept as typed (2024 is never "corrected" to
-- 2025), so numbers are no longer kept in search_words. A catalog whose titles carry numbers (100k synthetic
-- premieres: one each) had 100k of them there, and every typo's nearest-word lookup went through them
-- (~12 ms; ~1 ms without).
CREATE OR REPLACE FUNCTION premieres_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('russian', NEW.title), 'A') ||
        setweight(to_tsvector('russian', NEW.cast_names), 'B') ||
        setweight(to_tsvector('russian', NEW.theatre || ' ' || NEW.director), 'C') ||
        setweight(to_tsvector('russian', NEW.description_short || ' ' || NEW.description_full), 'D');
    INSERT INTO search_words (word)
    SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.title || ' ' || NEW.cast_names || ' ' || NEW.theatre
                                                        || ' ' || NEW.director), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 3 AND w !~ '^[0-9]+$'
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;
DELETE FROM search_words WHERE word ~ '^[0-9]+$';
