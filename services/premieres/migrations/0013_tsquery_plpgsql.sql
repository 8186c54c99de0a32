-- premieres_tsquery as PL/pgSQL (ADR 0011): the same query, but its plan is kept for the session. As a SQL
-- function that cannot be inlined, its body was parsed and planned again on every call: 0.29 ms a call through
-- pgbench against 0.17 ms now, and every search the answer cache has not seen makes one.
CREATE OR REPLACE FUNCTION premieres_tsquery(q text) RETURNS tsquery LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT to_tsquery('russian', coalesce(string_agg(
                       CASE WHEN ord = last THEN quote_literal(w) || ':*' ELSE quote_literal(w) END, ' & ' ORDER BY ord), ''))
            FROM (SELECT w, ord, max(ord) OVER () AS last
                  FROM unnest(regexp_split_to_array(lower(left(q, 200)), '[^[:alnum:]]+')) WITH ORDINALITY AS t(w, ord)
                  WHERE w <> '') words);
END $$;
