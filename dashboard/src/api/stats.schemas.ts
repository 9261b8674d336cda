import { z } from 'zod/mini';

/**
 * Statistics response shapes, as Pirsch's API v1 defines them (node_modules/pirsch-sdk/types.d.ts)
 * and Spur's statistics API serves them. Only the fields the dashboard reads are required.
 */
/** Missing or null becomes `value`, so screens never have to tell "absent" from "empty". */
const orElse = <T extends z.ZodMiniType>(schema: T, value: z.output<T>) =>
  z.pipe(
    z.optional(z.nullable(schema)),
    z.transform((v): z.output<T> => (v ?? value) as z.output<T>),
  );
const num = orElse(z.number(), 0);
const str = orElse(z.string(), '');

export const totalSchema = z.looseObject({
  visitors: num,
  views: num,
  sessions: num,
  bounces: num,
  bounce_rate: num,
  cr: num,
  // Answered as 0 unless a custom metric (custom_metric_key/_type) and an event are asked for.
  custom_metric_total: num,
  custom_metric_avg: num,
});
export type Total = z.infer<typeof totalSchema>;

/** One point of a time series; the date sits under the key of the scale (`day`, `week`, ...). */
export const visitorPointSchema = z.looseObject({
  day: z.optional(z.nullable(z.string())),
  week: z.optional(z.nullable(z.string())),
  month: z.optional(z.nullable(z.string())),
  year: z.optional(z.nullable(z.string())),
  visitors: num,
  views: num,
  sessions: num,
  bounces: num,
  bounce_rate: num,
});
export type VisitorPoint = z.infer<typeof visitorPointSchema>;

export const hourSchema = z.looseObject({
  hour: z.number(),
  visitors: num,
  views: num,
  sessions: num,
  bounces: num,
  bounce_rate: num,
});
export type HourPoint = z.infer<typeof hourSchema>;

export const sessionDurationSchema = z.looseObject({
  day: z.optional(z.nullable(z.string())),
  week: z.optional(z.nullable(z.string())),
  month: z.optional(z.nullable(z.string())),
  year: z.optional(z.nullable(z.string())),
  average_time_spent_seconds: num,
});

export const pageSchema = z.looseObject({
  path: str,
  title: str,
  visitors: num,
  views: num,
  sessions: num,
  bounce_rate: num,
  relative_visitors: num,
  average_time_spent_seconds: num,
});
export const entryPageSchema = z.looseObject({
  path: str,
  visitors: num,
  entries: num,
  entry_rate: num,
  average_time_spent_seconds: num,
});
export const exitPageSchema = z.looseObject({ exit_path: str, visitors: num, exits: num, exit_rate: num });

export const referrerSchema = z.looseObject({
  referrer: str,
  referrer_name: str,
  referrer_icon: str,
  visitors: num,
  sessions: num,
  relative_visitors: num,
  bounce_rate: num,
});

/** Countries, languages, browsers, ...: one dimension plus visitors. */
export const metaSchema = z.looseObject({ visitors: num, relative_visitors: num });
export type MetaRow = z.infer<typeof metaSchema> & Record<string, unknown>;

/** Spur adds tablets to Pirsch's desktop/mobile/unknown split. */
export const platformSchema = z.looseObject({
  platform_desktop: num,
  platform_mobile: num,
  platform_tablet: num,
  platform_unknown: num,
  relative_platform_desktop: num,
  relative_platform_mobile: num,
  relative_platform_tablet: num,
  relative_platform_unknown: num,
});

export const eventSchema = z.looseObject({
  name: str,
  count: num,
  visitors: num,
  views: num,
  cr: num,
  average_duration_seconds: num,
  meta_keys: orElse(z.array(z.string()), []),
  meta_value: z.optional(str),
  /** Only when a custom metric was asked for (custom_metric_key). */
  custom_metric_total: z.optional(num),
  custom_metric_avg: z.optional(num),
});
export type EventRow = z.infer<typeof eventSchema>;

export { orElse };

export const goalStatsSchema = z.looseObject({
  page_goal: z.looseObject({
    id: z.string(),
    name: z.string(),
    /** What fires the goal: a path glob, a regular expression, or an event (with a metadata key and value). */
    path_pattern: str,
    pattern: str,
    event_name: str,
    event_meta_key: str,
    event_meta_value: str,
    visitor_goal: z.optional(z.nullable(z.number())),
    cr_goal: z.optional(z.nullable(z.number())),
    /** An event metadata key whose numbers the goal adds up (revenue, items, a score). */
    custom_metric_key: z.optional(z.string()),
    custom_metric_type: z.optional(z.string()),
  }),
  stats: z.looseObject({ visitors: num, views: num, cr: num, custom_metric_avg: num, custom_metric_total: num }),
});
export type GoalStats = z.infer<typeof goalStatsSchema>;

export const activeSchema = z.looseObject({
  visitors: num,
  stats: orElse(z.array(z.looseObject({ path: str, title: str, visitors: num })), []),
  countries: orElse(z.array(z.looseObject({ country_code: str, visitors: num })), []),
});

/** The realtime view: page views and visitors per minute, and the sources of the visits active then. */
export const realtimeSchema = z.looseObject({
  minutes: orElse(z.array(z.looseObject({ minute: z.string(), visitors: num, views: num })), []),
  referrers: orElse(z.array(z.looseObject({ referrer_name: str, visitors: num })), []),
});
export type Realtime = z.infer<typeof realtimeSchema>;

export const funnelDataSchema = z.looseObject({
  definition: z.looseObject({
    id: z.string(),
    name: z.string(),
    steps: z.array(z.looseObject({ name: z.string(), step: z.number() })),
  }),
  data: orElse(
    z.array(z.looseObject({ step: z.number(), visitors: num, relative_visitors: num, dropped: num, drop_off: num })),
    [],
  ),
});
export type FunnelData = z.infer<typeof funnelDataSchema>;

/** Monday = 0 … Sunday = 6. */
export const weekdaySchema = z.looseObject({ weekday: z.number(), hour: z.number(), visitors: num });
export type WeekdayHour = z.infer<typeof weekdaySchema>;

/** One visit; `visitor_id` is a quoted 64-bit integer. */
export const sessionListSchema = z.looseObject({
  visitor_id: z.union([z.string(), z.number()]),
  session_id: z.union([z.string(), z.number()]),
  time: z.optional(z.string()),
  start: z.optional(z.string()),
  duration_seconds: num,
  entry_path: str,
  exit_path: str,
  page_views: num,
  events: num,
  referrer_name: str,
  country_code: str,
  browser: str,
  os: str,
});
export type SessionRow = z.infer<typeof sessionListSchema>;

const stepDetail = z.looseObject({
  time: z.optional(z.string()),
  path: str,
  title: str,
  name: z.optional(str),
  duration_seconds: num,
});
/** One step of a visit: a page view or an event, in time order. */
export const sessionStepSchema = z.looseObject({
  page_view: z.optional(z.nullable(stepDetail)),
  event: z.optional(z.nullable(stepDetail)),
});
export type SessionStep = z.infer<typeof sessionStepSchema>;
