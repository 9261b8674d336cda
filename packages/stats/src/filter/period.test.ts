import { describe, expect, it } from 'vitest';
import {
  addDays,
  bucketOf,
  bucketsOf,
  isCalendarDate,
  localDate,
  previousPeriod,
  resolvePeriod,
  startOfDay,
} from './period.ts';

describe('periods in a time zone', () => {
  it('when a day is asked for in UTC, then it runs from midnight to midnight', () => {
    const p = resolvePeriod('2025-06-01', '2025-06-02', 'UTC');
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual([
      '2025-06-01T00:00:00.000Z',
      '2025-06-03T00:00:00.000Z',
    ]);
  });

  it('when Berlin leaves summer time, then that day is 25 hours long', () => {
    const p = resolvePeriod('2025-10-26', '2025-10-26', 'Europe/Berlin');
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual([
      '2025-10-25T22:00:00.000Z',
      '2025-10-26T23:00:00.000Z',
    ]);
  });

  it('when Berlin enters summer time, then that day is 23 hours long', () => {
    const p = resolvePeriod('2025-03-30', '2025-03-30', 'Europe/Berlin');
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual([
      '2025-03-29T23:00:00.000Z',
      '2025-03-30T22:00:00.000Z',
    ]);
  });

  it('when a zone has a half-hour offset, then midnight is found exactly', () => {
    expect(startOfDay('2025-01-15', 'Asia/Kolkata').toISOString()).toBe('2025-01-14T18:30:00.000Z');
    expect(startOfDay('2025-01-15', 'America/New_York').toISOString()).toBe('2025-01-15T05:00:00.000Z');
  });

  it('when DST skips midnight itself (Santiago, September), then the day starts when the clocks jump', () => {
    // Chile moves from -04 to -03 at 24:00 on the first Saturday of September: 2024-09-08 00:00 does not exist.
    expect(startOfDay('2024-09-08', 'America/Santiago').toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(localDate(new Date('2024-09-08T04:00:00Z'), 'America/Santiago')).toBe('2024-09-08');
    expect(localDate(new Date('2024-09-08T03:59:59Z'), 'America/Santiago')).toBe('2024-09-07');
  });

  it('when growth compares periods, then the previous one has the same number of days and ends the day before', () => {
    const p = previousPeriod(resolvePeriod('2025-03-01', '2025-03-31', 'UTC'));
    expect([p.fromDate, p.toDate]).toEqual(['2025-01-29', '2025-02-28']);
    const day = previousPeriod(resolvePeriod('2025-03-01', '2025-03-01', 'UTC'));
    expect([day.fromDate, day.toDate]).toEqual(['2025-02-28', '2025-02-28']);
  });

  it('when a series is bucketed, then every day, Monday, month start or year start in the period is listed', () => {
    const period = { fromDate: '2024-12-30', toDate: '2025-03-02' };
    expect(bucketsOf({ fromDate: '2025-02-27', toDate: '2025-03-02' }, 'day')).toEqual([
      '2025-02-27',
      '2025-02-28',
      '2025-03-01',
      '2025-03-02',
    ]);
    expect(bucketsOf(period, 'month')).toEqual(['2024-12-01', '2025-01-01', '2025-02-01', '2025-03-01']);
    expect(bucketsOf(period, 'year')).toEqual(['2024-01-01', '2025-01-01']);
    expect(bucketsOf({ fromDate: '2025-01-01', toDate: '2025-01-20' }, 'week')).toEqual([
      '2024-12-30',
      '2025-01-06',
      '2025-01-13',
      '2025-01-20',
    ]);
    expect(bucketOf('2025-01-19', 'week')).toBe('2025-01-13');
  });

  it('when a date is checked, then only real calendar days pass', () => {
    expect([
      isCalendarDate('2024-02-29'),
      isCalendarDate('2025-02-29'),
      isCalendarDate('2025-1-01'),
      isCalendarDate('x'),
    ]).toEqual([true, false, false, false]);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});
