import { describe, expect, it } from 'vitest';
import { CLICKHOUSE_TIME_ZONES } from '../src/sites/clickhouse-time-zones.ts';
import { clickHouseTimeZones } from './clickhouse-time-zones.generate.ts';

describe('the time zones statistics accept', () => {
  it('when the bundled ClickHouse is asked for its zones, then the list in the code is exactly that list (regenerate it otherwise)', () => {
    expect([...CLICKHOUSE_TIME_ZONES]).toEqual(clickHouseTimeZones());
  });
});
