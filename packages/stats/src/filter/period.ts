/**
 * Calendar periods in a time zone. Requests name whole days (`from`..`to`, inclusive) in the
 * site's or the request's time zone; ClickHouse stores UTC. A day in a DST zone is 23 or 25 hours
 * long, so boundaries are computed per day from the zone's rules, never as "midnight + 24 h".
 */
export type Scale = 'day' | 'week' | 'month' | 'year';
export type Period = {
  /** First and last calendar day, inclusive, `YYYY-MM-DD`. */
  fromDate: string;
  toDate: string;
  /** The same period as UTC instants: `[from, to)`. */
  from: Date;
  to: Date;
  tz: string;
};

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock time in `tz` at `instant`, expressed as if it were UTC (ms). */
function wallClock(instant: number, tz: string): number {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The calendar day in `tz` at `instant`. */
export function localDate(instant: Date, tz: string): string {
  return new Date(wallClock(instant.getTime(), tz)).toISOString().slice(0, 10);
}

/**
 * The first instant of a calendar day in `tz`. Where a DST change skips midnight (clocks jump
 * from 23:59:59 to 01:00), the day starts at the jump.
 */
export function startOfDay(date: string, tz: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let instant = wall;
  for (let i = 0; i < 3; i++) instant = wall - (wallClock(instant, tz) - instant);
  const seen = wallClock(instant, tz);
  // Midnight did not exist: we landed on the previous evening; the day begins where the gap ends.
  if (seen < wall) instant += wall - seen;
  return new Date(instant);
}

export function resolvePeriod(fromDate: string, toDate: string, tz: string): Period {
  return { fromDate, toDate, tz, from: startOfDay(fromDate, tz), to: startOfDay(addDays(toDate, 1), tz) };
}

/** The period of equal length right before this one (growth compares against it). */
export function previousPeriod(period: Period): Period {
  const days = daysBetween(period.fromDate, period.toDate) + 1;
  return resolvePeriod(addDays(period.fromDate, -days), addDays(period.fromDate, -1), period.tz);
}

/** The bucket a calendar day falls in: itself, its week's Monday, its month's or year's first day. */
export function bucketOf(date: string, scale: Scale): string {
  switch (scale) {
    case 'day':
      return date;
    case 'week': {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
      return addDays(date, -weekday);
    }
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
  }
}

/** Every bucket from the one holding `fromDate` to the one holding `toDate`, for gap filling. */
export function bucketsOf(period: Pick<Period, 'fromDate' | 'toDate'>, scale: Scale): string[] {
  const out: string[] = [];
  const last = bucketOf(period.toDate, scale);
  for (let b = bucketOf(period.fromDate, scale); b <= last;) {
    out.push(b);
    if (scale === 'day') b = addDays(b, 1);
    else if (scale === 'week') b = addDays(b, 7);
    else if (scale === 'month') b = bucketOf(addDays(b, 31), 'month');
    else b = `${Number(b.slice(0, 4)) + 1}-01-01`;
  }
  return out;
}
