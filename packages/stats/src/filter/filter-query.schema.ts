import { z } from 'zod';
import { canonicalTimeZone } from '@spur/accounts';
import { FILTER_FIELDS, FILTER_FIELD_NAMES, type FilterField } from './filter-fields.ts';
import { isCalendarDate } from './period.ts';
import { parsePatternValue, parseValue } from './value-syntax.ts';

/**
 * The query string of every statistics endpoint, as one zod schema per endpoint built from the
 * same parts (so validation and the OpenAPI document cannot disagree). Parameter names follow
 * Pirsch's API v1; `pirsch-sdk` sends dates as full ISO timestamps, whose date part is used.
 */
const text = (max = 1_000) => z.string().max(max, `must be at most ${max} characters`);

const valueList = z.union([text(), z.array(text()).max(50, 'must repeat at most 50 times')]);
const values = valueList.transform((v) => (Array.isArray(v) ? v : [v]).map(parseValue));
const patterns = valueList.transform((v) => (Array.isArray(v) ? v : [v]).map(parsePatternValue));

const dateParam = z
  .string()
  .transform((v) => v.slice(0, 10))
  .refine(isCalendarDate, 'must be a date (YYYY-MM-DD)')
  .meta({
    description: 'Calendar day `YYYY-MM-DD` (an ISO date-time is accepted; its date part is used).',
    format: 'date',
  });

const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const idParam = z.string().regex(/^[1-9]\d{0,18}$/, 'must be an id');

export const MAX_LIMIT = 1_000;
export const DEFAULT_LIMIT = 100;

const baseShape = {
  id: idParam.meta({ description: 'Site (domain) id, as listed by `GET /api/v1/domain`.' }),
  from: dateParam.optional(),
  to: dateParam.optional(),
  to_time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day (HH:MM)')
    .optional()
    .meta({
      description:
        'Ends the period at this time of day (HH:MM, in `tz`) on its last day: compares a day still running with the same hours of another.',
    }),
  // Only zones ClickHouse can load, spelled its way (`utc` → `UTC`): any other reached a query and failed there.
  tz: text(64)
    .transform((zone, c) => {
      const canonical = canonicalTimeZone(zone);
      if (canonical) return canonical;
      c.addIssue({ code: 'custom', message: 'must be an IANA time zone, e.g. Europe/Berlin' });
      return z.NEVER;
    })
    .optional()
    .meta({ description: "Time zone of `from`/`to` and of every day/hour bucket; default: the site's." }),
  scale: z
    .enum(['day', 'week', 'month', 'year'])
    .optional()
    .meta({ description: 'Bucket size of time series (default `day`).' }),
  start: intParam(1, 3_600)
    .optional()
    .meta({ description: 'Realtime window in seconds (active visitors), default 600.' }),
  ...(Object.fromEntries(
    FILTER_FIELD_NAMES.map((name) => [
      name,
      name === 'pattern'
        ? patterns.optional().meta({ description: `${FILTER_FIELDS[name].description} Repeat for alternatives.` })
        : values.optional().meta({
            description: `${FILTER_FIELDS[name].description} Repeat for alternatives; \`!\` not, \`~\` contains, \`^\` does not contain, \`null\` empty.`,
          }),
    ]),
  ) as Record<FilterField, z.ZodOptional<typeof values>>),
  search: text(200)
    .optional()
    .meta({ description: 'Case-insensitive text the primary column of the result must contain.' }),
  sort: text(40).optional().meta({ description: 'Result field to sort by.' }),
  direction: z.enum(['asc', 'desc']).optional(),
  offset: intParam(0, 1_000_000).optional(),
  limit: intParam(0, MAX_LIMIT)
    .optional()
    .meta({ description: `Rows to return (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}; 0 = default).` }),
  include_avg_time_on_page: boolParam.optional(),
  include_title: boolParam.optional().meta({ description: 'Group pages by path and title instead of path only.' }),
  custom_metric_key: text(100).min(1, 'must not be empty').optional().meta({
    description:
      'Event metadata key whose numeric values are summed and averaged (`custom_metric_total`/`_avg`) in totals, series, goals and, when given, on every breakdown row; needs an `event` filter.',
  }),
  custom_metric_type: z
    .enum(['integer', 'float'])
    .optional()
    .meta({ description: 'How the values of `custom_metric_key` are read; others are left out.' }),
  funnel_id: idParam.optional(),
  visitor_id: z
    .string()
    .regex(/^\d{1,20}$/, 'must be a visitor id')
    .optional(),
  session_id: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a session id')
    .optional(),
  format: z.enum(['json', 'csv']).optional().meta({ description: '`csv` answers with `text/csv` instead of JSON.' }),
};

export type QueryOptions = {
  /** from/to are required (every endpoint but realtime, overview and lookups). */
  period?: boolean;
  /** Further parameters this endpoint cannot work without. */
  required?: (keyof typeof baseShape)[];
};

/** The strict query schema of one endpoint: unknown parameters are a 400 naming them. */
export function querySchema(options: QueryOptions = {}) {
  const shape: Record<string, z.ZodType> = { ...baseShape };
  const required = [...(options.period === false ? [] : (['from', 'to'] as const)), ...(options.required ?? [])];
  for (const key of required) {
    const optional = baseShape[key] as z.ZodOptional<z.ZodType>;
    shape[key] = optional.unwrap().meta(optional.meta() ?? {});
  }
  return z.object(shape).strict();
}

export type ParsedQuery = z.output<z.ZodObject<typeof baseShape>>;

/** `tag_<key>` and `meta_<key>` / `event_meta_<key>` parameters, validated like any value. */
export const dynamicKey = z.string().min(1).max(100);
export const dynamicValues = values;
