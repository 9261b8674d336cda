/**
 * Which report periods are due at an instant. The fan-out runs every hour on the hour (UTC) and
 * asks each site's zone for its wall clock: a report is due when it is 09:xx there (so zones
 * with half-hour offsets and both DST changes are right), daily every day, weekly on Monday,
 * monthly on the 1st, covering the finished day, Monday–Sunday week or calendar month.
 */
export type ReportInterval = 'daily' | 'weekly' | 'monthly';
export type ReportPeriod = {
  interval: ReportInterval;
  /** Calendar days in the site's zone, inclusive. */
  from: string;
  to: string;
  /** The period it is compared with: the day, week or calendar month before. */
  previousFrom: string;
  previousTo: string;
};

export const SEND_HOUR = 9;

const DAY_MS = 86_400_000;
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date, hour and ISO weekday (Monday = 1) in `tz` at `instant`. */
export function wallClock(instant: Date, tz: string): { date: string; hour: number; weekday: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  return { date, hour: Number(p.hour), weekday };
}

const monthStart = (date: string) => `${date.slice(0, 8)}01`;

/** The period a report of `interval` covers when sent at `instant` in `tz`, or undefined if none is due. */
export function duePeriod(interval: ReportInterval, instant: Date, tz: string): ReportPeriod | undefined {
  const { date, hour, weekday } = wallClock(instant, tz);
  if (hour !== SEND_HOUR) return undefined;
  return finishedPeriod(interval, date, weekday);
}

/** The finished period before local `date` (undefined if `date` is not a sending day for `interval`). */
export function finishedPeriod(interval: ReportInterval, date: string, weekday: number): ReportPeriod | undefined {
  if (interval === 'daily') {
    const day = addDays(date, -1);
    return { interval, from: day, to: day, previousFrom: addDays(day, -1), previousTo: addDays(day, -1) };
  }
  if (interval === 'weekly') {
    if (weekday !== 1) return undefined;
    const from = addDays(date, -7);
    return { interval, from, to: addDays(date, -1), previousFrom: addDays(from, -7), previousTo: addDays(from, -1) };
  }
  if (date.slice(8) !== '01') return undefined;
  const to = addDays(date, -1);
  const previousTo = addDays(monthStart(to), -1);
  return { interval, from: monthStart(to), to, previousFrom: monthStart(previousTo), previousTo };
}

/** Every calendar day of a period, in order. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}
