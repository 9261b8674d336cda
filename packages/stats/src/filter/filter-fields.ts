/**
 * Every field a statistics request can filter by, and where its value lives. The SQL builder
 * only ever splices the column names written here; values always travel as typed parameters.
 *
 * - `session`: a property of the whole visit (copied onto every page view and event row), so it
 *   filters each table directly.
 * - `entry` / `exit`: only the session row knows them; other tables join on the session.
 * - `page`: a property of one page view (`path` is also on event rows).
 * - `event`: a property of one event.
 */
export type FieldLevel = 'session' | 'entry' | 'exit' | 'page' | 'event';

export const FILTER_FIELDS = {
  hostname: {
    column: 'hostname',
    level: 'session',
    description: 'Hostname of the page (rollups of several hostnames).',
  },
  path: { column: 'path', level: 'page', description: 'Page path, e.g. `/pricing`.' },
  pattern: {
    column: 'path',
    level: 'page',
    description: 'RE2 regular expression the page path must match (`!` to exclude).',
  },
  entry_path: { column: 'entry_path', level: 'entry', description: 'Path of the first page of the session.' },
  exit_path: { column: 'exit_path', level: 'exit', description: 'Path of the last page of the session.' },
  event: { column: 'event_name', level: 'event', description: 'Event name.' },
  event_meta_key: { column: 'event_meta_keys', level: 'event', description: 'Events carrying this metadata key.' },
  language: { column: 'language', level: 'session', description: 'ISO 639-1 language code, e.g. `en`.' },
  country: {
    column: 'country_code',
    level: 'session',
    description: 'ISO 3166-1 alpha-2 country code, e.g. `DE` (any case).',
  },
  region: { column: 'region', level: 'session', description: 'Region (state) name.' },
  city: { column: 'city', level: 'session', description: 'City name.' },
  referrer: { column: 'referrer', level: 'session', description: 'Full referrer URL.' },
  referrer_name: { column: 'referrer_name', level: 'session', description: 'Referrer name, e.g. `Google`.' },
  channel: { column: 'channel', level: 'session', description: 'Traffic channel, e.g. `Organic Search`.' },
  os: { column: 'os', level: 'session', description: 'Operating system.' },
  os_version: { column: 'os_version', level: 'session', description: 'Operating system version.' },
  browser: { column: 'browser', level: 'session', description: 'Browser.' },
  browser_version: { column: 'browser_version', level: 'session', description: 'Browser version.' },
  platform: { column: 'platform', level: 'session', description: '`desktop`, `mobile`, `tablet` or `unknown`.' },
  screen_class: {
    column: 'screen_class',
    level: 'session',
    description: 'Screen class: `XXL`, `XL`, `L`, `M`, `S`, `XS`.',
  },
  utm_source: { column: 'utm_source', level: 'session', description: 'UTM source.' },
  utm_medium: { column: 'utm_medium', level: 'session', description: 'UTM medium.' },
  utm_campaign: { column: 'utm_campaign', level: 'session', description: 'UTM campaign.' },
  utm_content: { column: 'utm_content', level: 'session', description: 'UTM content.' },
  utm_term: { column: 'utm_term', level: 'session', description: 'UTM term.' },
  tag: { column: 'tag_keys', level: 'page', description: 'Page views carrying this tag key.' },
} as const satisfies Record<string, { column: string; level: FieldLevel; description: string }>;

export type FilterField = keyof typeof FILTER_FIELDS;
export const FILTER_FIELD_NAMES = Object.keys(FILTER_FIELDS) as FilterField[];

/** Dynamic keys: `tag_<key>=<value>` on page views, `meta_<key>` / `event_meta_<key>` on events. */
export const TAG_PREFIX = 'tag_';
export const META_PREFIXES = ['meta_', 'event_meta_'] as const;
