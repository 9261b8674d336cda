import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStores, type TestStores } from '@spur/testkit';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores({ migrate: false });
  await t.stores.clickhouse.client.command({
    query: 'CREATE TABLE reader_probe (n UInt32) ENGINE = MergeTree ORDER BY n',
  });
});
afterAll(() => t?.close());

const rows = async (client: TestStores['stores']['clickhouse']['reader']) =>
  (await client.query({ query: 'SELECT n FROM reader_probe ORDER BY n', format: 'JSONEachRow' })).json();

describe('the ClickHouse reader', () => {
  it('when the writer inserts, then the reader reads it; when the reader writes or alters, then ClickHouse refuses and the writer still writes', async () => {
    const { client, reader } = t.stores.clickhouse;
    await client.insert({ table: 'reader_probe', values: [{ n: 1 }], format: 'JSONEachRow' });
    expect(await rows(reader)).toEqual([{ n: 1 }]);

    await expect(reader.insert({ table: 'reader_probe', values: [{ n: 2 }], format: 'JSONEachRow' })).rejects.toThrow(
      /readonly/i,
    );
    await expect(reader.command({ query: 'TRUNCATE TABLE reader_probe' })).rejects.toThrow(/readonly/i);
    await expect(reader.command({ query: 'DROP TABLE reader_probe' })).rejects.toThrow(/readonly/i);
    // Per-query settings still work (statistics name themselves in the query log).
    const named = await reader.query({
      query: "SELECT getSetting('readonly') AS readonly",
      format: 'JSONEachRow',
      clickhouse_settings: { log_comment: 'stats:probe' },
    });
    expect(await named.json()).toEqual([{ readonly: 2 }]);

    // The reader's readonly is its own: on chdb it must not leak into the writer's session.
    await client.insert({ table: 'reader_probe', values: [{ n: 3 }], format: 'JSONEachRow' });
    expect(await rows(client)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(await rows(reader)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('when a statistics statement is running, then another one is answered beside it (embedded: the reader is a pool of chdb sessions, each using the database and read-only)', async () => {
    const { reader } = t.stores.clickhouse;
    let slowAnswered = false;
    // sleep() holds the statement in the engine; nothing below measures time.
    const slow = reader
      .query({ query: "SELECT sleep(3) AS s, 'reader-pool-marker' AS m", format: 'JSONEachRow' })
      .then(async (r) => {
        await r.json();
        slowAnswered = true;
      });
    let seen: unknown[] = [];
    for (let i = 0; i < 200 && seen.length === 0 && !slowAnswered; i++) {
      seen = await (
        await reader.query({
          query:
            "SELECT query FROM system.processes WHERE query LIKE '%reader-pool-marker%' AND query NOT LIKE '%system.processes%'",
          format: 'JSONEachRow',
        })
      ).json();
    }
    // On one session the second statement waits for the first and can never see it running.
    expect(seen).toHaveLength(1);
    expect(slowAnswered).toBe(false);
    await slow;

    // Every session: the database in use (table named without it) and refusing writes.
    const many = Array.from({ length: 6 }, () => rows(reader));
    for (const answer of await Promise.all(many)) expect(answer).toEqual([{ n: 1 }, { n: 3 }]);
    const writes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        reader.insert({ table: 'reader_probe', values: [{ n: 10 + i }], format: 'JSONEachRow' }),
      ),
    );
    expect(writes.map((w) => w.status)).toEqual(Array(6).fill('rejected'));
    expect(await rows(t.stores.clickhouse.client)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('when a long statement runs on the writer (a deletion, an export), then an insert goes in beside it (embedded: the writer is a pool of chdb sessions too)', async () => {
    const { client } = t.stores.clickhouse;
    let slowAnswered = false;
    const slow = client
      .query({ query: "SELECT sleep(3) AS s, 'writer-pool-marker' AS m", format: 'JSONEachRow' })
      .then(async (r) => {
        await r.json();
        slowAnswered = true;
      });
    await client.insert({ table: 'reader_probe', values: [{ n: 4 }], format: 'JSONEachRow' });
    const running = await (
      await client.query({
        query:
          "SELECT count() AS n FROM system.processes WHERE query LIKE '%writer-pool-marker%' AND query NOT LIKE '%system.processes%'",
        format: 'JSONEachRow',
      })
    ).json();
    // On one session the insert would wait for the long statement to finish.
    expect(slowAnswered).toBe(false);
    expect(running).toEqual([{ n: '1' }]);
    await slow;
    expect(await rows(t.stores.clickhouse.reader)).toEqual([{ n: 1 }, { n: 3 }, { n: 4 }]);
  });
});
