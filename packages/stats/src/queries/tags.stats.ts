import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { badParam } from '../errors.ts';
import { whereFor } from '../sql/conditions.ts';
import { countsRow, metricColumns } from '../sql/metrics.ts';
import { orderAndPage, searchCondition } from '../sql/paging.ts';
import { metricFields, shares } from './metric-fields.ts';

/**
 * `GET /statistics/tags` (tag keys) and `/tag/details` (the values of the key named by `tag`):
 * visitors and page views carrying each tag, and their shares of the period's.
 */
const TAG_METRICS = metricFields('visitors', 'views', 'relative_visitors', 'relative_views');
export const tagKeySchema = z.object({ key: z.string(), ...TAG_METRICS });
export const tagValueSchema = z.object({ key: z.string(), value: z.string(), ...TAG_METRICS });
const counted = countsRow(['visitors', 'views']);

const SORT = {
  key: 'tag_key',
  visitors: 'visitors',
  views: 'views',
  relative_visitors: 'visitors',
  relative_views: 'views',
};

export async function tagKeyStats(ctx: StatsContext) {
  const scope = ctx.scope();
  const p = scope.params;
  const sql = `SELECT tag_key, ${metricColumns('page_view', scope, ['visitors', 'views'])}
    FROM page_view ARRAY JOIN tag_keys AS tag_key
    WHERE ${[whereFor('page_view', scope, ctx.filter), ...searchCondition('tag_key', ctx.filter, p)].join(' AND ')}
    GROUP BY tag_key ${orderAndPage(ctx.filter, p, SORT, ['visitors DESC', 'tag_key ASC'])}`;
  const [rows, totals] = await Promise.all([
    ctx.query('tags', sql, scope, counted.extend({ tag_key: z.string() })),
    ctx.totals(),
  ]);
  return rows.map((r) => ({ key: r.tag_key, visitors: r.visitors, views: r.views, ...shares(r, totals) }));
}

export async function tagValueStats(ctx: StatsContext) {
  const key = ctx.filter.fields.tag?.find((c) => c.op === 'eq')?.value;
  if (!key) throw badParam('tag', 'must name the tag key to break down');
  const scope = ctx.scope();
  const p = scope.params;
  const sql = `SELECT tag_key, tag_value, ${metricColumns('page_view', scope, ['visitors', 'views'])}
    FROM page_view ARRAY JOIN tag_keys AS tag_key, tag_values AS tag_value
    WHERE ${[whereFor('page_view', scope, ctx.filter), `tag_key = ${p.add(key, 'String')}`, ...searchCondition('tag_value', ctx.filter, p)].join(' AND ')}
    GROUP BY tag_key, tag_value ${orderAndPage(ctx.filter, p, { ...SORT, value: 'tag_value' }, ['visitors DESC', 'tag_value ASC'])}`;
  const row = counted.extend({ tag_key: z.string(), tag_value: z.string() });
  const [rows, totals] = await Promise.all([ctx.query('tag-details', sql, scope, row), ctx.totals()]);
  return rows.map((r) => ({
    key: r.tag_key,
    value: r.tag_value,
    visitors: r.visitors,
    views: r.views,
    ...shares(r, totals),
  }));
}
