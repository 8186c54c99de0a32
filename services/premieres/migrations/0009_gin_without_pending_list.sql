-- The catalog's GIN indexes without a pending list (fastupdate off). With it, new rows wait in an unsorted
-- list that every search scans in full until VACUUM merges it: after a bulk load of 100k premieres, 361 pages
-- (~3 ms of every search, a miss or a typo's second look). The catalog is written rarely and searched all
-- the time, so each write pays for its own index update instead.
ALTER INDEX premieres_search SET (fastupdate = off);
ALTER INDEX premieres_title_trgm SET (fastupdate = off);
SELECT gin_clean_pending_list('premieres_search');
SELECT gin_clean_pending_list('premieres_title_trgm');
