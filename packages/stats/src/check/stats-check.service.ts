import type { ClickHouseClient } from '@clickhouse/client';
import { findSite, type Db } from '@spur/accounts';

/**
 * `npm run cli -- stats:check --site ID`: the invariants a site's statistics must keep whatever
 * happened to them (deletions, re-seeding, crashes), checked on the stored rows themselves. Per day
 * of the site's time zone, counted as the statistics API counts them (see sql/metrics.ts): bounces
 * ≥ 0, bounces ≤ sessions, visitors ≤ sessions, page views ≥ bounces. Per visit: exactly one live
 * session row (its state rows minus its cancel rows is 1) whose page-view count equals its page
 * views, and one page view flagged first of each path it viewed (where the flags are known).
 * Deleting a site's rows while Redis still held its sessions broke all of these (issue 13).
 */
export type StatsCheck = {
  site: string;
  days: number;
  sessions: number;
  pageViews: number;
  violations: string[];
  /** Visits that break the per-visit invariant (only the first 50 are listed in `violations`). */
  brokenSessions: number;
};

const LISTED_SESSIONS = 50;

type Day = { day: string; sessions: string; bounces: string; visitors: string; views: string };
type Visit = { visitor: string; session: string; day: string; live: string; counted: string; stored: string };

export async function checkSiteStatistics(
  clickhouse: ClickHouseClient,
  site: { id: string; timezone: string },
): Promise<StatsCheck> {
  const params = { site: site.id, tz: site.timezone };
  const days = await rows<Day>(
    clickhouse,
    `SELECT day, toString(sum(sessions)) AS sessions, toString(sum(bounces)) AS bounces,
            toString(sum(visitors)) AS visitors, toString(sum(views)) AS views
       FROM (SELECT toString(toDate(start, {tz:String})) AS day, sum(sign) AS sessions, sum(sign * is_bounce) AS bounces,
                    uniqExactIf(visitor_id, sign = 1) AS visitors, 0 AS views
               FROM session WHERE site_id = {site:UInt64} GROUP BY day
             UNION ALL
             SELECT toString(toDate(time, {tz:String})) AS day, 0, 0, 0, count() AS views
               FROM page_view WHERE site_id = {site:UInt64} GROUP BY day)
      GROUP BY day ORDER BY day`,
    params,
  );
  const violations: string[] = [];
  for (const d of days) {
    const [sessions, bounces, visitors, views] = [d.sessions, d.bounces, d.visitors, d.views].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    if (bounces < 0) violations.push(`${d.day}: bounces ${bounces} < 0`);
    if (bounces > sessions) violations.push(`${d.day}: bounces ${bounces} > sessions ${sessions}`);
    if (visitors > sessions) violations.push(`${d.day}: visitors ${visitors} > sessions ${sessions}`);
    if (views < bounces) violations.push(`${d.day}: page views ${views} < bounces ${bounces}`);
  }

  // Every visit as its session rows and its page views tell it; a visit with page views and no
  // session row (or the other way round) is broken too.
  const visits = `SELECT toString(visitor_id) AS visitor, toString(session_id) AS session,
                         toString(toDate(min(start), {tz:String})) AS day, toString(sum(live)) AS live,
                         toString(sum(counted)) AS counted, toString(sum(stored)) AS stored
                    FROM (SELECT visitor_id, session_id, start, toInt64(sign) AS live,
                                 toInt64(sign) * page_views AS counted, toInt64(0) AS stored
                            FROM session WHERE site_id = {site:UInt64}
                          UNION ALL
                          SELECT visitor_id, session_id, time AS start, toInt64(0), toInt64(0), toInt64(1)
                            FROM page_view WHERE site_id = {site:UInt64})
                   GROUP BY visitor_id, session_id`;
  const [totals] = await rows<{ sessions: string; broken: string }>(
    clickhouse,
    `SELECT toString(count()) AS sessions, toString(countIf(live != '1' OR counted != stored)) AS broken FROM (${visits})`,
    params,
  );
  const broken = await rows<Visit>(
    clickhouse,
    `SELECT * FROM (${visits}) WHERE live != '1' OR counted != stored ORDER BY day, visitor, session LIMIT ${LISTED_SESSIONS}`,
    params,
  );
  for (const v of broken)
    violations.push(
      `${v.day}: visit ${v.visitor}/${v.session} has ${v.live} live session rows counting ${v.counted} page views, ${v.stored} stored`,
    );
  // The page list counts a path's visits as its page views flagged first of their path in their
  // visit (first_in_visit, migration 0004): where a visit's views of a path are all flagged 0 or 1
  // (2: not known), exactly one is 1.
  const flags = await rows<{ visitor: string; session: string; path: string; day: string; first: string }>(
    clickhouse,
    `SELECT toString(visitor_id) AS visitor, toString(session_id) AS session, path,
            toString(toDate(min(time), {tz:String})) AS day, toString(countIf(first_in_visit = 1)) AS first
       FROM page_view WHERE site_id = {site:UInt64}
      GROUP BY visitor_id, session_id, path HAVING countIf(first_in_visit = 2) = 0 AND first != '1'
      ORDER BY day, visitor, session, path LIMIT ${LISTED_SESSIONS}`,
    params,
  );
  for (const f of flags)
    violations.push(
      `${f.day}: visit ${f.visitor}/${f.session} has ${f.first} first views of ${JSON.stringify(f.path)}`,
    );
  return {
    site: site.id,
    days: days.length,
    sessions: Number(totals?.sessions ?? 0),
    pageViews: days.reduce((sum, d) => sum + Number(d.views), 0),
    violations,
    brokenSessions: Number(totals?.broken ?? 0),
  };
}

async function rows<T>(clickhouse: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** The CLI's `stats:check --site ID`: the site's time zone from Postgres, then the check. */
export async function runStatsCheck(
  deps: { db: Db; clickhouse: ClickHouseClient },
  args: string[],
): Promise<StatsCheck> {
  const at = args.indexOf('--site');
  const siteId = at === -1 ? undefined : args[at + 1];
  if (!siteId || !/^\d+$/.test(siteId)) throw new Error('--site must be a site id');
  const site = await findSite(deps.db, siteId);
  if (!site) throw new Error(`site ${siteId} not found`);
  return checkSiteStatistics(deps.clickhouse, { id: site.id, timezone: site.timezone });
}
