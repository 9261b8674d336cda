import { describe, expect, it } from 'vitest';
import { hourSeries, timeSeries } from './chart-data.ts';
import { averageSessionSeconds } from './kpis.ts';

const point = (day: string, visitors: number, sessions = visitors) => ({
  day,
  visitors,
  views: visitors * 2,
  sessions,
  bounces: 0,
  bounce_rate: 0.5,
});

describe('chart data', () => {
  it('when the comparison period is shorter, then its points line up by position and missing ones are gaps', () => {
    const s = timeSeries([point('2026-03-01', 3), point('2026-03-02', 5)], [point('2026-02-27', 4)], 'views', 'day');
    expect(s).toEqual({
      labels: ['2026-03-01', '2026-03-02'],
      x: [Date.UTC(2026, 2, 1) / 1000, Date.UTC(2026, 2, 2) / 1000],
      current: [6, 10],
      previous: [8, null],
      previousLabels: ['2026-02-27', ''],
    });
  });

  it('when today is charted by hour, then hours still to come have no point and absent hours count 0', () => {
    const s = hourSeries(
      [{ hour: 1, visitors: 4, views: 0, sessions: 0, bounces: 0, bounce_rate: 0 }],
      undefined,
      'visitors',
      2,
    );
    expect(s.current).toEqual([0, 4, 0, ...Array.from({ length: 21 }, () => null)]);
    expect(s.labels[13]).toBe('13:00');
  });

  it('when a period spans one bucket, then its session duration is that bucket’s; across buckets each weighs by its sessions', () => {
    expect(averageSessionSeconds([{ year: '2026-01-01', average_time_spent_seconds: 70 }], [])).toBe(70);
    const years = [
      { year: '2025-01-01', average_time_spent_seconds: 60 },
      { year: '2026-01-01', average_time_spent_seconds: 120 },
    ];
    const sessions = [
      { ...point('', 0, 3), year: '2025-01-01' },
      { ...point('', 0, 1), year: '2026-01-01' },
    ];
    expect(averageSessionSeconds(years, sessions)).toBe(75);
  });
});
