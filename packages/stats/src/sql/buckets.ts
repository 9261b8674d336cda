import { badParam } from '../errors.ts';
import { bucketsOf, type Period, type Scale } from '../filter/period.ts';
import type { QueryParams } from './query-params.ts';

/** The local calendar bucket of a UTC time column: day, week (from Monday), month or year. */
export function bucketSql(scale: Scale, column: string, tz: string, params: QueryParams): string {
  const zone = params.add(tz, 'String');
  switch (scale) {
    case 'day':
      return `toDate(${column}, ${zone})`;
    case 'week':
      return `toStartOfWeek(${column}, 1, ${zone})`;
    case 'month':
      return `toStartOfMonth(${column}, ${zone})`;
    case 'year':
      return `toStartOfYear(${column}, ${zone})`;
  }
}

/** Pirsch's wire format for a bucket: midnight of the calendar day, written as UTC. */
export const bucketTimestamp = (date: string): string => `${date}T00:00:00Z`;

/** `{ day, week, month, year }` with only the requested scale set, as Pirsch answers. */
export function bucketFields(scale: Scale, date: string) {
  return {
    day: scale === 'day' ? bucketTimestamp(date) : null,
    week: scale === 'week' ? bucketTimestamp(date) : null,
    month: scale === 'month' ? bucketTimestamp(date) : null,
    year: scale === 'year' ? bucketTimestamp(date) : null,
  };
}

/** A series answers one row per bucket; ten years of days is the most one request may ask for. */
export const MAX_BUCKETS = 3_660;

export function seriesBuckets(period: Pick<Period, 'fromDate' | 'toDate'>, scale: Scale): string[] {
  const buckets = bucketsOf(period, scale);
  if (buckets.length > MAX_BUCKETS)
    throw badParam(
      'scale',
      `${buckets.length} ${scale}s are too many for one series (at most ${MAX_BUCKETS}); use a larger scale`,
    );
  return buckets;
}
