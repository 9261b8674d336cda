import { z } from 'zod';
import { queryWithTotals, type StatsContext } from '../context.ts';
import { whereFor } from '../sql/conditions.ts';
import { baseFor, countsRow, metricColumns } from '../sql/metrics.ts';
import { orderAndPage, orderOf, searchCondition } from '../sql/paging.ts';
import { withRowMetrics } from './custom-metric.ts';
import { metricFields, metricValues, ROW_METRIC_FIELDS } from './metric-fields.ts';

/**
 * Visitors, sessions, views and bounces grouped by visit properties (country, browser, referrer,
 * UTM, ...): the family behind most list endpoints. Each endpoint's response schema picks the
 * fields Pirsch returns for it. Shares are of the whole period (site and dates, no filters).
 */
export type BreakdownKey = { alias: string; expr: string };
export type BreakdownRow = Record<string, string | number> & {
  visitors: number;
  sessions: number;
  views: number;
  bounces: number;
  bounce_rate: number;
  relative_visitors: number;
  relative_views: number;
};

export const METRIC_SORT = {
  visitors: 'visitors',
  sessions: 'sessions',
  views: 'views',
  bounces: 'bounces',
  bounce_rate: 'bounces / greatest(sessions, 1)',
  relative_visitors: 'visitors',
  relative_views: 'views',
};

export async function breakdown(
  ctx: StatsContext,
  name: string,
  keys: BreakdownKey[],
  extra: BreakdownKey[] = [],
): Promise<BreakdownRow[]> {
  const scope = ctx.scope();
  const base = baseFor(ctx.filter);
  const p = scope.params;
  const where = [whereFor(base, scope, ctx.filter), ...searchCondition(keys[0]!.expr, ctx.filter, p)];
  const sortable = { ...Object.fromEntries(keys.map((k) => [k.alias, k.alias])), ...METRIC_SORT };
  // ClickHouse resolves a SELECT alias before a column of the same name, even inside aggregates:
  // computed columns get a prefixed alias and are renamed below.
  const columns = [...keys.map((k) => `${k.expr} AS ${k.alias}`), ...extra.map((k) => `${k.expr} AS agg_${k.alias}`)];
  const order = ['visitors DESC', ...keys.map((k) => `${k.alias} ASC`)];
  const sql = `SELECT ${columns.join(', ')}, ${metricColumns(base, scope)}
    FROM ${base} WHERE ${where.join(' AND ')}
    GROUP BY ${keys.map((k) => k.alias).join(', ')} HAVING sessions > 0
    ${orderAndPage(ctx.filter, p, sortable, order)}`;
  const row = z.object({
    ...Object.fromEntries(keys.map((k) => [k.alias, z.string()])),
    ...Object.fromEntries(extra.map((k) => [`agg_${k.alias}`, z.string()])),
    ...countsRow().shape,
  });
  const { rows, totals } = await queryWithTotals(ctx, name, {
    sql,
    scope,
    row,
    columns: [...keys.map((k) => k.alias), ...extra.map((k) => `agg_${k.alias}`)],
    order: orderOf(ctx.filter, sortable, order),
    oneStream: base === 'session',
  });
  const result = rows.map((r) => ({
    ...Object.fromEntries(keys.map((k) => [k.alias, (r as unknown as Record<string, string>)[k.alias]!])),
    ...Object.fromEntries(extra.map((k) => [k.alias, (r as unknown as Record<string, string>)[`agg_${k.alias}`]!])),
    ...metricValues(r, totals),
  }));
  // Only with custom_metric_key/_type: one more query over the events of these rows.
  return withRowMetrics(
    ctx,
    keys.map((k) => ({ column: k.expr, field: k.alias })),
    result,
  );
}

/** `{ <key>, visitors, relative_visitors }`, Pirsch's shape for most breakdowns. */
export const metaStats = (...keys: string[]) =>
  z.object({
    ...Object.fromEntries(keys.map((k) => [k, z.string()])),
    ...metricFields('visitors', 'relative_visitors'),
    ...ROW_METRIC_FIELDS,
  });

export const column = (name: string): BreakdownKey => ({ alias: name, expr: name });

/** Referrers group by name; the URL is shown when the name has only one (or when filtering by it). */
export function referrerStats(ctx: StatsContext) {
  const byUrl = ctx.filter.fields.referrer || ctx.filter.fields.referrer_name;
  return byUrl
    ? breakdown(ctx, 'referrer', [column('referrer_name'), column('referrer')])
    : // One URL or several: equal smallest and largest hashes say so without a set of strings per
      // name (a third faster at 4M visits than uniqExact(referrer) = 1; a 64-bit collision is ~2^-64).
      breakdown(
        ctx,
        'referrer',
        [column('referrer_name')],
        [{ alias: 'referrer', expr: "if(min(cityHash64(referrer)) = max(cityHash64(referrer)), any(referrer), '')" }],
      );
}

export const referrerSchema = z.object({
  referrer: z.string(),
  referrer_name: z.string(),
  referrer_icon: z.string().default(''),
  ...metricFields('visitors', 'sessions', 'relative_visitors', 'bounces', 'bounce_rate'),
  ...ROW_METRIC_FIELDS,
});

/** Hostname and channel rows carry views and bounces too. */
export const fullStats = (key: string) =>
  z.object({
    [key]: z.string(),
    ...metricFields('visitors', 'views', 'sessions', 'bounces', 'relative_visitors', 'relative_views', 'bounce_rate'),
    ...ROW_METRIC_FIELDS,
  });
