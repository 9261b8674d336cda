import { FILTER_FIELDS, type FieldLevel, type FilterField } from '../filter/filter-fields.ts';
import { localDate } from '../filter/period.ts';
import type { StatsFilter } from '../filter/stats-filter.ts';
import { isNegative, negate, type ValueCondition } from '../filter/value-syntax.ts';
import type { QueryParams } from './query-params.ts';

/**
 * The one SQL builder for filters: turns the filter model into WHERE conditions for rows of
 * `session`, `page_view` or `event`. A condition on a column the table has is applied directly;
 * one that lives elsewhere (an event name when counting page views, an exit page when counting
 * events, ...) becomes a semi-join on the visit `(visitor_id, session_id)`.
 */
export type Table = 'session' | 'page_view' | 'event';
export type Conditions = Pick<StatsFilter, 'fields' | 'tags' | 'meta'>;

/**
 * Site, period and parameters of one query. `siteIds` is set for a rollup view only: its member
 * sites replace `siteId` (`site_id IN [...]`), while a single site keeps `site_id = x` and with it
 * the query plans measured for it.
 */
export type Scope = {
  siteId: string;
  siteIds?: readonly number[];
  from: Date;
  to: Date;
  tz: string;
  params: QueryParams;
};

/** Sessions last at most 24 hours: a page view in the period belongs to a session started up to a day earlier. */
export const SESSION_LOOKBACK_MS = 86_400_000;

export function rangeCondition(table: Table, scope: Scope, options: { lookback?: boolean } = {}): string {
  const p = scope.params;
  const column = table === 'session' ? 'start' : 'time';
  const from = options.lookback ? new Date(scope.from.getTime() - SESSION_LOOKBACK_MS) : scope.from;
  const site = scope.siteIds
    ? `site_id IN ${p.add(scope.siteIds, 'Array(UInt64)')}`
    : `site_id = ${p.add(scope.siteId, 'UInt64')}`;
  // The tables are sorted by (site_id, toDate(time or start), …), but ClickHouse derives no day range
  // from a comparison of the DateTime64 column itself: without day conditions (UTC days, as the
  // columns' time zone) every statement read whole monthly partitions, whatever its period (a day's
  // page views: 800 granules of a month instead of 42). Each costs a comparison per row read (a
  // period's totals 150 → 163 ms with both, at 4M visits), so the last day is named only for a
  // period that has ended: nothing is stored after now.
  const days = [`toDate(${column}) >= ${p.add(localDate(from, 'UTC'), 'Date')}`];
  if (scope.to.getTime() <= Date.now()) {
    const lastDay = new Date(Math.max(from.getTime(), scope.to.getTime() - 1));
    days.push(`toDate(${column}) <= ${p.add(localDate(lastDay, 'UTC'), 'Date')}`);
  }
  return `${site} AND ${days.join(' AND ')} AND ${column} >= ${p.add(from, 'DateTime64(3)')} AND ${column} < ${p.add(scope.to, 'DateTime64(3)')}`;
}

/** Levels each table holds itself; the others are reached through a semi-join. */
const DIRECT: Record<Table, FieldLevel[]> = {
  session: ['session', 'entry'],
  page_view: ['session', 'page'],
  event: ['session', 'event'],
};

type Entry = { field: FilterField | 'tag_value' | 'meta_value'; key?: string; conditions: ValueCondition[] };

function entriesOf(c: Conditions): Entry[] {
  return [
    ...(Object.entries(c.fields) as [FilterField, ValueCondition[]][]).map(([field, conditions]) => ({
      field,
      conditions,
    })),
    ...Object.entries(c.tags).map(([key, conditions]) => ({ field: 'tag_value' as const, key, conditions })),
    ...Object.entries(c.meta).map(([key, conditions]) => ({ field: 'meta_value' as const, key, conditions })),
  ];
}

function levelOf(e: Entry): FieldLevel {
  if (e.field === 'tag_value') return 'page';
  if (e.field === 'meta_value') return 'event';
  return FILTER_FIELDS[e.field].level;
}

/** Events carry the page path they fired on (but not the page's tags). */
const isDirect = (table: Table, e: Entry) =>
  DIRECT[table].includes(levelOf(e)) || (table === 'event' && (e.field === 'path' || e.field === 'pattern'));

/** Conditions of `filter` on rows of `table` in the period, joined with AND (no leading WHERE). */
export function whereFor(table: Table, scope: Scope, filter: Conditions, options: { lookback?: boolean } = {}): string {
  return [rangeCondition(table, scope, options), ...filterConditions(table, scope, filter)].join(' AND ');
}

/** Only the filter's conditions (direct and semi-joins) for rows of `table`. */
export function filterConditions(table: Table, scope: Scope, filter: Conditions): string[] {
  const entries = entriesOf(filter);
  const out = entries.filter((e) => isDirect(table, e)).map((e) => entrySql(e, scope.params));
  const missing = entries.filter((e) => !isDirect(table, e));
  const byLevel = (levels: FieldLevel[]) => missing.filter((e) => levels.includes(levelOf(e)));
  const sessionSide = byLevel(['entry', 'exit']);
  if (sessionSide.length) out.push(`(visitor_id, session_id) IN (${visitsWhere(scope, sessionSide)})`);
  const pageSide = byLevel(['page']);
  if (pageSide.length)
    out.push(
      `(visitor_id, session_id) IN (SELECT visitor_id, session_id FROM page_view WHERE ${rangeCondition('page_view', scope)} AND ${pageSide.map((e) => entrySql(e, scope.params)).join(' AND ')})`,
    );
  const eventSide = byLevel(['event']);
  if (eventSide.length) out.push(eventSemiJoin(scope, eventSide));
  return out;
}

/** Visits (sessions) whose entry/exit page matches: exit pages change as a visit goes on, so the latest state decides. */
function visitsWhere(scope: Scope, entries: Entry[]): string {
  const entry = entries.filter((e) => e.field === 'entry_path').map((e) => entrySql(e, scope.params));
  const exit = entries
    .filter((e) => e.field === 'exit_path')
    .map((e) => entrySql(e, scope.params, 'argMax(exit_path, version)'));
  return `SELECT visitor_id, session_id FROM session WHERE ${[rangeCondition('session', scope, { lookback: true }), ...entry].join(' AND ')}
    GROUP BY visitor_id, session_id HAVING ${['sum(sign) > 0', ...exit].join(' AND ')}`;
}

/**
 * Visits with a matching event. Only negated event names ("event=!Signup") mean visits without
 * such an event at all, rather than visits with some other event.
 */
function eventSemiJoin(scope: Scope, entries: Entry[]): string {
  const onlyNegatedNames = entries.every((e) => e.field === 'event' && e.conditions.every(isNegative));
  const range = rangeCondition('event', scope);
  if (onlyNegatedNames) {
    const any = entries.flatMap((e) => e.conditions.map((c) => conditionSql('event_name', negate(c), scope.params)));
    return `(visitor_id, session_id) NOT IN (SELECT visitor_id, session_id FROM event WHERE ${range} AND (${any.join(' OR ')}))`;
  }
  return `(visitor_id, session_id) IN (SELECT visitor_id, session_id FROM event WHERE ${range} AND ${entries.map((e) => entrySql(e, scope.params)).join(' AND ')})`;
}

function entrySql(e: Entry, params: QueryParams, column?: string): string {
  if (e.field === 'tag_value' || e.field === 'meta_value') {
    const [keys, vals] =
      e.field === 'tag_value' ? ['tag_keys', 'tag_values'] : ['event_meta_keys', 'event_meta_values'];
    return combine(
      e.conditions.map((c) => conditionSql(`${vals}[indexOf(${keys}, ${params.add(e.key, 'String')})]`, c, params)),
      e.conditions,
    );
  }
  const col = column ?? FILTER_FIELDS[e.field].column;
  if (e.field === 'tag' || e.field === 'event_meta_key') {
    return combine(
      e.conditions.map((c) => arrayConditionSql(col, c, params)),
      e.conditions,
    );
  }
  if (e.field === 'pattern') {
    return combine(
      e.conditions.map((c) => `${isNegative(c) ? 'NOT ' : ''}match(${col}, ${params.add(c.value, 'String')})`),
      e.conditions,
    );
  }
  // Country codes are stored upper case (`DE`); Pirsch clients send them lower case (`de`).
  const conditions =
    e.field === 'country' ? e.conditions.map((c) => ({ ...c, value: c.value.toUpperCase() })) : e.conditions;
  return combine(
    conditions.map((c) => conditionSql(col, c, params)),
    conditions,
  );
}

/** Alternatives OR, exclusions AND: `(a OR b) AND NOT c AND NOT d`. */
function combine(sql: string[], conditions: ValueCondition[]): string {
  const positive = sql.filter((_, i) => !isNegative(conditions[i]!));
  const negative = sql.filter((_, i) => isNegative(conditions[i]!));
  const parts = [...(positive.length ? [`(${positive.join(' OR ')})`] : []), ...negative];
  return `(${parts.join(' AND ')})`;
}

export function conditionSql(column: string, c: ValueCondition, params: QueryParams): string {
  const value = params.add(c.value, 'String');
  switch (c.op) {
    case 'eq':
      return `${column} = ${value}`;
    case 'neq':
      return `${column} != ${value}`;
    case 'contains':
      return `positionCaseInsensitiveUTF8(${column}, ${value}) > 0`;
    case 'not_contains':
      return `positionCaseInsensitiveUTF8(${column}, ${value}) = 0`;
  }
}

function arrayConditionSql(column: string, c: ValueCondition, params: QueryParams): string {
  const value = params.add(c.value, 'String');
  const found =
    c.op === 'eq' || c.op === 'neq'
      ? `has(${column}, ${value})`
      : `arrayExists(k -> positionCaseInsensitiveUTF8(k, ${value}) > 0, ${column})`;
  return isNegative(c) ? `NOT ${found}` : found;
}

/** Whether rows of page views must be counted (a page-level condition is set) rather than visits. */
export function hasPageConditions(filter: Conditions): boolean {
  return entriesOf(filter).some((e) => levelOf(e) === 'page');
}

/** Whether a condition reads a page view's own tags (`tag`, `tag_<key>`). */
export function hasTagConditions(filter: Conditions): boolean {
  return filter.fields.tag !== undefined || Object.keys(filter.tags).length > 0;
}

/** The page-level conditions (path, pattern, tag, tag_*) apart from the rest. */
export function splitPageConditions(filter: Conditions): { page: Conditions; rest: Conditions } {
  const page: Conditions = { fields: {}, tags: filter.tags, meta: {} };
  const rest: Conditions = { fields: {}, tags: {}, meta: filter.meta };
  for (const [field, conditions] of Object.entries(filter.fields) as [FilterField, ValueCondition[]][]) {
    (FILTER_FIELDS[field].level === 'page' ? page : rest).fields[field] = conditions;
  }
  return { page, rest };
}
