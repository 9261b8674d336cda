import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstDataDay } from './first-day.ts';

afterEach(() => vi.unstubAllGlobals());

describe('first day with data', () => {
  it('when data starts mid-year, then year, month and day narrow it down to that day', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const q = new URL(input, 'http://x').searchParams;
        asked.push(`${q.get('scale')} ${q.get('from')} ${q.get('to')}`);
        const point = (key: string, date: string, visitors: number) => ({
          [key]: date,
          visitors,
          views: 0,
          sessions: 0,
          bounces: 0,
          bounce_rate: 0,
        });
        const body =
          q.get('scale') === 'year'
            ? [point('year', '2024-01-01', 0), point('year', '2025-01-01', 5), point('year', '2026-01-01', 9)]
            : q.get('scale') === 'month'
              ? [point('month', '2025-01-01', 0), point('month', '2025-08-01', 5)]
              : [point('day', '2025-08-01', 0), point('day', '2025-08-26', 2)];
        return new Response(JSON.stringify(body));
      }),
    );
    expect(await firstDataDay({ id: '1', timezone: 'UTC' }, '2026-03-31')).toBe('2025-08-26');
    expect(asked).toEqual(['year 2000-01-01 2026-03-31', 'month 2025-01-01 2025-12-31', 'day 2025-08-01 2025-08-31']);
  });

  it('when there is no data at all, then there is no first day', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify([{ year: '2026-01-01', visitors: 0 }]))),
    );
    expect(await firstDataDay({ id: '1', timezone: 'UTC' }, '2026-03-31')).toBeUndefined();
  });
});
