import type { ClickHouseClient } from '@spur/storage';
import type { Queryable } from './account.repository.ts';
import { cycleAt, type Cycle } from './cycle.ts';

export type UsageDay = { day: string; pageViews: number; events: number };

const toDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Page views and custom events per site and UTC day from ClickHouse for every site, between two
 * days inclusive, written into `billing_usage_day`. Re-measuring a day overwrites it with the
 * newer count (late flushes arrive); a deleted site's rows are not touched, so its usage in the
 * cycle still counts after its statistics are gone.
 */
export async function measureUsage(
  db: Queryable,
  clickhouse: ClickHouseClient,
  from: Date,
  to: Date,
): Promise<{ rows: number }> {
  const { rows: sites } = await db.query<{ id: string; organization_id: string }>(
    // Rollup views hold no rows of their own: their members' page views are counted once, as theirs.
    "SELECT id::text, organization_id::text FROM site WHERE kind = 'site' ORDER BY id",
  );
  if (sites.length === 0) return { rows: 0 };
  const organizationOf = new Map(sites.map((s) => [s.id, s.organization_id]));
  const counts = new Map<string, { site: string; day: string; pageViews: number; events: number }>();
  for (const [table, field] of [
    ['page_view', 'pageViews'],
    ['event', 'events'],
  ] as const) {
    const result = await clickhouse.query({
      query: `SELECT toString(site_id) AS site, toString(toDate(time, 'UTC')) AS day, count() AS n
                FROM ${table}
               WHERE site_id IN {sites:Array(UInt64)} AND toDate(time, 'UTC') BETWEEN {from:Date} AND {to:Date}
               GROUP BY site_id, day`,
      query_params: { sites: sites.map((s) => Number(s.id)), from: toDay(from), to: toDay(to) },
      format: 'JSONEachRow',
    });
    for (const row of await result.json<{ site: string; day: string; n: string }>()) {
      const key = `${row.site}:${row.day}`;
      const entry = counts.get(key) ?? { site: row.site, day: row.day, pageViews: 0, events: 0 };
      entry[field] = Number(row.n);
      counts.set(key, entry);
    }
  }
  const entries = [...counts.values()];
  if (entries.length === 0) return { rows: 0 };
  await db.query(
    `INSERT INTO billing_usage_day (organization_id, site_id, day, page_views, events)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::bigint[], $5::bigint[])
     ON CONFLICT (organization_id, day, site_id)
     DO UPDATE SET page_views = EXCLUDED.page_views, events = EXCLUDED.events, measured_at = now()`,
    [
      entries.map((e) => organizationOf.get(e.site)),
      entries.map((e) => e.site),
      entries.map((e) => e.day),
      entries.map((e) => e.pageViews),
      entries.map((e) => e.events),
    ],
  );
  return { rows: entries.length };
}

/** Daily usage of an organization within a cycle (all its sites, deleted ones included). */
export async function usageDays(db: Queryable, organizationId: string, cycle: Cycle): Promise<UsageDay[]> {
  const { rows } = await db.query<{ day: string; page_views: string; events: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(page_views)::text AS page_views, sum(events)::text AS events
       FROM billing_usage_day
      WHERE organization_id = $1 AND day >= $2::date AND day < $3::date
      GROUP BY day ORDER BY day`,
    [organizationId, toDay(cycle.start), toDay(cycle.end)],
  );
  return rows.map((r) => ({ day: r.day, pageViews: Number(r.page_views), events: Number(r.events) }));
}

/** What counts against the quota: page views plus custom events. */
export const totalUsage = (days: UsageDay[]) => days.reduce((sum, d) => sum + d.pageViews + d.events, 0);

export async function usageInCycle(db: Queryable, organizationId: string, cycle: Cycle): Promise<number> {
  return totalUsage(await usageDays(db, organizationId, cycle));
}

/** The anchor of an account's monthly usage windows: the subscription's billing day, else the trial start. */
export const cycleAnchor = (a: { current_period_start: Date | null; trial_start: Date }) =>
  a.current_period_start ?? a.trial_start;

export const currentCycle = (a: { current_period_start: Date | null; trial_start: Date }, now: Date) =>
  cycleAt(cycleAnchor(a), now);
