import type { ClickHouseClient } from '@clickhouse/client';

/**
 * Bulk data for bench:query, generated inside ClickHouse by INSERT … SELECT in the tables' own
 * shapes: visits of 1-4 page views 45 s apart (2.5 on average), four visits per visitor, one visit
 * in five with an interactive event, spread evenly over the last 30 days. Visitor properties
 * (country, browser, …) are fixed per visitor, sources per visit, 500 distinct paths (one in five
 * under /blog/, for the filtered overview). A page view is the first of its path in its visit
 * (first_in_visit, what the sessionizer writes) when no earlier page view of the visit had its path.
 */
/** The path of a visit's page view number `i` (0-based): 400 under /p/, 100 under /blog/. */
const pathOf = (i: string) =>
  `concat(if(intHash32(k * 4 + ${i}) % 500 % 5 = 0, '/blog/', '/p/'), toString(intHash32(k * 4 + ${i}) % 500))`;

const pick = (values: string[], seed: string) =>
  `[${values.map((v) => `'${v}'`).join(',')}][1 + ${seed} % ${values.length}]`;

const VISIT = `
  SELECT number AS k, k % {visitors:UInt64} AS vk, intHash64(vk) + 1 AS visitor, intHash32(k) AS sid, 1 + k % 4 AS pages,
    fromUnixTimestamp64Milli(toInt64({base:Int64} + k * {step:Float64}), 'UTC') AS start,
    k % 5 = 0 AS has_event,
    ${pick(['DE', 'US', 'GB', 'FR', 'NL', 'AT', 'CH', 'IN', 'BR', 'JP'], 'intHash32(vk)')} AS country,
    ${pick(['Chrome', 'Chrome', 'Safari', 'Firefox', 'Edge'], 'intHash32(vk + 1)')} AS browser,
    ${pick(['Windows', 'Mac', 'iOS', 'Android', 'Linux'], 'intHash32(vk + 2)')} AS os,
    ${pick(['desktop', 'desktop', 'mobile', 'mobile', 'tablet'], 'intHash32(vk + 2)')} AS platform,
    ${pick(['XXL', 'XL', 'L', 'M', 'S', 'XS'], 'intHash32(vk + 3)')} AS screen,
    ${pick(['en', 'de', 'fr', 'es', 'ja'], 'intHash32(vk + 4)')} AS language,
    ${pick(['', '', '', 'Google', 'Bing', 'Hacker News', 'Twitter'], 'k')} AS referrer_name,
    ${pick(['Direct', 'Direct', 'Direct', 'Organic Search', 'Organic Search', 'Organic Social', 'Organic Social'], 'k')} AS channel,
    ${pathOf('0')} AS entry,
    ${pathOf('pages - 1')} AS exit
  FROM numbers({sessions:UInt64})`;

const DIMS = `'bench.example' AS hostname, language, country AS country_code, '' AS region, '' AS city,
  if(referrer_name = '', '', concat('https://', lower(replaceAll(referrer_name, ' ', '')), '.com')) AS referrer, referrer_name, channel,
  os, '' AS os_version, browser, '' AS browser_version, platform, screen AS screen_class,
  '' AS utm_source, '' AS utm_medium, '' AS utm_campaign, '' AS utm_content, '' AS utm_term`;

export async function loadVisits(client: ClickHouseClient, siteId: string, pageViews: number) {
  const sessions = Math.round(pageViews / 2.5);
  const days = 30;
  const params = {
    site: siteId,
    sessions,
    visitors: Math.max(1, Math.round(sessions / 4)),
    base: Date.now() - days * 86_400_000,
    step: (days * 86_400_000 - 3_600_000) / sessions,
  };
  const run = (query: string) =>
    client.command({ query, query_params: params, clickhouse_settings: { max_execution_time: 3_600 } });
  await run(`INSERT INTO page_view SELECT {site:UInt64} AS site_id, visitor AS visitor_id, sid AS session_id, start + toIntervalSecond(i * 45) AS time,
      if(i = 0, 0, 45) AS duration_seconds, ${DIMS.replace("'bench.example' AS hostname", `'bench.example' AS hostname, ${pathOf('i')} AS path, concat('Page ', path) AS title, indexOf(arrayMap(j -> ${pathOf('j')}, range(pages)), path) = i + 1 AS first_in_visit`)},
      [] AS tag_keys, [] AS tag_values
    FROM (${VISIT}) ARRAY JOIN range(pages) AS i`);
  await run(`INSERT INTO session SELECT 1 AS sign, 1 AS version, {site:UInt64} AS site_id, visitor AS visitor_id, sid AS session_id, start,
      start + toIntervalSecond((pages - 1) * 45 + if(has_event, 10, 0)) AS time, (pages - 1) * 45 + if(has_event, 10, 0) AS duration_seconds,
      'bench.example' AS hostname, entry AS entry_path, exit AS exit_path, concat('Page ', entry) AS entry_title, concat('Page ', exit) AS exit_title,
      pages AS page_views, has_event AS events, pages = 1 AND NOT has_event AS is_bounce,
      ${DIMS.replace("'bench.example' AS hostname, ", '')}
    FROM (${VISIT})`);
  await run(`INSERT INTO event SELECT {site:UInt64} AS site_id, visitor AS visitor_id, sid AS session_id, start + toIntervalSecond(10) AS time,
      'Signup' AS event_name, ['plan'] AS event_meta_keys, [if(k % 2 = 0, 'pro', 'free')] AS event_meta_values, 0 AS duration_seconds, 0 AS non_interactive,
      'bench.example' AS hostname, entry AS path, concat('Page ', entry) AS title, ${DIMS.replace("'bench.example' AS hostname, ", '')}
    FROM (${VISIT}) WHERE has_event`);
  return { pageViews, sessions, events: Math.ceil(sessions / 5) };
}
