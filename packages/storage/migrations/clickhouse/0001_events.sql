-- Every statistics table is ordered by site first so a query for one site reads one range,
-- partitioned by month so retention and per-period deletes drop whole parts, and sampled by
-- visitor_id (a keyed hash, uniform over UInt64) so large sites can be queried approximately.
-- non_replicated_deduplication_window lets the flusher retry an insert with the same
-- insert_deduplication_token without double counting (replicated engines dedupe by default).

CREATE TABLE IF NOT EXISTS page_view {{on_cluster}} (
  site_id            UInt64,
  visitor_id         UInt64,
  session_id         UInt32,
  time               DateTime64(3, 'UTC'),
  -- seconds spent on the previous page of the session, known only when this page arrives
  duration_seconds   UInt32,
  hostname           LowCardinality(String),
  path               String,
  title              String,
  language           LowCardinality(String),
  country_code       LowCardinality(String),
  region             LowCardinality(String),
  city               String,
  referrer           String,
  referrer_name      LowCardinality(String),
  channel            LowCardinality(String),
  os                 LowCardinality(String),
  os_version         LowCardinality(String),
  browser            LowCardinality(String),
  browser_version    LowCardinality(String),
  platform           LowCardinality(String),
  screen_class       LowCardinality(String),
  utm_source         String,
  utm_medium         String,
  utm_campaign       String,
  utm_content        String,
  utm_term           String,
  tag_keys           Array(LowCardinality(String)),
  tag_values         Array(String)
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (site_id, toDate(time), visitor_id, session_id, time)
SAMPLE BY visitor_id
SETTINGS non_replicated_deduplication_window = 10000;

-- One logical row per session, written as cancel(-1)/state(+1) pairs with a rising version.
-- The sorting key holds only what never changes within a session, so pairs collapse.
CREATE TABLE IF NOT EXISTS session {{on_cluster}} (
  sign               Int8,
  version            UInt32,
  site_id            UInt64,
  visitor_id         UInt64,
  session_id         UInt32,
  start              DateTime64(3, 'UTC'),
  time               DateTime64(3, 'UTC'),
  duration_seconds   UInt32,
  hostname           LowCardinality(String),
  entry_path         String,
  exit_path          String,
  entry_title        String,
  exit_title         String,
  page_views         UInt16,
  events             UInt16,
  is_bounce          UInt8,
  language           LowCardinality(String),
  country_code       LowCardinality(String),
  region             LowCardinality(String),
  city               String,
  referrer           String,
  referrer_name      LowCardinality(String),
  channel            LowCardinality(String),
  os                 LowCardinality(String),
  os_version         LowCardinality(String),
  browser            LowCardinality(String),
  browser_version    LowCardinality(String),
  platform           LowCardinality(String),
  screen_class       LowCardinality(String),
  utm_source         String,
  utm_medium         String,
  utm_campaign       String,
  utm_content        String,
  utm_term           String
)
ENGINE = {{replicated}}VersionedCollapsingMergeTree(sign, version)
PARTITION BY toYYYYMM(start)
ORDER BY (site_id, toDate(start), visitor_id, session_id)
SAMPLE BY visitor_id
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS event {{on_cluster}} (
  site_id            UInt64,
  visitor_id         UInt64,
  session_id         UInt32,
  time               DateTime64(3, 'UTC'),
  event_name         String,
  event_meta_keys    Array(String),
  event_meta_values  Array(String),
  duration_seconds   UInt32,
  non_interactive    UInt8,
  hostname           LowCardinality(String),
  path               String,
  title              String,
  language           LowCardinality(String),
  country_code       LowCardinality(String),
  region             LowCardinality(String),
  city               String,
  referrer           String,
  referrer_name      LowCardinality(String),
  channel            LowCardinality(String),
  os                 LowCardinality(String),
  os_version         LowCardinality(String),
  browser            LowCardinality(String),
  browser_version    LowCardinality(String),
  platform           LowCardinality(String),
  screen_class       LowCardinality(String),
  utm_source         String,
  utm_medium         String,
  utm_campaign       String,
  utm_content        String,
  utm_term           String
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (site_id, toDate(time), event_name, visitor_id, session_id, time)
SAMPLE BY visitor_id
SETTINGS non_replicated_deduplication_window = 10000;

-- Requests that were not counted (bots, filters, spam), kept 30 days for debugging and the
-- "blocked traffic" view. The IP address is never stored.
CREATE TABLE IF NOT EXISTS request {{on_cluster}} (
  site_id     UInt64,
  time        DateTime64(3, 'UTC'),
  reason      LowCardinality(String),
  hostname    LowCardinality(String),
  path        String,
  user_agent  String,
  referrer    String
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (site_id, toDate(time), reason, time)
TTL toDateTime(time) + INTERVAL 30 DAY
SETTINGS non_replicated_deduplication_window = 10000;
