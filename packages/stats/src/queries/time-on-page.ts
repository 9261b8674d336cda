import { filterConditions, splitPageConditions, whereFor, type Conditions, type Scope } from '../sql/conditions.ts';

/**
 * Page views with the seconds spent on them. A page view's own `duration_seconds` is the time on
 * the page before it (known only when it arrived), so the time on page P is the next page view's
 * `duration_seconds` in the same visit; the last page of a visit has none (NULL).
 *
 * The window runs over every page view of the visit; page conditions (path, pattern, tags) are
 * applied afterwards, or the "next page" would be the next matching one. Only pages with a time
 * above zero count, as in Pirsch: a reload within the same second is not time spent.
 */
export function pageViewsWithTime(scope: Scope, filter: Conditions): { from: string; where: string[] } {
  const { page, rest } = splitPageConditions(filter);
  const from = `(SELECT *, leadInFrame(toNullable(duration_seconds))
      OVER (PARTITION BY visitor_id, session_id ORDER BY time ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS time_on_page
    FROM page_view WHERE ${whereFor('page_view', scope, rest)})`;
  return { from, where: ['time_on_page > 0', ...filterConditions('page_view', scope, page)] };
}

/** Rounded average in whole seconds, 0 for none (Pirsch's integer field). */
export const averageSeconds = (expr: string) => `toUInt64(round(ifNotFinite(coalesce(avg(${expr}), 0), 0)))`;
