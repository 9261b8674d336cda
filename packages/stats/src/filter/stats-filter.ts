import type { z } from 'zod';
import { badParam } from '../errors.ts';
import { FILTER_FIELD_NAMES, META_PREFIXES, TAG_PREFIX, type FilterField } from './filter-fields.ts';
import { DEFAULT_LIMIT, dynamicKey, dynamicValues, type ParsedQuery } from './filter-query.schema.ts';
import type { Scale } from './period.ts';
import type { ValueCondition } from './value-syntax.ts';

/** A validated statistics request: the one filter model every query builder takes. */
export type StatsFilter = {
  siteId: string;
  fromDate?: string;
  toDate?: string;
  /** `HH:MM`: the period ends at this time of its last day instead of at midnight. */
  toTime?: string;
  tz?: string;
  scale: Scale;
  start?: number;
  fields: Partial<Record<FilterField, ValueCondition[]>>;
  /** `tag_<key>` conditions, by tag key. */
  tags: Record<string, ValueCondition[]>;
  /** `meta_<key>` conditions, by event metadata key. */
  meta: Record<string, ValueCondition[]>;
  search?: string;
  sort?: string;
  direction?: 'asc' | 'desc';
  offset: number;
  limit: number;
  includeAvgTimeOnPage: boolean;
  includeTitle: boolean;
  customMetric?: { key: string; type: 'integer' | 'float' };
  funnelId?: string;
  visitorId?: string;
  sessionId?: string;
  format: 'json' | 'csv';
};

/** True when the filter narrows anything beyond site and period (conversion rates need one). */
export function hasConditions(filter: Pick<StatsFilter, 'fields' | 'tags' | 'meta'>): boolean {
  return Object.keys(filter.fields).length + Object.keys(filter.tags).length + Object.keys(filter.meta).length > 0;
}

/**
 * Parses a raw query object (Express's `req.query`) with an endpoint's schema. Array-style keys
 * (`path[]=a`) count as repeats. Throws a 400 naming the first bad parameter.
 */
export function parseStatsQuery(schema: z.ZodType, raw: Record<string, unknown>): StatsFilter {
  // Parameter names are the caller's: without a prototype, `__proto__` or `tag_constructor` is a key like
  // any other (on `{}` they reached Object.prototype: a 500, or `__proto__` blamed on `sort`).
  const plain: Record<string, unknown> = Object.create(null);
  const tags: Record<string, ValueCondition[]> = Object.create(null);
  const meta: Record<string, ValueCondition[]> = Object.create(null);
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
    const dynamic = dynamicTarget(key);
    if (!dynamic) {
      plain[key] = Object.hasOwn(plain, key) ? [plain[key], value].flat() : value;
      continue;
    }
    const [target, name] =
      dynamic === 'tag' ? [tags, key.slice(TAG_PREFIX.length)] : [meta, key.replace(/^(event_)?meta_/, '')];
    if (!dynamicKey.safeParse(name).success) throw badParam(key, 'key must be 1-100 characters');
    const parsed = dynamicValues.safeParse(value);
    if (!parsed.success) throw badParam(key, parsed.error.issues[0]!.message);
    target[name] = [...(Object.hasOwn(target, name) ? target[name]! : []), ...parsed.data];
  }
  const parsed = schema.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0] ?? 'query');
    const message =
      issue.code === 'unrecognized_keys'
        ? 'is not a known parameter'
        : plain[param] === undefined
          ? 'is required'
          : issue.message;
    throw badParam(param, message);
  }
  const q = parsed.data as ParsedQuery;
  if (q.from && q.to && q.to < q.from) throw badParam('to', 'must not be before from');
  if ((q.custom_metric_key === undefined) !== (q.custom_metric_type === undefined)) {
    throw badParam(
      q.custom_metric_key === undefined ? 'custom_metric_key' : 'custom_metric_type',
      'custom_metric_key and custom_metric_type go together',
    );
  }
  const fields: StatsFilter['fields'] = {};
  for (const name of FILTER_FIELD_NAMES) if (q[name]?.length) fields[name] = q[name];
  return {
    siteId: q.id,
    fromDate: q.from,
    toDate: q.to,
    toTime: q.to_time,
    tz: q.tz,
    scale: q.scale ?? 'day',
    start: q.start,
    fields,
    tags,
    meta,
    search: q.search?.trim() || undefined,
    sort: q.sort,
    direction: q.direction,
    offset: q.offset ?? 0,
    limit: q.limit || DEFAULT_LIMIT,
    includeAvgTimeOnPage: q.include_avg_time_on_page ?? false,
    includeTitle: q.include_title ?? false,
    customMetric:
      q.custom_metric_key && q.custom_metric_type
        ? { key: q.custom_metric_key, type: q.custom_metric_type }
        : undefined,
    funnelId: q.funnel_id,
    visitorId: q.visitor_id,
    sessionId: q.session_id,
    format: q.format ?? 'json',
  };
}

function dynamicTarget(key: string): 'tag' | 'meta' | undefined {
  if (key === 'event_meta_key') return undefined;
  if (key.startsWith(TAG_PREFIX)) return 'tag';
  if (META_PREFIXES.some((p) => key.startsWith(p))) return 'meta';
  return undefined;
}
