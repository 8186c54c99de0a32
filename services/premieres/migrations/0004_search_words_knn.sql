-- "Did you mean": the nearest word by trigram distance. A GiST index answers ORDER BY word <-> w LIMIT 1
-- straight from the index (KNN); the GIN index made it collect and sort every similar word.
CREATE INDEX search_words_trgm_knn ON search_words USING gist (word gist_trgm_ops);
DROP INDEX search_words_trgm;
