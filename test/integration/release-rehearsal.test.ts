import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '@spur/testkit';
import { rehearseRelease } from '../../bench/rehearsal/rehearse.ts';

/**
 * The rolling release of deploy/nomad/backend.nomad.hcl, rehearsed with real processes: haproxy
 * (checks GET /readyz every 300 ms, fall 1, rise 2) in front of three backends on one Postgres and
 * one Redis, the batches process flushing into ClickHouse, and our own load generator sending
 * unique hits while each backend is replaced (start new → healthy → SIGTERM old). Small load here;
 * `npm run rehearse:release` runs a larger one and the no-drain baseline.
 */
describe('release rehearsal', () => {
  it('when each of three backends is replaced under load, then no hit fails and every acknowledged hit is in ClickHouse exactly once', async () => {
    const result = await rehearseRelease({
      databaseUrl: await createTestDatabase(),
      backends: 3,
      rate: 120,
      concurrency: 8,
      drainMs: 1_000,
      settleMs: 1_000,
    });
    // The production shape: a backend never opens ClickHouse (chdb is the batches process's alone)
    // and is ready without it; here CLICKHOUSE_URL points at a port where nothing listens.
    expect(result.readiness).toMatchObject({
      status: 'ready',
      failing: [],
      stores: { postgres: { ok: true }, redis: { ok: true }, clickhouse: { ok: false } },
    });
    expect(result.replaced).toBe(3);
    expect(result.exitCodes).toEqual([0, 0, 0]);
    expect(result.failures).toEqual([]);
    expect(result.acknowledged.length).toBe(result.sent);
    // Enough load that every replacement happened under traffic (three backends started and stopped).
    expect(result.sent).toBeGreaterThan(600);
    expect(result.missing).toEqual([]);
    expect(result.duplicated).toEqual([]);
    expect(result.exactlyOnce).toBe(result.acknowledged.length);
    expect(result.unacknowledgedRows).toBe(0);
  }, 240_000);
});
