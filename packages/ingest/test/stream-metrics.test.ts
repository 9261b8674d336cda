import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { appendRows, INGEST_STREAM, rawStreamKey } from '@spur/ingest';
import { registerStreamMetrics } from '../src/flusher/stream-metrics.ts';
import { startTestStores, type TestStores } from '@spur/testkit';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores({ migrate: false });
});
afterAll(() => t?.close());

const value = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)!.get()).values[0]?.value;

describe('stream metrics', () => {
  it('when entries wait in the stream, then /metrics reports how many and how old the oldest is; 0 and 0 once it is empty', async () => {
    const registry = new Registry();
    registerStreamMetrics(t.stores.redis, registry);
    registerStreamMetrics(t.stores.redis, registry); // a second flusher in the process registers nothing more
    expect(await value(registry, 'ingest_stream_entries')).toBe(0);
    expect(await value(registry, 'ingest_stream_oldest_entry_age_seconds')).toBe(0);
    expect(await value(registry, 'ingest_raw_entries')).toBe(0);
    // Two raw hits waiting for a sessionizer, in two partitions.
    await t.stores.redis.xadd(rawStreamKey(3), '*', 'k', 'x');
    await t.stores.redis.xadd(rawStreamKey(11), '*', 'k', 'y');
    expect(await value(registry, 'ingest_raw_entries')).toBe(2);

    // An entry added 90 s ago (stream ids carry their millisecond), then two now.
    await t.stores.redis.xadd(INGEST_STREAM, `${Date.now() - 90_000}-0`, 't', 'request', 'r', '{}');
    await appendRows(t.stores.redis, [
      { table: 'request', row: {} },
      { table: 'request', row: {} },
    ]);
    expect(await value(registry, 'ingest_stream_entries')).toBe(3);
    const age = (await value(registry, 'ingest_stream_oldest_entry_age_seconds'))!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
    expect((await registry.metrics()).split('\n').filter((l) => l.startsWith('ingest_stream_entries'))).toEqual([
      'ingest_stream_entries 3',
    ]);
  });
});
