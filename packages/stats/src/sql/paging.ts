import { badParam } from '../errors.ts';
import type { StatsFilter } from '../filter/stats-filter.ts';
import type { QueryParams } from './query-params.ts';

/**
 * ORDER BY / LIMIT / OFFSET from `sort`, `direction`, `limit` and `offset`. `sort` must name one
 * of the result fields the endpoint allows; the SQL spliced in is the endpoint's own expression
 * for it, never the caller's text. The default order breaks ties so pages are stable.
 */
export function orderAndPage(
  filter: Pick<StatsFilter, 'sort' | 'direction' | 'limit' | 'offset'>,
  params: QueryParams,
  sortable: Record<string, string>,
  defaults: string[],
): string {
  return `ORDER BY ${orderOf(filter, sortable, defaults).join(', ')} LIMIT ${params.add(filter.limit, 'UInt32')} OFFSET ${params.add(filter.offset, 'UInt32')}`;
}

/** The ORDER BY expressions of orderAndPage. */
export function orderOf(
  filter: Pick<StatsFilter, 'sort' | 'direction'>,
  sortable: Record<string, string>,
  defaults: string[],
): string[] {
  const order = [...defaults];
  if (filter.sort !== undefined) {
    // Own keys only: `sort=constructor` found Object.prototype's function and its text reached ORDER BY.
    const expr = Object.hasOwn(sortable, filter.sort) ? sortable[filter.sort] : undefined;
    if (!expr) throw badParam('sort', `must be one of ${Object.keys(sortable).join(', ')}`);
    order.unshift(`${expr} ${filter.direction === 'asc' ? 'ASC' : 'DESC'}`);
  } else if (filter.direction && order[0]) {
    order[0] = order[0].replace(/ (ASC|DESC)$/, filter.direction === 'asc' ? ' ASC' : ' DESC');
  }
  return order;
}

/** `search`: the primary column must contain the text (case-insensitive). */
export function searchCondition(expr: string, filter: Pick<StatsFilter, 'search'>, params: QueryParams): string[] {
  return filter.search ? [`positionCaseInsensitiveUTF8(${expr}, ${params.add(filter.search, 'String')}) > 0`] : [];
}
