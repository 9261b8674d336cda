import { addDays, addMonths, daysInRange, formatDay, startOfMonth, startOfYear, type IsoDate } from './dates.ts';

export const PERIODS = [
  'today',
  'yesterday',
  '7d',
  '30d',
  'month',
  'last-month',
  '3m',
  '6m',
  '12m',
  'year',
  'all',
  'custom',
] as const;
export type Period = (typeof PERIODS)[number];

export const PERIOD_LABELS: Record<Period, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  'last-month': 'Last month',
  '3m': 'Last 3 months',
  '6m': 'Last 6 months',
  '12m': 'Last 12 months',
  year: 'This year',
  all: 'All time',
  custom: 'Custom range',
};

export const COMPARISONS = ['previous', 'year', 'custom', 'off'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const COMPARISON_LABELS: Record<Comparison, string> = {
  previous: 'Previous period',
  year: 'Previous year',
  custom: 'Custom period',
  off: 'No comparison',
};

export const SCALES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Scale = (typeof SCALES)[number];

export type DateRange = { from: IsoDate; to: IsoDate };

/**
 * The days a period covers, `today` being today in the site's time zone. "Last N days" include
 * today, like Pirsch's; "all time" starts at the site's creation (or its first data, when known).
 */
export function resolvePeriod(
  period: Period,
  today: IsoDate,
  options: { custom?: DateRange; start?: IsoDate } = {},
): DateRange {
  const months = (n: number) => ({ from: addDays(addMonths(today, -n), 1), to: today });
  switch (period) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return { from: startOfMonth(today), to: today };
    case 'last-month': {
      const from = startOfMonth(addMonths(startOfMonth(today), -1));
      return { from, to: addDays(startOfMonth(today), -1) };
    }
    case '3m':
      return months(3);
    case '6m':
      return months(6);
    case '12m':
      return months(12);
    case 'year':
      return { from: startOfYear(today), to: today };
    case 'all':
      return { from: options.start && options.start <= today ? options.start : addDays(today, -29), to: today };
    case 'custom':
      return options.custom ?? { from: addDays(today, -29), to: today };
  }
}

/** The period the current one is compared with; `undefined` when comparison is off. */
export function comparisonRange(range: DateRange, comparison: Comparison, custom?: DateRange): DateRange | undefined {
  switch (comparison) {
    case 'off':
      return undefined;
    case 'previous': {
      const length = daysInRange(range.from, range.to);
      return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
    }
    case 'year':
      return { from: addMonths(range.from, -12), to: addMonths(range.to, -12) };
    case 'custom':
      return custom;
  }
}

/** A sensible number of points for the main chart: hours for one day, months beyond a year. */
export function defaultScale(range: DateRange): Scale {
  const days = daysInRange(range.from, range.to);
  if (days <= 1) return 'hour';
  if (days <= 92) return 'day';
  if (days <= 400) return 'week';
  return 'month';
}

/** The scales that make sense for a range (hours only for one day; no single-point charts). */
export function scalesFor(range: DateRange): Scale[] {
  const days = daysInRange(range.from, range.to);
  if (days <= 1) return ['hour'];
  return SCALES.filter(
    (s) =>
      s !== 'hour' &&
      (s === 'day' || (s === 'week' && days > 13) || (s === 'month' && days > 59) || (s === 'year' && days > 730)),
  );
}

export function describeRange(range: DateRange, today: IsoDate): string {
  return range.from === range.to
    ? formatDay(range.from, today)
    : `${formatDay(range.from, today)} – ${formatDay(range.to, today)}`;
}
