-- Whether a page view is the first of its path in its visit, written by the sessionizer (which
-- keeps the paths of each live visit): 1 the first, 0 a later view of a path the visit already
-- viewed, 2 not known (rows stored before this migration, hits the sessionizer could not place).
-- The page list counted the visits of each path as a set of (visitor, visit) keys, a third of its
-- time at 10M page views; with the flag they are a count of ones, corrected for the few visits that
-- cross the period's edges (packages/stats, pages.stats.ts). A period holding any 2 is counted with
-- sets as before, so the answer is exact either way.
--
-- Rows stored before keep 2 (the column's default costs no rewrite); they leave the periods a
-- dashboard opens as they age.
ALTER TABLE page_view{{local}} {{on_cluster}} ADD COLUMN IF NOT EXISTS first_in_visit UInt8 DEFAULT 2 AFTER title;
ALTER TABLE page_view {{on_cluster}} ADD COLUMN IF NOT EXISTS first_in_visit UInt8 DEFAULT 2 AFTER title;

-- The page list reads its columns from the by-path copy (0002), which must hold the flag too. A
-- projection's columns cannot change, so a second one replaces it: written for new parts at once,
-- for stored parts by the MATERIALIZE mutation in the background (until then those parts are read
-- from the table, with the same answers).
ALTER TABLE page_view{{local}} {{on_cluster}} ADD PROJECTION IF NOT EXISTS pages_by_path (
  SELECT site_id, path, time, visitor_id, session_id, title, first_in_visit
  ORDER BY site_id, path, toDate(time), visitor_id, session_id
);
ALTER TABLE page_view{{local}} {{on_cluster}} MATERIALIZE PROJECTION pages_by_path;
ALTER TABLE page_view{{local}} {{on_cluster}} DROP PROJECTION IF EXISTS by_path;
