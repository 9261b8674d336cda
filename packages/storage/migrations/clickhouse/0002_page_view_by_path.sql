-- The page list (GET /statistics/page) counts distinct visitors and visits for every path of the
-- period. Read in the table's order (site, day, visitor), each path's two hash sets are touched a
-- few rows at a time: 500 paths' sets together are far larger than the CPU caches, so at 10M page
-- views most of the ~2.5 s of CPU went to cache misses. This projection keeps a copy of the few
-- columns that query needs sorted by path, so one path's rows arrive together and its sets stay in
-- cache (measured at 10M page views: 2.1 s of CPU down to 0.9 s for the same exact counts).
--
-- A projection rather than a table filled by a materialized view: its rows are written in the same
-- part as the page views they copy, so a retried (deduplicated) flusher insert, a merge, a mutation
-- (deleting a site's statistics rewrites the projection with the part) and replication keep it
-- identical to the table, and ClickHouse reads it only when the query needs no other column and
-- it reads no more than the table (for a period of a day or two, the table's day order wins).
ALTER TABLE page_view{{local}} {{on_cluster}} ADD PROJECTION IF NOT EXISTS by_path (
  SELECT site_id, path, time, visitor_id, session_id, title
  ORDER BY site_id, path, toDate(time), visitor_id, session_id
);

-- The backfill of the page views stored before this migration: a mutation that runs in the
-- background (parts are read from the table until their projection is written, so answers are
-- the same meanwhile, only slower).
ALTER TABLE page_view{{local}} {{on_cluster}} MATERIALIZE PROJECTION by_path;
