-- A visit's page views and events were UInt16: a page reloading itself every second (a kiosk, a
-- status board) for a day is 86,400 page views in one visit, and ClickHouse stores 86,400 in a
-- UInt16 as 20,864 without a word. The session table then said fewer views than the page_view table
-- held. UInt32 counts any visit the 24-hour cap allows.
--
-- A type change of columns outside the sorting key: the metadata changes at once, the parts are
-- rewritten by a mutation in the background (read with the new type meanwhile). When sharded, the
-- Distributed table's own definition changes too (the second statement; on one server or a
-- replicated cluster it names the same table again and changes nothing).
ALTER TABLE session{{local}} {{on_cluster}} MODIFY COLUMN page_views UInt32, MODIFY COLUMN events UInt32;
ALTER TABLE session {{on_cluster}} MODIFY COLUMN page_views UInt32, MODIFY COLUMN events UInt32;
