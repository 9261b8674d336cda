import { z } from 'zod';
import type { StatsContext } from '../context.ts';
import { bucketedMetrics } from './bucketed.ts';
import { EMPTY_METRICS, metricFields, SERIES_FIELDS } from './metric-fields.ts';

/**
 * `GET /statistics/hours`, `/minutes`, `/weekdays`: when visitors come, by the local time of their
 * page views. Every hour (minute, weekday × hour) is present, zero when nobody came.
 */
export const hourSchema = z.object({ hour: z.number(), ...SERIES_FIELDS });
export const minuteSchema = z.object({ minute: z.number(), ...SERIES_FIELDS });
export const weekdaySchema = z.object({
  weekday: z.number().meta({ description: 'Monday = 0 … Sunday = 6' }),
  hour: z.number(),
  ...metricFields('visitors', 'views', 'sessions', 'bounces'),
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export async function hourStats(ctx: StatsContext) {
  const buckets = await bucketedMetrics(ctx, {
    name: 'hours',
    base: 'page_view',
    key: (c, s) => `toHour(${c}, ${s.params.add(ctx.tz, 'String')})`,
  });
  return range(24).map((hour) => ({ hour, ...(buckets.get(String(hour)) ?? EMPTY_METRICS) }));
}

export async function minuteStats(ctx: StatsContext) {
  const buckets = await bucketedMetrics(ctx, {
    name: 'minutes',
    base: 'page_view',
    key: (c, s) => `toMinute(${c}, ${s.params.add(ctx.tz, 'String')})`,
  });
  return range(60).map((minute) => ({ minute, ...(buckets.get(String(minute)) ?? EMPTY_METRICS) }));
}

export async function weekdayStats(ctx: StatsContext) {
  const buckets = await bucketedMetrics(ctx, {
    name: 'weekdays',
    base: 'page_view',
    // One number per weekday-hour (Monday 0:00 = 0 … Sunday 23:00 = 167): grouping a million page
    // views by a number, not a string built for every row, saves 5-10 % of this query's CPU.
    key: (c, s) => {
      const zone = s.params.add(ctx.tz, 'String');
      return `(toDayOfWeek(${c}, 0, ${zone}) - 1) * 24 + toHour(${c}, ${zone})`;
    },
  });
  return range(7).flatMap((weekday) =>
    range(24).map((hour) => {
      const b = buckets.get(String(weekday * 24 + hour)) ?? EMPTY_METRICS;
      return { weekday, hour, visitors: b.visitors, views: b.views, sessions: b.sessions, bounces: b.bounces };
    }),
  );
}
