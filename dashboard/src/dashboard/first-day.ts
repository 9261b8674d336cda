import { statsApi } from '../api/stats.api.ts';
import type { VisitorPoint } from '../api/stats.schemas.ts';
import { addDays, addMonths, type IsoDate } from '../query/dates.ts';

const EARLIEST = '2000-01-01';
const firstWith = (points: VisitorPoint[], key: 'year' | 'month' | 'day') =>
  points.find((p) => p.visitors > 0)?.[key]?.slice(0, 10);

/**
 * The first day with any visitor, for "All time": imported or backfilled data can be older than
 * the site. Narrowed year → month → day with three small series instead of one long daily one.
 */
export async function firstDataDay(
  site: { id: string; timezone: string },
  today: IsoDate,
  signal?: AbortSignal,
): Promise<IsoDate | undefined> {
  const series = (from: IsoDate, to: IsoDate, scale: 'year' | 'month' | 'day') =>
    statsApi.visitors({ id: site.id, tz: site.timezone, from, to: to < today ? to : today, scale }, signal);
  const year = firstWith(await series(EARLIEST, today, 'year'), 'year');
  if (!year) return undefined;
  const month = firstWith(await series(year, addDays(addMonths(year, 12), -1), 'month'), 'month');
  if (!month) return year;
  return firstWith(await series(month, addDays(addMonths(month, 1), -1), 'day'), 'day') ?? month;
}
