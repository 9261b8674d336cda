/**
 * The dashboard's filters. In the URL and in API requests a filter is the statistics API's own
 * parameter (`referrer_name=Google`), its operator a prefix on the value: `!` is not, `~` contains,
 * `^` does not contain. Several values of one field are ORed, different fields ANDed (issue 4).
 */
export const FILTER_FIELDS = {
  path: 'Page',
  pattern: 'Page pattern',
  entry_path: 'Entry page',
  exit_path: 'Exit page',
  hostname: 'Hostname',
  referrer: 'Referrer URL',
  referrer_name: 'Referrer',
  channel: 'Channel',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_content: 'UTM content',
  utm_term: 'UTM term',
  country: 'Country',
  region: 'Region',
  city: 'City',
  language: 'Language',
  browser: 'Browser',
  browser_version: 'Browser version',
  os: 'Operating system',
  os_version: 'OS version',
  platform: 'Platform',
  screen_class: 'Screen class',
  event: 'Event',
  event_meta_key: 'Event metadata key',
  tag: 'Tag',
} as const;

export type FilterField = keyof typeof FILTER_FIELDS;
export const isFilterField = (key: string): key is FilterField => Object.hasOwn(FILTER_FIELDS, key);

export const OPERATORS = ['is', 'is_not', 'contains', 'not_contains'] as const;
export type Operator = (typeof OPERATORS)[number];
export const OPERATOR_LABELS: Record<Operator, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  not_contains: 'does not contain',
};
const PREFIX: Record<Operator, string> = { is: '', is_not: '!', contains: '~', not_contains: '^' };

/**
 * A regular expression (`pattern`, what page goals filter by) only matches or does not. It starts
 * with `^` more often than not, so the API reads only `!` as an operator there, and so must we.
 */
const REGEX_OPERATORS: readonly Operator[] = ['is', 'is_not'];
const REGEX_LABELS: Partial<Record<Operator, string>> = { is: 'matches', is_not: 'does not match' };

export const operatorsFor = (field: FilterField): readonly Operator[] =>
  field === 'pattern' ? REGEX_OPERATORS : OPERATORS;
export const operatorLabel = (field: FilterField, op: Operator): string =>
  (field === 'pattern' ? REGEX_LABELS[op] : undefined) ?? OPERATOR_LABELS[op];

export type Filter = { field: FilterField; op: Operator; value: string };

export function encodeValue(filter: Pick<Filter, 'op' | 'value'>): string {
  return PREFIX[filter.op] + filter.value;
}

export function decodeValue(raw: string, field?: FilterField): Pick<Filter, 'op' | 'value'> {
  const op = (field ? operatorsFor(field) : OPERATORS).find((o) => PREFIX[o] !== '' && raw.startsWith(PREFIX[o]));
  return op ? { op, value: raw.slice(1) } : { op: 'is', value: raw };
}

type QueryValue = string | null | undefined | (string | null)[];

/** Filters named in a URL query (unknown keys and empty values are ignored). */
export function filtersFromQuery(query: Record<string, QueryValue>): Filter[] {
  const filters: Filter[] = [];
  for (const field of Object.keys(FILTER_FIELDS) as FilterField[]) {
    const raw = query[field];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v.length > 0);
    for (const value of values) {
      const decoded = decodeValue(value, field);
      if (decoded.value !== '') filters.push({ field, ...decoded });
    }
  }
  return filters;
}

/** URL query / API parameters for filters: one key per field, repeated values in order. */
export function filtersToParams(filters: readonly Filter[]): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const f of filters) (params[f.field] ??= []).push(encodeValue(f));
  return params;
}

const same = (a: Filter, b: Filter) => a.field === b.field && a.op === b.op && a.value === b.value;

/**
 * Adds a filter. Clicking a row ("is") replaces an existing "is" on that field (the dashboard
 * drills down rather than ORing); other operators accumulate. Duplicates are not added twice.
 */
export function addFilter(filters: readonly Filter[], filter: Filter): Filter[] {
  if (filters.some((f) => same(f, filter))) return [...filters];
  const kept = filter.op === 'is' ? filters.filter((f) => !(f.field === filter.field && f.op === 'is')) : [...filters];
  return [...kept, filter];
}

export function removeFilter(filters: readonly Filter[], filter: Filter): Filter[] {
  return filters.filter((f) => !same(f, filter));
}

export function describeFilter(filter: Filter): string {
  return `${FILTER_FIELDS[filter.field]} ${operatorLabel(filter.field, filter.op)} ${filter.value}`;
}
