import { describe, expect, it } from 'vitest';
import { duePeriod, wallClock } from './report-period.ts';

describe('report periods', () => {
  it('when it is 09:00 in Berlin on the Monday after the October DST change, then the weekly report covers that 169-hour week', () => {
    // 2026-10-25 03:00 CEST → 02:00 CET; on Monday 26th 09:00 CET is 08:00 UTC.
    expect(duePeriod('weekly', new Date('2026-10-26T08:00:00Z'), 'Europe/Berlin')).toEqual({
      interval: 'weekly',
      from: '2026-10-19',
      to: '2026-10-25',
      previousFrom: '2026-10-12',
      previousTo: '2026-10-18',
    });
    // One hour earlier in UTC is 08:00 in Berlin: not yet.
    expect(duePeriod('weekly', new Date('2026-10-26T07:00:00Z'), 'Europe/Berlin')).toBeUndefined();
    // The week before, still summer time, 09:00 CEST is 07:00 UTC.
    expect(duePeriod('weekly', new Date('2026-10-19T07:00:00Z'), 'Europe/Berlin')?.from).toBe('2026-10-12');
  });

  it('when a year ends, then the daily, weekly and monthly reports of 1 January cover December and the week across it', () => {
    const at = new Date('2029-01-01T09:00:00Z'); // a Monday, 09:00 in UTC
    expect(duePeriod('daily', at, 'UTC')).toMatchObject({ from: '2028-12-31', to: '2028-12-31' });
    expect(duePeriod('weekly', at, 'UTC')).toMatchObject({ from: '2028-12-25', to: '2028-12-31' });
    expect(duePeriod('monthly', at, 'UTC')).toEqual({
      interval: 'monthly',
      from: '2028-12-01',
      to: '2028-12-31',
      previousFrom: '2028-11-01',
      previousTo: '2028-11-30',
    });
  });

  it('when the zone has a half-hour offset, then the report goes out on the hour that is 09:30 there', () => {
    expect(wallClock(new Date('2026-03-02T04:00:00Z'), 'Asia/Kolkata')).toEqual({
      date: '2026-03-02',
      hour: 9,
      weekday: 1,
    });
    expect(duePeriod('monthly', new Date('2026-03-01T03:00:00Z'), 'Asia/Kolkata')).toBeUndefined(); // 08:30
    expect(duePeriod('monthly', new Date('2026-03-01T04:00:00Z'), 'Asia/Kolkata')).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-28',
      previousFrom: '2026-01-01',
      previousTo: '2026-01-31',
    });
    expect(duePeriod('monthly', new Date('2026-03-02T04:00:00Z'), 'Asia/Kolkata')).toBeUndefined();
  });
});
