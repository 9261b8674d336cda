import type { Conditions } from '../sql/conditions.ts';
import { FILTER_FIELDS, META_PREFIXES, TAG_PREFIX, type FilterField } from './filter-fields.ts';
import { parsePatternValue, parseValue, type ValueCondition } from './value-syntax.ts';

/**
 * A funnel step's stored filter (`{ "path": "/pricing" }`, `{ "event": ["Signup"], "meta_plan":
 * "pro" }`) as conditions of the filter model. The accounts service validated its shape; keys
 * that are not filter fields are ignored.
 */
export function conditionsFromRecord(record: Record<string, string | string[]>): Conditions {
  // Keys are user-written (`tag___proto__`): prototype-free maps keep them plain entries.
  const out: Conditions = { fields: {}, tags: Object.create(null), meta: Object.create(null) };
  for (const [key, raw] of Object.entries(record)) {
    const conditions: ValueCondition[] = (Array.isArray(raw) ? raw : [raw]).map(
      key === 'pattern' ? parsePatternValue : parseValue,
    );
    // Own keys only: a stored step key `constructor` is not a filter field.
    if (Object.hasOwn(FILTER_FIELDS, key)) out.fields[key as FilterField] = conditions;
    else if (key.startsWith(TAG_PREFIX)) out.tags[key.slice(TAG_PREFIX.length)] = conditions;
    else {
      const prefix = META_PREFIXES.find((p) => key.startsWith(p));
      if (prefix) out.meta[key.slice(prefix.length)] = conditions;
    }
  }
  return out;
}

export const isEventStep = (c: Conditions): boolean =>
  Object.keys(c.meta).length > 0 || c.fields.event !== undefined || c.fields.event_meta_key !== undefined;
