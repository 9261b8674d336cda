import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { badParam } from '../errors.ts';
import { rangeCondition, type Table } from '../sql/conditions.ts';
import { searchCondition } from '../sql/paging.ts';

/**
 * `GET /statistics/options/*`: the distinct non-empty values of one field in the period, sorted,
 * for the dashboard's filter pickers (`search` narrows them, `limit` caps them).
 */
export type OptionSource = {
  table: Table;
  /** SQL of the value; `arrayJoin` columns read one value per array element. */
  value: string;
  /** A parameter the lookup needs (the tag or metadata key whose values are listed). */
  keyOf?: 'tag' | 'event_meta_key';
};

export const OPTION_SOURCES: Record<string, OptionSource> = {
  hostname: { table: 'session', value: 'hostname' },
  page: { table: 'page_view', value: 'path' },
  referrer: { table: 'session', value: 'referrer' },
  'referrer/name': { table: 'session', value: 'referrer_name' },
  channel: { table: 'session', value: 'channel' },
  event: { table: 'event', value: 'event_name' },
  country: { table: 'session', value: 'country_code' },
  region: { table: 'session', value: 'region' },
  city: { table: 'session', value: 'city' },
  language: { table: 'session', value: 'language' },
  browser: { table: 'session', value: 'browser' },
  os: { table: 'session', value: 'os' },
  platform: { table: 'session', value: 'platform' },
  screen: { table: 'session', value: 'screen_class' },
  'metadata/keys': { table: 'event', value: 'arrayJoin(event_meta_keys)' },
  metadata: { table: 'event', value: 'event_meta_values[indexOf(event_meta_keys, {key})]', keyOf: 'event_meta_key' },
  'utm/source': { table: 'session', value: 'utm_source' },
  'utm/medium': { table: 'session', value: 'utm_medium' },
  'utm/campaign': { table: 'session', value: 'utm_campaign' },
  'utm/content': { table: 'session', value: 'utm_content' },
  'utm/term': { table: 'session', value: 'utm_term' },
  tag: { table: 'page_view', value: 'arrayJoin(tag_keys)' },
  'tag/value': { table: 'page_view', value: 'tag_values[indexOf(tag_keys, {key})]', keyOf: 'tag' },
};

export const optionsSchema = z.string();

export async function optionValues(ctx: StatsContext, source: OptionSource): Promise<string[]> {
  const scope = ctx.scope();
  const p = scope.params;
  let value = source.value;
  const where = [rangeCondition(source.table, scope)];
  if (source.keyOf) {
    const key = ctx.filter.fields[source.keyOf]?.find((c) => c.op === 'eq')?.value;
    if (!key) throw badParam(source.keyOf, 'must name the key whose values are listed');
    const placeholder = p.add(key, 'String');
    value = value.replace('{key}', placeholder);
    where.push(`has(${source.keyOf === 'tag' ? 'tag_keys' : 'event_meta_keys'}, ${placeholder})`);
  }
  const sql = `SELECT option_value FROM (SELECT DISTINCT ${value} AS option_value FROM ${source.table} WHERE ${where.join(' AND ')})
    WHERE ${["option_value != ''", ...searchCondition('option_value', ctx.filter, p)].join(' AND ')}
    ORDER BY option_value LIMIT ${p.add(ctx.filter.limit, 'UInt32')}`;
  const rows = await ctx.query('options', sql, scope, z.object({ option_value: z.string() }));
  return rows.map((r) => r.option_value);
}
