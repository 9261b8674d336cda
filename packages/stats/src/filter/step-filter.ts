import type { Conditions } from '../sql/conditions.ts';
import { FILTER_FIELDS, META_PREFIXES, TAG_PREFIX, type FilterField } from './filter-fields.ts';
import { parsePatternValue, parseValue, type ValueCondition } from './value-syntax.ts';

/**
 * A funnel step's stored filter (`{ "path": "/pricing" }`, `{ "event": ["Signup"], "meta_plan":
 * "pro" }`) as conditions of the filter model. The accounts service validated its shape; keys
 * that are not filter fields are ignored.
 */
export function conditionsFromRecord(record: Record<string, string | string[]>): Conditions {
  const out: Conditions = { fields: {}, tags: {}, meta: {} };
  for (const [key, raw] of Object.entries(record)) {
    const conditions: ValueCondition[] = (Array.isArray(raw) ? raw : [raw]).map(
      key === 'pattern' ? parsePatternValue : parseValue,
    );
    if (key in FILTER_FIELDS) out.fields[key as FilterField] = conditions;
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
