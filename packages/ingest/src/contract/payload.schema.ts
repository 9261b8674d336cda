import { z } from 'zod';
import { wellFormed } from './well-formed.ts';

/**
 * What clients send. Field names follow Pirsch's API v1 so `pirsch-sdk` and spur.js share one
 * contract. Limits are generous for real pages and reject abuse with a 400 naming the field.
 * Every string, record keys included, leaves here well-formed (see well-formed.ts).
 */
/** The contract's limits, here once for the schema and the hand check of its common case (fast-payload.ts). */
export const LIMITS = {
  url: 2_048,
  title: 1_000,
  referrer: 2_048,
  screen: 100_000,
  /** Tags and event metadata: entries, key length, text value length. */
  entries: 30,
  key: 100,
  value: 1_000,
  eventName: 200,
  eventDurationSeconds: 86_400 * 7,
} as const;
export const IDENTIFICATION_CODE = /^[A-Za-z0-9_-]{1,64}$/;
/** The optional text fields through which server-side callers forward their visitor's request, with their limits. */
export const FORWARDED_TEXTS = {
  ip: 100,
  user_agent: 1_000,
  accept_language: 500,
  sec_ch_ua: 500,
  sec_ch_ua_mobile: 10,
  sec_ch_ua_platform: 100,
  sec_ch_ua_platform_version: 100,
  sec_ch_width: 20,
  sec_ch_viewport_width: 20,
} as const;

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).overwrite(wellFormed);
const scalar = z.union([text(LIMITS.value), z.number().finite(), z.boolean()]).transform(String);
const keyValues = z
  .record(z.string().min(1).max(LIMITS.key).overwrite(wellFormed), scalar)
  .refine((r) => Object.keys(r).length <= LIMITS.entries, `must have at most ${LIMITS.entries} entries`);

const pageUrl = text(LIMITS.url).refine((value) => {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const hitFields = {
  identification_code: z
    .string()
    .regex(IDENTIFICATION_CODE, 'must be the identification code from the tracking snippet')
    .optional(),
  url: pageUrl,
  title: text(LIMITS.title).optional().default(''),
  referrer: text(LIMITS.referrer).optional().default(''),
  screen_width: z.number().int().min(0).max(LIMITS.screen).optional().default(0),
  screen_height: z.number().int().min(0).max(LIMITS.screen).optional().default(0),
  tags: keyValues.optional().default({}),
  // Server-side callers (bearer token) forward the visitor's request; browsers' are read from the request.
  ip: text(FORWARDED_TEXTS.ip).optional(),
  user_agent: text(FORWARDED_TEXTS.user_agent).optional(),
  accept_language: text(FORWARDED_TEXTS.accept_language).optional(),
  sec_ch_ua: text(FORWARDED_TEXTS.sec_ch_ua).optional(),
  sec_ch_ua_mobile: text(FORWARDED_TEXTS.sec_ch_ua_mobile).optional(),
  sec_ch_ua_platform: text(FORWARDED_TEXTS.sec_ch_ua_platform).optional(),
  sec_ch_ua_platform_version: text(FORWARDED_TEXTS.sec_ch_ua_platform_version).optional(),
  sec_ch_width: text(FORWARDED_TEXTS.sec_ch_width).optional(),
  sec_ch_viewport_width: text(FORWARDED_TEXTS.sec_ch_viewport_width).optional(),
  // Pirsch's SDK sends this to skip its bot filter; we always filter.
  disable_bot_filter: z.boolean().optional(),
};

const eventFields = {
  event_name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.eventName, `must be at most ${LIMITS.eventName} characters`)
    .overwrite(wellFormed),
  event_duration: z.number().finite().min(0).max(LIMITS.eventDurationSeconds).optional().default(0),
  event_meta: keyValues.optional().default({}),
  non_interactive: z.boolean().optional().default(false),
};

const time = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const hitSchema = z.object(hitFields);
export const eventSchema = z.object({ ...hitFields, ...eventFields });
// A session ping needs no page; spur.js sends its URL so the hostname can be checked.
export const sessionSchema = z.object({
  identification_code: hitFields.identification_code,
  url: pageUrl.optional(),
  ip: hitFields.ip,
  user_agent: hitFields.user_agent,
});

/**
 * Pirsch's browser client (`pirsch-sdk/web`) sends page views as `GET /api/v1/hit` with short query
 * parameters; `tag_<name>` parameters become tags.
 */
export const getHitQuerySchema = z
  .object({
    code: hitFields.identification_code.unwrap().meta({ description: "The site's identification code." }),
    url: pageUrl.meta({ description: 'Full URL of the page.' }),
    t: text(1_000).optional().meta({ description: 'Page title.' }),
    ref: text(2_048).optional().meta({ description: 'Referrer URL.' }),
    w: z.coerce.number().int().min(0).max(100_000).optional().meta({ description: 'Screen width.' }),
    h: z.coerce.number().int().min(0).max(100_000).optional().meta({ description: 'Screen height.' }),
    nc: z.string().max(40).optional().meta({ description: 'Cache buster; ignored.' }),
  })
  .catchall(text(1_000).meta({ description: '`tag_<name>`: a tag.' }));

/** The same page view in the body's field names. */
export function hitFromQuery(query: z.infer<typeof getHitQuerySchema>): z.input<typeof hitSchema> {
  const tags = Object.fromEntries(
    Object.entries(query)
      .filter(([k]) => k.startsWith('tag_'))
      .map(([k, v]) => [k.slice(4), String(v)]),
  );
  return {
    identification_code: query.code,
    url: query.url,
    title: query.t ?? '',
    referrer: query.ref ?? '',
    screen_width: query.w ?? 0,
    screen_height: query.h ?? 0,
    tags,
  };
}

export const MAX_BATCH = 500;
const batchOf = <T extends z.ZodObject>(item: T) =>
  z.array(item.extend({ time })).min(1, 'must not be empty').max(MAX_BATCH, `must have at most ${MAX_BATCH} items`);

export const schemas = {
  page_view: hitSchema,
  event: eventSchema,
  session: sessionSchema,
} as const;
export const batchSchemas = {
  page_view: batchOf(hitSchema),
  event: batchOf(eventSchema),
  session: batchOf(sessionSchema),
} as const;

export type HitPayload = z.infer<typeof hitSchema>;
export type EventPayload = z.infer<typeof eventSchema>;
export type SessionPayload = z.infer<typeof sessionSchema>;
export type IngestKind = keyof typeof schemas;

/**
 * The first problem, as `{ error, field }` for a 400 body. Batch items are named `items[3].url`.
 * `input` is what was parsed: zod 4 leaves the input out of its issues, so only the input itself
 * tells a missing field ("is required") from one of the wrong type (`"screen_width":"1920"`).
 */
export function describeIssue(error: z.ZodError, input: unknown): { error: string; field: string } {
  const issue = error.issues[0]!;
  const field =
    issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('')
      .replace(/^\[/, 'items[') || 'body';
  if (issue.code !== 'invalid_type') return { error: `${field} ${issue.message}`, field };
  const missing = valueAt(input, issue.path) === undefined;
  return { error: `${field} ${missing ? 'is required' : `must be of type ${issue.expected}`}`, field };
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
