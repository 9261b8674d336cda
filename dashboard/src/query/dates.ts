/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD). Statistics are asked for by calendar day in the
 * site's time zone, so days are plain strings here and never pass through the browser's zone.
 */
export type IsoDate = string;

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !ISO.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const toDate = (d: IsoDate) => new Date(`${d}T00:00:00Z`);
const fromDate = (d: Date): IsoDate => d.toISOString().slice(0, 10);

export function addDays(day: IsoDate, n: number): IsoDate {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromDate(d);
}

/** Adds calendar months, clamping to the month's last day (Mar 31 − 1 month = Feb 28/29). */
export function addMonths(day: IsoDate, n: number): IsoDate {
  const d = toDate(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return fromDate(target);
}

/** Days from `from` to `to`, both included. */
export function daysInRange(from: IsoDate, to: IsoDate): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000) + 1;
}

export const startOfMonth = (day: IsoDate): IsoDate => `${day.slice(0, 7)}-01`;
export const startOfYear = (day: IsoDate): IsoDate => `${day.slice(0, 4)}-01-01`;

/** Today's date where the site is (the browser may be elsewhere). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      now,
    );
  } catch {
    return fromDate(now);
  }
}

/** "Mar 3" or "Mar 3, 2025" when the year differs from `relativeTo`'s. */
export function formatDay(day: IsoDate, relativeTo?: IsoDate): string {
  const sameYear = relativeTo !== undefined && relativeTo.slice(0, 4) === day.slice(0, 4);
  return toDate(day).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}
