import { describe, expect, it } from 'vitest';
import { timeZoneChoices } from './time-zones.ts';

describe('timeZoneChoices', () => {
  it('offers the current zone and UTC once each, with the zones the browser knows', () => {
    const zones = timeZoneChoices('Europe/Berlin');
    expect(zones.filter((z) => z === 'UTC')).toEqual(['UTC']);
    expect(zones.filter((z) => z === 'Europe/Berlin')).toEqual(['Europe/Berlin']);
    expect(zones).toContain('America/New_York');
  });

  it('keeps a stored zone the browser does not list, first', () => {
    expect(timeZoneChoices('Etc/GMT+5').slice(0, 2)).toEqual(['UTC', 'Etc/GMT+5']);
  });
});
