import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { badParam } from '../errors.ts';
import { rangeCondition, whereFor } from '../sql/conditions.ts';
import { orderAndPage } from '../sql/paging.ts';
import { count } from '../sql/run-query.ts';

/**
 * `GET /statistics/session/list` (visits, latest first) and `/session/details` (one visit's page
 * views and events in order). Visitor ids are 64-bit, so they travel as strings.
 */
const DIMENSIONS = [
  'hostname',
  'language',
  'country_code',
  'region',
  'city',
  'referrer',
  'referrer_name',
  'os',
  'os_version',
  'browser',
  'browser_version',
  'screen_class',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
] as const;
const dimensionFields = Object.fromEntries(DIMENSIONS.map((d) => [d, z.string()])) as Record<
  (typeof DIMENSIONS)[number],
  z.ZodString
>;
const deviceFields = { referrer_icon: z.string(), platform: z.string(), desktop: z.boolean(), mobile: z.boolean() };

export const sessionSchema = z.object({
  visitor_id: z.string(),
  session_id: z.number(),
  time: z.string(),
  start: z.string(),
  duration_seconds: z.number(),
  entry_path: z.string(),
  exit_path: z.string(),
  entry_title: z.string(),
  exit_title: z.string(),
  page_views: z.number(),
  events: z.number(),
  is_bounce: z.boolean(),
  extended: z.number(),
  ...dimensionFields,
  ...deviceFields,
});

/** ClickHouse's `2026-11-23 18:04:05.123` (UTC) as ISO 8601. */
const isoTime = z.string().transform((t) => `${t.replace(' ', 'T')}Z`);
const device = (platform: string) => ({
  referrer_icon: '',
  platform,
  desktop: platform === 'desktop',
  mobile: platform === 'mobile' || platform === 'tablet',
});

const CONSTANT = [...DIMENSIONS, 'entry_path', 'entry_title', 'platform'];
const LATEST = ['time', 'duration_seconds', 'exit_path', 'exit_title', 'page_views', 'events', 'is_bounce'];

/** Sortable fields of the list and the aggregate each is ordered by. */
const SORTABLE: Record<string, string> = {
  time: 'argMax(time, version)',
  start: 'min(start)',
  duration_seconds: 'argMax(duration_seconds, version)',
  page_views: 'argMax(page_views, version)',
};
const sortColumns = Object.fromEntries(Object.keys(SORTABLE).map((k) => [k, `s_${k}`]));
const DEFAULT_ORDER = ['s_time DESC', 's_visitor_id ASC', 's_session_id ASC'];

/** Sessions last at most a day (the session store's limit): a visit's last activity is within a day of its start. */
const SESSION_MAX_MS = 86_400_000;
/** How far back from the period's end the newest visits are looked for first. */
const RECENT_MS = 2 * SESSION_MAX_MS;

const keyRow = z.object({
  s_visitor_id: z.string(),
  s_session_id: count,
  s_time: isoTime,
  s_start: isoTime.optional(),
});
type Key = z.infer<typeof keyRow>;

/**
 * Newest first by last activity (the explorer's default) or by start: then the page's visits are
 * found among those started in the period's last days, and the whole period is grouped only when
 * that cannot be proven. Visits started before `since` were last active before `since` + a day, so
 * once the page's last visit is at least that recent, none of them can belong on the page.
 */
function recentFirst(ctx: StatsContext): { since: Date; proves: (last: Key) => boolean } | undefined {
  const { sort, direction } = ctx.filter;
  if (direction === 'asc' || (sort !== undefined && sort !== 'time' && sort !== 'start')) return undefined;
  const { from, to } = ctx.scope();
  const since = new Date(to.getTime() - RECENT_MS);
  if (since <= from) return undefined;
  return {
    since,
    proves: (last) =>
      sort === 'start'
        ? Date.parse(last.s_start!) >= since.getTime()
        : Date.parse(last.s_time) >= since.getTime() + SESSION_MAX_MS,
  };
}

/** One page of visit keys with their sort values, over visits started in [from, period end). */
function pageKeys(ctx: StatsContext, from?: Date) {
  const pick = ctx.scope();
  if (from) pick.from = from;
  const sorted = ['time', ...(ctx.filter.sort && ctx.filter.sort !== 'time' ? [ctx.filter.sort] : [])];
  return ctx.query(
    'session-list-keys',
    `SELECT toString(visitor_id) AS s_visitor_id, session_id AS s_session_id,
      ${sorted.map((k) => `${SORTABLE[k] ?? 'NULL'} AS s_${k}`).join(', ')}
    FROM session WHERE ${whereFor('session', pick, ctx.filter)}
    GROUP BY visitor_id, session_id HAVING sum(sign) > 0
    ${orderAndPage(ctx.filter, pick.params, sortColumns, DEFAULT_ORDER)}`,
    pick,
    keyRow,
  );
}

export async function sessionList(ctx: StatsContext) {
  // Two steps: which visits make the page (grouping every visit of the period by its key with only
  // the sort column), then all columns of those visits alone. Grouping millions of visits with 30
  // aggregates each to keep 100 of them cost several times more at 4M visits. Same filter, same
  // groups and the same order in both steps, so the rows are exactly those of a single query.
  const recent = recentFirst(ctx);
  let from: Date | undefined;
  let keys: Key[] = [];
  if (recent) {
    keys = await pageKeys(ctx, recent.since);
    const last = keys.at(-1);
    if (keys.length === ctx.filter.limit && last && recent.proves(last)) from = recent.since;
  }
  if (!from) keys = await pageKeys(ctx);
  if (keys.length === 0) return [];
  const scope = ctx.scope();
  // Every row of a visit carries its start: the visits found since `from` have all their rows there.
  if (from) scope.from = from;
  const p = scope.params;
  const visitors = p.add(
    keys.map((k) => k.s_visitor_id),
    'Array(String)',
  );
  const sessions = p.add(
    keys.map((k) => String(k.s_session_id)),
    'Array(String)',
  );
  const chosen = `(visitor_id, session_id) IN (SELECT toUInt64(k.1), toUInt32(k.2) FROM (SELECT arrayJoin(arrayZip(${visitors}, ${sessions})) AS k))`;
  // Prefixed aliases: ClickHouse would resolve `argMax(time, version) AS time` recursively.
  const columns = [
    'toString(visitor_id) AS s_visitor_id',
    'session_id AS s_session_id',
    'min(start) AS s_start',
    ...CONSTANT.map((c) => `any(${c}) AS s_${c}`),
    ...LATEST.map((c) => `argMax(${c}, version) AS s_${c}`),
  ];
  const sql = `SELECT ${columns.join(', ')} FROM session WHERE ${whereFor('session', scope, ctx.filter)} AND ${chosen}
    GROUP BY visitor_id, session_id HAVING sum(sign) > 0
    ${orderAndPage({ ...ctx.filter, offset: 0 }, p, sortColumns, DEFAULT_ORDER)}`;
  const rows = await ctx.query('session-list', sql, scope, z.record(z.string(), z.unknown()));
  return rows.map((raw) => {
    const r = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.slice(2), v]));
    return {
      ...r,
      session_id: Number(r.session_id),
      time: isoTime.parse(r.time),
      start: isoTime.parse(r.start),
      duration_seconds: Number(r.duration_seconds),
      page_views: Number(r.page_views),
      events: Number(r.events),
      is_bounce: Number(r.is_bounce) === 1,
      extended: 0,
      ...device(String(r.platform)),
    };
  });
}

const common = {
  visitor_id: z.string(),
  session_id: count,
  time: isoTime,
  duration_seconds: count,
  path: z.string(),
  title: z.string(),
  ...dimensionFields,
  platform: z.string(),
};
const pageViewRow = z.object({ ...common, tag_keys: z.array(z.string()), tag_values: z.array(z.string()) });
const eventRow = z.object({
  ...common,
  event_name: z.string(),
  event_meta_keys: z.array(z.string()),
  event_meta_values: z.array(z.string()),
});

export const sessionStepSchema = z.object({
  page_view: z.record(z.string(), z.unknown()).nullable(),
  event: z.record(z.string(), z.unknown()).nullable(),
});

export async function sessionDetails(ctx: StatsContext) {
  if (!ctx.filter.visitorId) throw badParam('visitor_id', 'is required');
  if (!ctx.filter.sessionId) throw badParam('session_id', 'is required');
  const scope = ctx.scope();
  const p = scope.params;
  // visitor_id arrives as a string: 64-bit integers are quoted in JSON.
  const visit = `visitor_id = ${p.add(ctx.filter.visitorId, 'UInt64')} AND session_id = ${p.add(ctx.filter.sessionId, 'UInt32')}`;
  const select = (table: 'page_view' | 'event') =>
    `SELECT * EXCEPT (site_id) FROM ${table} WHERE ${rangeCondition(table, scope, { lookback: true })} AND ${visit} ORDER BY time`;
  const [views, events] = await Promise.all([
    ctx.query('session-page-views', select('page_view'), scope, pageViewRow),
    ctx.query('session-events', select('event'), scope, eventRow),
  ]);
  const steps = [
    ...views.map((v) => ({ time: v.time, page_view: { ...v, ...device(v.platform) }, event: null })),
    ...events.map(({ event_name, event_meta_keys, event_meta_values, ...e }) => ({
      time: e.time,
      page_view: null,
      event: {
        ...e,
        name: event_name,
        meta_keys: event_meta_keys,
        meta_values: event_meta_values,
        ...device(e.platform),
      },
    })),
  ];
  return steps.sort((a, b) => a.time.localeCompare(b.time)).map(({ page_view, event }) => ({ page_view, event }));
}
