import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Db } from '@spur/accounts';
import { addDays, localDate, resolvePeriod, startOfDay, type Period } from './filter/period.ts';
import type { StatsFilter } from './filter/stats-filter.ts';
import { rangeCondition, type Scope } from './sql/conditions.ts';
import { countsRow, metricColumns, ONE_THREAD } from './sql/metrics.ts';
import { QueryParams } from './sql/query-params.ts';
import { runQuery } from './sql/run-query.ts';

export type StatsDeps = {
  clickhouse: ClickHouseClient;
  db: Db;
  now?: () => Date;
  /** STATS_SAMPLE_ABOVE_VIEWS: above this many page views in the period, sample (0 or unset: always exact). */
  sampleAboveViews?: number;
};

/**
 * The site being read, as far as statistics care (the caller was authorized before). A rollup view
 * (`kind: 'rollup'`) reads the rows of its `member_ids` instead of its own id; its goals, funnels
 * and annotations are still its own (Postgres rows under its id).
 */
export type StatsSite = {
  id: string;
  organization_id: string;
  timezone: string;
  kind?: 'site' | 'rollup';
  member_ids?: readonly string[];
};

/** Everything one statistics request needs: stores, site, validated filter, resolved period. */
export type StatsContext = {
  deps: StatsDeps;
  site: StatsSite;
  filter: StatsFilter;
  tz: string;
  period: Period;
  now: Date;
  /** Fresh parameters for one query over `period` (default: the request's). */
  scope: (period?: Period) => Scope;
  /** Visitors, sessions, views and bounces of the whole period without filters (denominator of shares and rates). */
  totals: (period?: Period) => Promise<PeriodTotals>;
  /**
   * The request period's totals when this request or a concurrent one is reading them already;
   * otherwise undefined, and a statement may read them alongside its own rows (periodTotalsSql) and
   * hand them to `provideTotals`, which shares them as `totals()` would have.
   */
  runningTotals: () => Promise<PeriodTotals> | undefined;
  provideTotals: (totals: Promise<PeriodTotals>) => void;
  query: <T extends z.ZodType>(name: string, sql: string, scope: Scope, row: T) => Promise<z.output<T>[]>;
  /** Set by a statistic that answered from a sample of the visitors: the fraction read. */
  sampled?: number;
};

export type PeriodTotals = { visitors: number; sessions: number; views: number; bounces: number };

/** Where from/to are optional (realtime, overview, lookups) the last 30 days are meant. */
export const DEFAULT_DAYS = 30;

export function createStatsContext(deps: StatsDeps, site: StatsSite, filter: StatsFilter): StatsContext {
  const tz = filter.tz ?? site.timezone ?? 'UTC';
  const now = deps.now?.() ?? new Date();
  const today = localDate(now, tz);
  // Nothing happened after today: clamping keeps gap-filled series from running into the future.
  const toDate = filter.toDate && filter.toDate < today ? filter.toDate : today;
  const fromDate = filter.fromDate ?? addDays(toDate, 1 - DEFAULT_DAYS);
  const period = endAt(resolvePeriod(fromDate, fromDate > toDate ? fromDate : toDate, tz), filter.toTime);
  const totalsCache = new Map<string, Promise<PeriodTotals>>();
  // Numbers, not strings: the client would quote strings inside an array parameter.
  const siteIds = site.kind === 'rollup' ? (site.member_ids ?? []).map(Number) : undefined;

  const ctx: StatsContext = {
    deps,
    site,
    filter,
    tz,
    period,
    now,
    scope: (p = period) => ({ siteId: site.id, siteIds, from: p.from, to: p.to, tz, params: new QueryParams() }),
    query: (name, sql, scope, row) => runQuery(deps.clickhouse, name, sql, scope.params, row),
    totals: (p = period) => {
      const key = `${p.fromDate}/${p.toDate}`;
      let cached = totalsCache.get(key);
      if (!cached) {
        cached = sharedTotals(ctx, p);
        totalsCache.set(key, cached);
      }
      return cached;
    },
    runningTotals: () =>
      totalsCache.get(`${period.fromDate}/${period.toDate}`) ??
      inFlight.get(deps.clickhouse)?.get(totalsKey(ctx, period)),
    provideTotals: (totals) => {
      totalsCache.set(`${period.fromDate}/${period.toDate}`, totals);
      share(ctx, period, () => totals);
    },
  };
  return ctx;
}

/**
 * The period cut at a time of day on its last day ("yesterday up to now" for a day still running).
 * Counted from the day's start, so on a day whose clocks change the cut is an hour off the wall clock.
 */
function endAt(period: Period, toTime: string | undefined): Period {
  if (!toTime) return period;
  const [h, m] = toTime.split(':').map(Number) as [number, number];
  const end = new Date(startOfDay(period.toDate, period.tz).getTime() + (h * 60 + m) * 60_000);
  return end < period.to ? { ...period, to: end } : period;
}

/**
 * Period totals being computed, per engine and site and period. A dashboard opens a dozen panels at
 * once and every one needs the same unfiltered totals: the requests that arrive while the query
 * runs share it instead of scanning the session table a dozen times over on the same cores. Nothing
 * is kept once it settles, so a later request never sees older figures than it would have computed.
 */
const inFlight = new WeakMap<ClickHouseClient, Map<string, Promise<PeriodTotals>>>();

const totalsKey = (ctx: StatsContext, period: Period) =>
  `${ctx.site.id}|${period.from.toISOString()}|${period.to.toISOString()}`;

/** The totals being read for the period, or `read()` started and shared until it settles. */
function share(ctx: StatsContext, period: Period, read: () => Promise<PeriodTotals>): Promise<PeriodTotals> {
  let running = inFlight.get(ctx.deps.clickhouse);
  if (!running) inFlight.set(ctx.deps.clickhouse, (running = new Map()));
  const key = totalsKey(ctx, period);
  let totals = running.get(key);
  if (!totals) {
    const own = read();
    running.set(key, own);
    void own.then(
      () => running.delete(key),
      () => running.delete(key),
    );
    totals = own;
  }
  return totals;
}

const sharedTotals = (ctx: StatsContext, period: Period) => share(ctx, period, () => periodTotals(ctx, period));

/** The statement of a period's totals (its one row as countsRow()), without settings. */
export function periodTotalsSql(scope: Scope): string {
  return `SELECT ${metricColumns('session', scope)} FROM session WHERE ${rangeCondition('session', scope)}`;
}

async function periodTotals(ctx: StatsContext, period: Period): Promise<PeriodTotals> {
  const scope = ctx.scope(period);
  const [row] = await ctx.query('period-totals', `${periodTotalsSql(scope)} ${ONE_THREAD}`, scope, countsRow());
  return row ?? NO_TOTALS;
}

export const NO_TOTALS: PeriodTotals = { visitors: 0, sessions: 0, views: 0, bounces: 0 };

/**
 * Rows of `sql` (the text columns `columns` and the four counts, in the order `order`) with the
 * request period's totals. Unless this request or a concurrent one is reading the totals already,
 * they are a branch of the same statement: ClickHouse runs the two side by side, where two
 * statements would run one after the other on embedded chdb (see "Processes" in the README).
 * `oneStream` reads each table with one stream (ONE_THREAD's reason, for statements counting
 * visitors over the session table), the branches still on a thread each.
 */
export async function queryWithTotals<T extends z.ZodObject<z.ZodRawShape>>(
  ctx: StatsContext,
  name: string,
  q: { sql: string; scope: Scope; row: T; columns: string[]; order: string[]; oneStream: boolean },
): Promise<{ rows: z.output<T>[]; totals: PeriodTotals }> {
  const running = ctx.runningTotals();
  if (running) {
    const sql = q.oneStream ? `${q.sql} ${ONE_THREAD}` : q.sql;
    const [rows, totals] = await Promise.all([ctx.query(name, sql, q.scope, q.row), running]);
    return { rows, totals };
  }
  const counts = TOTALS.map((c) => `toInt64(${c}) AS ${c}`).join(', ');
  const sql = `SELECT * FROM (
      SELECT 0 AS part, ${[...q.columns, counts].join(', ')} FROM (${q.sql})
      UNION ALL
      SELECT 1, ${[...q.columns.map(() => "''"), counts].join(', ')} FROM (${periodTotalsSql(q.scope)})
    ) ORDER BY part, ${q.order.join(', ')}${q.oneStream ? ' SETTINGS max_streams_for_merge_tree_reading = 1' : ''}`;
  const all = ctx.query(name, sql, q.scope, q.row.extend({ part: z.number() }));
  const totals = all.then((rows): PeriodTotals => {
    const { visitors, sessions, views, bounces } =
      (rows.find((r) => r.part === 1) as PeriodTotals | undefined) ?? NO_TOTALS;
    return { visitors, sessions, views, bounces };
  });
  ctx.provideTotals(totals);
  // The rows as `row` parsed them (the schema's extension adds `part` only).
  const rows = (await all).filter((r) => r.part === 0) as unknown as z.output<T>[];
  return { rows, totals: await totals };
}

const TOTALS = ['visitors', 'sessions', 'views', 'bounces'] as const;
