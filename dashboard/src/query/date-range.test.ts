import { describe, expect, it } from 'vitest';
import { comparisonRange, defaultScale, describeRange, resolvePeriod, scalesFor } from './date-range.ts';
import { addMonths, daysInRange, todayIn } from './dates.ts';

describe('date ranges', () => {
  const today = '2026-03-31';

  it('when a preset is chosen, then it covers exactly these days (today included)', () => {
    expect(resolvePeriod('today', today)).toEqual({ from: '2026-03-31', to: '2026-03-31' });
    expect(resolvePeriod('yesterday', today)).toEqual({ from: '2026-03-30', to: '2026-03-30' });
    expect(resolvePeriod('7d', today)).toEqual({ from: '2026-03-25', to: '2026-03-31' });
    expect(resolvePeriod('30d', today)).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(resolvePeriod('month', today)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(resolvePeriod('last-month', today)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolvePeriod('3m', today)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(resolvePeriod('6m', today)).toEqual({ from: '2025-10-01', to: '2026-03-31' });
    expect(resolvePeriod('12m', today)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(resolvePeriod('year', today)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('when last month is asked in January, then it is December of the year before', () => {
    expect(resolvePeriod('last-month', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('when all time is asked, then it starts at the site start, never after today', () => {
    expect(resolvePeriod('all', today, { start: '2025-07-14' })).toEqual({ from: '2025-07-14', to: today });
    expect(resolvePeriod('all', today, { start: '2027-01-01' })).toEqual({ from: '2026-03-02', to: today });
  });

  it('when a custom range is given, then it is used as is', () => {
    expect(resolvePeriod('custom', today, { custom: { from: '2024-02-10', to: '2024-02-12' } })).toEqual({
      from: '2024-02-10',
      to: '2024-02-12',
    });
  });

  it('when months are subtracted from a 31st, then the day clamps to the shorter month (leap years too)', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
  });

  it('when today is computed, then it is the date in the site time zone, not the browser one', () => {
    const instant = new Date('2026-06-30T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-06-30');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-07-01');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-06-30');
  });
});

describe('comparisons', () => {
  it('when the previous period is chosen, then it is the same number of days right before', () => {
    expect(comparisonRange({ from: '2026-03-25', to: '2026-03-31' }, 'previous')).toEqual({
      from: '2026-03-18',
      to: '2026-03-24',
    });
    expect(comparisonRange({ from: '2026-03-01', to: '2026-03-01' }, 'previous')).toEqual({
      from: '2026-02-28',
      to: '2026-02-28',
    });
    const prev = comparisonRange({ from: '2026-01-01', to: '2026-03-31' }, 'previous')!;
    expect(prev).toEqual({ from: '2025-10-03', to: '2025-12-31' });
    expect(daysInRange(prev.from, prev.to)).toBe(90);
  });

  it('when the previous year is chosen, then the same dates a year earlier are compared (Feb 29 → Feb 28)', () => {
    expect(comparisonRange({ from: '2026-03-02', to: '2026-03-31' }, 'year')).toEqual({
      from: '2025-03-02',
      to: '2025-03-31',
    });
    expect(comparisonRange({ from: '2024-02-29', to: '2024-02-29' }, 'year')).toEqual({
      from: '2023-02-28',
      to: '2023-02-28',
    });
  });

  it('when a custom comparison or none is chosen, then that is what comes back', () => {
    const custom = { from: '2025-01-01', to: '2025-01-07' };
    expect(comparisonRange({ from: '2026-03-25', to: '2026-03-31' }, 'custom', custom)).toEqual(custom);
    expect(comparisonRange({ from: '2026-03-25', to: '2026-03-31' }, 'off')).toBeUndefined();
  });
});

describe('scales', () => {
  it('when the range is one day, then the chart is by hour; longer ranges get coarser points', () => {
    expect(defaultScale({ from: '2026-03-31', to: '2026-03-31' })).toBe('hour');
    expect(defaultScale({ from: '2026-03-02', to: '2026-03-31' })).toBe('day');
    expect(defaultScale({ from: '2025-10-01', to: '2026-03-31' })).toBe('week');
    expect(defaultScale({ from: '2023-01-01', to: '2026-03-31' })).toBe('month');
    expect(scalesFor({ from: '2026-03-31', to: '2026-03-31' })).toEqual(['hour']);
    expect(scalesFor({ from: '2026-03-25', to: '2026-03-31' })).toEqual(['day']);
    expect(scalesFor({ from: '2025-04-01', to: '2026-03-31' })).toEqual(['day', 'week', 'month']);
  });

  it('when a range is described, then the year shows only when it is not the current one', () => {
    expect(describeRange({ from: '2026-03-25', to: '2026-03-31' }, '2026-03-31')).toBe('Mar 25 – Mar 31');
    expect(describeRange({ from: '2025-12-25', to: '2025-12-25' }, '2026-03-31')).toBe('Dec 25, 2025');
  });
});
