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

export async function sessionList(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  // Prefixed aliases: ClickHouse would resolve `argMax(time, version) AS time` recursively.
  const columns = [
    'toString(visitor_id) AS s_visitor_id',
    'session_id AS s_session_id',
    'min(start) AS s_start',
    ...CONSTANT.map((c) => `any(${c}) AS s_${c}`),
    ...LATEST.map((c) => `argMax(${c}, version) AS s_${c}`),
  ];
  const sql = `SELECT ${columns.join(', ')} FROM session WHERE ${whereFor('session', scope, ctx.filter)}
    GROUP BY visitor_id, session_id HAVING sum(sign) > 0
    ${orderAndPage(ctx.filter, p, { time: 's_time', start: 's_start', duration_seconds: 's_duration_seconds', page_views: 's_page_views' }, ['s_time DESC', 's_visitor_id ASC', 's_session_id ASC'])}`;
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
