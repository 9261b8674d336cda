import type { HourPoint, VisitorPoint } from '../api/stats.schemas.ts';
import type { Metric } from '../query/dashboard-query.ts';
import type { Scale } from '../query/date-range.ts';

export type Series = {
  labels: string[];
  x: number[];
  current: (number | null)[];
  previous?: (number | null)[];
  previousLabels?: string[];
};

const bucket = (p: VisitorPoint, scale: Scale) => String(p[scale as 'day'] ?? p.day ?? '').slice(0, 10);

/**
 * The main chart's points. Dates become UTC midnights (the API already bucketed them in the site's
 * zone; the chart only has to print the calendar day). The comparison is aligned by position:
 * day 1 against day 1, so periods of different calendar dates overlay.
 */
export function timeSeries(
  points: VisitorPoint[],
  previous: VisitorPoint[] | undefined,
  metric: Metric,
  scale: Scale,
): Series {
  const labels = points.map((p) => bucket(p, scale));
  return {
    labels,
    x: labels.map((d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 1000),
    current: points.map((p) => p[metric]),
    ...(previous
      ? {
          previous: labels.map((_, i) => previous[i]?.[metric] ?? null),
          previousLabels: labels.map((_, i) => (previous[i] ? bucket(previous[i], scale) : '')),
        }
      : {}),
  };
}

/** One day by hour: 24 points, hours without data count 0; hours after `lastHour` (later today) have no point. */
export function hourSeries(
  points: HourPoint[],
  previous: HourPoint[] | undefined,
  metric: Metric,
  lastHour = 23,
): Series {
  const byHour = (list: HourPoint[]) => {
    const values: number[] = Array.from({ length: 24 }, () => 0);
    for (const p of list) if (p.hour >= 0 && p.hour < 24) values[p.hour] = p[metric];
    return values;
  };
  const x = Array.from({ length: 24 }, (_, h) => h);
  return {
    labels: x.map((h) => `${String(h).padStart(2, '0')}:00`),
    x,
    current: byHour(points).map((v, h) => (h > lastHour ? null : v)),
    ...(previous ? { previous: byHour(previous) } : {}),
  };
}
