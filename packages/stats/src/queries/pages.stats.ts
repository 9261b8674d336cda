import { z } from 'zod';
import { queryWithTotals, type PeriodTotals, type StatsContext } from '../context.ts';
import {
  hasTagConditions,
  rangeCondition,
  SESSION_LOOKBACK_MS,
  whereFor,
  type Conditions,
  type Scope,
} from '../sql/conditions.ts';
import { countsRow, metricColumns, ratio } from '../sql/metrics.ts';
import { orderAndPage, orderOf, searchCondition } from '../sql/paging.ts';
import { sampleFor, scaled } from '../sql/sample.ts';
import { count } from '../sql/run-query.ts';
import { METRIC_SORT } from './breakdown.stats.ts';
import { withRowMetrics } from './custom-metric.ts';
import { metricFields, metricValues, ROW_METRIC_FIELDS } from './metric-fields.ts';
import { averageSeconds, pageViewsWithTime } from './time-on-page.ts';

/**
 * `GET /statistics/page`, `/page/entry`, `/page/exit`. Pages group by path (and title with
 * `include_title`; otherwise the latest title of the path is shown). Entry and exit rates are
 * shares of all sessions of the period; their `visitors`/`sessions` count everyone who viewed the
 * page, as in Pirsch.
 */
export const pageSchema = z.object({
  path: z.string(),
  title: z.string(),
  ...metricFields('visitors', 'views', 'sessions', 'bounces', 'relative_visitors', 'relative_views', 'bounce_rate'),
  average_time_spent_seconds: z.number(),
  ...ROW_METRIC_FIELDS,
});
export const entrySchema = z.object({
  path: z.string(),
  title: z.string(),
  visitors: z.number(),
  sessions: z.number(),
  entries: z.number(),
  entry_rate: z.number(),
  average_time_spent_seconds: z.number(),
});
export const exitSchema = z.object({
  path: z.string(),
  exit_path: z.string(),
  title: z.string(),
  visitors: z.number(),
  sessions: z.number(),
  exits: z.number(),
  exit_rate: z.number(),
});

const titleKey = (ctx: StatsContext, column: string, time: string) =>
  ctx.filter.includeTitle
    ? { select: `${column} AS title`, group: ', title' }
    : { select: `argMax(${column}, ${time}) AS title_any`, group: '' };
const titleOf = (r: { title?: string; title_any?: string }) => r.title ?? r.title_any ?? '';
const titled = { title: z.string().optional(), title_any: z.string().optional() };

export async function pageStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  const byTitle = ctx.filter.includeTitle;
  // The latest title of each of 500 paths cost a fifth of the query at 10M page views (every
  // title string read and compared); the titles of the page of rows returned are a small read of
  // the by-path projection afterwards. Only sorting by title needs them all.
  const titleInQuery = !byTitle && ctx.filter.sort === 'title';
  const using = byTitle ? 'path, title' : 'path';
  // Sampling (STATS_SAMPLE_ABOVE_VIEWS, off by default) depends on the period's page views.
  const sample = ctx.deps.sampleAboveViews
    ? sampleFor(ctx.deps.sampleAboveViews, (await ctx.totals()).views)
    : undefined;
  const from = (table: string) => (sample ? `${table} ${sample.clause}` : table);
  // A bounced visit has exactly one page view, its entry page: bounces per page are bounced visits
  // by entry page under the same filter. Merging these few rows by path (a join, or a branch of the
  // statement) is 5-20x faster at 10M page views than testing every page view against the set of
  // bounced visits. Cancel rows of a bounced state are bounced too, so only rows with is_bounce = 1
  // need reading, and they sum by sign.
  const bouncedWhere = `${whereFor('session', scope, ctx.filter)} AND is_bounce = 1`;
  const where = [whereFor('page_view', scope, ctx.filter), ...searchCondition('path', ctx.filter, p)].join(' AND ');
  let read: z.output<typeof PAGE_ROW>[];
  let totals: PeriodTotals;
  if (!byTitle && !hasTagConditions(ctx.filter) && (await firstViewsKnown(ctx, from('page_view'), where, scope))) {
    ({ read, totals } = await pagesByFirstViews(ctx, { scope, where, bouncedWhere, from, titleInQuery }));
  } else {
    // Unfiltered (or filtered by path only), ClickHouse reads the by-path projection (migration 0004):
    // page views sorted by path, so each path's sets of visitors and visits are built while they fit
    // in the CPU cache. Any other condition reads the table, with the same answer.
    const sql = `SELECT * FROM (
        SELECT path${byTitle ? ', title' : titleInQuery ? ', argMax(title, time) AS title_any' : ''}, ${metricColumns('page_view', scope, ['visitors', 'sessions', 'views'])} FROM ${from('page_view')}
        WHERE ${where} GROUP BY ${using}
      ) AS pages LEFT JOIN (
        SELECT entry_path AS path, ${byTitle ? 'entry_title AS title, ' : ''}sum(sign) AS bounces FROM ${from('session')} WHERE ${bouncedWhere} GROUP BY ${using}
      ) AS bounced USING (${using})
      ${orderAndPage(ctx.filter, p, { path: 'path', title: byTitle ? 'title' : 'title_any', ...METRIC_SORT }, PAGE_ORDER)}`;
    [read, totals] = await Promise.all([ctx.query('page', sql, scope, PAGE_ROW), ctx.totals()]);
  }
  const rows = sample
    ? read.map((r) => ({
        ...r,
        visitors: scaled(r.visitors, sample),
        sessions: scaled(r.sessions, sample),
        views: scaled(r.views, sample),
        bounces: scaled(r.bounces, sample),
      }))
    : read;
  if (sample) ctx.sampled = sample.rate;
  const paths = rows.map((r) => r.path);
  const [times, titles] = await Promise.all([
    ctx.filter.includeAvgTimeOnPage ? timeOnPages(ctx, paths) : new Map<string, number>(),
    byTitle || titleInQuery ? new Map<string, string>() : latestTitles(ctx, paths),
  ]);
  const result = rows.map((r) => ({
    path: r.path,
    title: titles.get(r.path) ?? titleOf(r),
    ...metricValues(r, totals),
    average_time_spent_seconds: times.get(r.path) ?? 0,
  }));
  // Only with custom_metric_key/_type: the metric of the events fired on each page.
  // Grouped by title too, each row is the events fired on that path under that title.
  const keys = [{ column: 'path', field: 'path' }, ...(byTitle ? [{ column: 'title', field: 'title' }] : [])];
  return withRowMetrics(ctx, keys, result);
}

const PAGE_ORDER = ['visitors DESC', 'path ASC'];
/** A row of the page list's statement, either way it is counted. */
const PAGE_ROW = countsRow().extend({ path: z.string(), ...titled });
const DAY = SESSION_LOOKBACK_MS;

/**
 * Whether every page view the page list would count carries the sessionizer's first_in_visit flag
 * (0 or 1; 2 means not known: rows stored before migration 0004, hits it could not place). The
 * first 2 found ends the read, so a period of older rows answers at once.
 */
async function firstViewsKnown(ctx: StatsContext, table: string, where: string, scope: Scope): Promise<boolean> {
  const sql = `SELECT count() AS unknown FROM (SELECT 1 FROM ${table} WHERE ${where} AND first_in_visit = 2 LIMIT 1)`;
  const [row] = await ctx.query('page-first-views', sql, scope, z.object({ unknown: count }));
  return row?.unknown === 0;
}

/**
 * The page list with each path's visits counted as its page views flagged first of their path in
 * their visit, instead of a set of visit keys (a third of the statement at 10M page views).
 *
 * A visit inside the period has exactly one flagged view per path it viewed. A visit crossing an
 * edge of the period may have its flagged view of a path outside it, or a view before it: those
 * visits started within a day (the longest visit) before an edge and were still going at it, the
 * session table says which, and their page views in the period lie within a day of that edge. For
 * them the count is replaced by the exact set (a set of one visit minus its flagged view, 0 for a
 * visit that did not cross). The flag is only exact per path and visit: grouping by title or a
 * condition on a page view's own tags would drop a visit's flagged view and keep a later one, so
 * those requests count sets. Every column a filter reads besides path and tags is the visit's.
 *
 * Bounces and, unless another request is reading them, the period's totals are further branches
 * of the same statement, which ClickHouse runs beside the page views' (on embedded chdb, separate
 * statements with parameters run one at a time).
 */
async function pagesByFirstViews(
  ctx: StatsContext,
  q: { scope: Scope; where: string; bouncedWhere: string; from: (table: string) => string; titleInQuery: boolean },
) {
  const { scope, where } = q;
  const p = scope.params;
  const title = (value: string) => (q.titleInQuery ? `, ${value} AS title_any` : '');
  const at = (time: Date) => p.add(time, 'DateTime64(3)');
  const shift = (time: Date, ms: number) => new Date(time.getTime() + ms);
  const edgeVisits = (edges: Date[]) =>
    `SELECT visitor_id, session_id FROM session WHERE ${edges
      .map(
        (edge) =>
          `(${rangeCondition('session', { ...scope, from: shift(edge, -DAY), to: edge })} AND time >= ${at(edge)})`,
      )
      .join(' OR ')}`;
  // The page views in the period of visits crossing its start lie in its first day, of those crossing
  // its end in its last. A visit lasts at most a day, so over a period of more than two days none
  // crosses both; a shorter one is read whole, for the visits crossing either edge.
  const windows: { from: Date; to: Date; edges: Date[] }[] =
    scope.to.getTime() - scope.from.getTime() > 2 * DAY
      ? [
          { from: scope.from, to: shift(scope.from, DAY), edges: [scope.from] },
          { from: shift(scope.to, -DAY), to: scope.to, edges: [scope.to] },
        ]
      : [{ from: scope.from, to: scope.to, edges: [scope.from, scope.to] }];
  const corrections = windows.map((w) => {
    const window = { ...scope, from: w.from, to: w.to };
    const inWindow = [whereFor('page_view', window, ctx.filter), ...searchCondition('path', ctx.filter, p)].join(
      ' AND ',
    );
    return `SELECT path, 0, toInt64(uniqExact(cityHash64(visitor_id, session_id))) - toInt64(countIf(first_in_visit = 1)), 0, 0${title("''")}
      FROM ${q.from('page_view')} WHERE ${inWindow} AND (visitor_id, session_id) IN (${edgeVisits(w.edges)}) GROUP BY path`;
  });
  // Branches of one type for UNION ALL: signed 64-bit counts (v visitors, s sessions, n views, b bounces).
  const pages = [
    `SELECT path, toInt64(uniqExact(visitor_id)) AS v, toInt64(countIf(first_in_visit = 1)) AS s, toInt64(count()) AS n, toInt64(0) AS b${title('argMax(title, time)')}
      FROM ${q.from('page_view')} WHERE ${where} GROUP BY path`,
    ...corrections,
    `SELECT entry_path AS path, 0, 0, 0, toInt64(sum(sign))${title("''")} FROM ${q.from('session')} WHERE ${q.bouncedWhere} GROUP BY path`,
  ].join('\n    UNION ALL\n    ');
  const sortable = { path: 'path', title: 'title_any', ...METRIC_SORT };
  const list = `SELECT path, sum(v) AS visitors, sum(s) AS sessions, sum(n) AS views, sum(b) AS bounces${q.titleInQuery ? ', max(title_any) AS title_any' : ''}
    FROM (${pages}) GROUP BY path HAVING views > 0 ${orderAndPage(ctx.filter, p, sortable, PAGE_ORDER)}`;
  const { rows: read, totals } = await queryWithTotals(ctx, 'page', {
    sql: list,
    scope,
    row: PAGE_ROW,
    columns: q.titleInQuery ? ['path', 'title_any'] : ['path'],
    order: orderOf(ctx.filter, sortable, PAGE_ORDER),
    oneStream: false,
  });
  return { read, totals };
}

/** How far back from the period's end titles are looked for first (see latestTitles). */
const TITLES_RECENT_MS = 86_400_000;

/**
 * The latest title of each of `paths` among the page views the request counts. A path viewed in
 * the period's last day has its latest view there, so that day is read first and the whole period
 * only for the paths it did not show: at 10M page views over 30 days, 100 titles cost 125 ms of
 * CPU read from the whole period, the day alone about a thirtieth of the rows.
 */
async function latestTitles(ctx: StatsContext, paths: string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const { from, to } = ctx.scope();
  const since = new Date(to.getTime() - TITLES_RECENT_MS);
  const windows = since > from ? [since, undefined] : [undefined];
  for (const start of windows) {
    const missing = paths.filter((path) => !titles.has(path));
    if (missing.length === 0) break;
    const scope = ctx.scope();
    if (start) scope.from = start;
    const sql = `SELECT path, argMax(title, time) AS title FROM page_view
      WHERE ${whereFor('page_view', scope, ctx.filter)} AND path IN ${scope.params.add(missing, 'Array(String)')} GROUP BY path`;
    const rows = await ctx.query('page-titles', sql, scope, z.object({ path: z.string(), title: z.string() }));
    for (const r of rows) titles.set(r.path, r.title);
  }
  return titles;
}

/** Average time on each of `paths` (whole seconds), under the request's filter. */
export async function timeOnPages(ctx: StatsContext, paths: string[]): Promise<Map<string, number>> {
  if (paths.length === 0) return new Map();
  const scope = ctx.scope();
  const { from, where } = pageViewsWithTime(scope, ctx.filter);
  const sql = `SELECT path, ${averageSeconds('time_on_page')} AS seconds FROM ${from}
    WHERE ${[...where, `path IN ${scope.params.add(paths, 'Array(String)')}`].join(' AND ')} GROUP BY path`;
  const rows = await ctx.query('time-on-page', sql, scope, z.object({ path: z.string(), seconds: count }));
  return new Map(rows.map((r) => [r.path, r.seconds]));
}

/** Visitors and sessions that viewed each path, whatever page they entered or left by. */
async function viewersOf(ctx: StatsContext, paths: string[]) {
  if (paths.length === 0) return new Map<string, { visitors: number; sessions: number }>();
  const scope = ctx.scope();
  const { entry_path: _entry, exit_path: _exit, path: _path, pattern: _pattern, ...fields } = ctx.filter.fields;
  const conditions: Conditions = { fields, tags: ctx.filter.tags, meta: ctx.filter.meta };
  const sql = `SELECT path, ${metricColumns('page_view', scope, ['visitors', 'sessions'])} FROM page_view
    WHERE ${whereFor('page_view', scope, conditions)} AND path IN ${scope.params.add(paths, 'Array(String)')} GROUP BY path`;
  const rows = await ctx.query(
    'page-viewers',
    sql,
    scope,
    countsRow(['visitors', 'sessions']).extend({ path: z.string() }),
  );
  return new Map(rows.map((r) => [r.path, r]));
}

export async function entryStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  const title = titleKey(ctx, 'entry_title', 'start');
  const sql = `SELECT entry_path AS path, ${title.select}, sum(sign) AS entries FROM session
    WHERE ${[whereFor('session', scope, ctx.filter), ...searchCondition('entry_path', ctx.filter, p)].join(' AND ')}
    GROUP BY path${title.group} HAVING entries > 0
    ${orderAndPage(ctx.filter, p, { path: 'path', title: ctx.filter.includeTitle ? 'title' : 'title_any', entries: 'entries', entry_rate: 'entries' }, ['entries DESC', 'path ASC'])}`;
  const rows = await ctx.query('page-entry', sql, scope, z.object({ path: z.string(), ...titled, entries: count }));
  const paths = rows.map((r) => r.path);
  const [viewers, totals, times] = await Promise.all([
    viewersOf(ctx, paths),
    ctx.totals(),
    ctx.filter.includeAvgTimeOnPage ? timeOnPages(ctx, paths) : new Map<string, number>(),
  ]);
  return rows.map((r) => ({
    path: r.path,
    title: titleOf(r),
    visitors: viewers.get(r.path)?.visitors ?? 0,
    sessions: viewers.get(r.path)?.sessions ?? 0,
    entries: r.entries,
    entry_rate: ratio(r.entries, totals.sessions),
    average_time_spent_seconds: times.get(r.path) ?? 0,
  }));
}

export async function exitStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  const title = titleKey(ctx, 'exit_title', 'time');
  // A visit's exit page changes as it goes on; its cancelled states cancel within their own group.
  const sql = `SELECT exit_path AS path, ${title.select}, sum(sign) AS exits FROM session
    WHERE ${[whereFor('session', scope, ctx.filter), ...searchCondition('exit_path', ctx.filter, p)].join(' AND ')}
    GROUP BY path${title.group} HAVING exits > 0
    ${orderAndPage(ctx.filter, p, { path: 'path', exit_path: 'path', title: ctx.filter.includeTitle ? 'title' : 'title_any', exits: 'exits', exit_rate: 'exits' }, ['exits DESC', 'path ASC'])}`;
  const rows = await ctx.query('page-exit', sql, scope, z.object({ path: z.string(), ...titled, exits: count }));
  const [viewers, totals] = await Promise.all([
    viewersOf(
      ctx,
      rows.map((r) => r.path),
    ),
    ctx.totals(),
  ]);
  return rows.map((r) => ({
    path: r.path,
    exit_path: r.path,
    title: titleOf(r),
    visitors: viewers.get(r.path)?.visitors ?? 0,
    sessions: viewers.get(r.path)?.sessions ?? 0,
    exits: r.exits,
    exit_rate: ratio(r.exits, totals.sessions),
  }));
}
