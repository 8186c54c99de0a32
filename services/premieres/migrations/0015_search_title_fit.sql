-- A posting's score gains the lexeme's share of the title (ADR 0016): the sum of the weights of its positions
-- (as before: exactly ts_rank_cd of the lexeme alone) plus 0.01 × its positions in the title / all the title's
-- positions. Among premieres that match a word equally, the one whose title is more nearly that word ranks first:
-- «Гамлет» (the title is the word) before «Гамлет-машина» (the word is one of three positions: the hyphenated
-- whole and its two parts). The bonus is at most 0.01 per term, below every difference of weights (0.1), so it
-- only breaks ties. The index and the search statement both read these scores.
CREATE OR REPLACE FUNCTION search_postings_of(doc tsvector) RETURNS TABLE (lexeme text, score real)
LANGUAGE sql IMMUTABLE AS $$
    SELECT u.lexeme,
           (coalesce((SELECT sum(CASE w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2 ELSE 0.1 END)
                      FROM unnest(u.weights) AS w), 0.1)
            + coalesce(0.01 * (SELECT count(*) FROM unnest(u.weights) AS w WHERE w = 'A')
                       / nullif(title.positions, 0), 0))::real
    FROM unnest(doc) AS u,
         (SELECT count(*) AS positions FROM unnest(doc) AS v, unnest(v.weights) AS w WHERE w = 'A') AS title
$$;

TRUNCATE search_postings;
INSERT INTO search_postings (lexeme, premiere_id, score)
SELECT s.lexeme, p.id, s.score FROM premieres p, search_postings_of(p.search_document) AS s WHERE NOT p.hidden;
