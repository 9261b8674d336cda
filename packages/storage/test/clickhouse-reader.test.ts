import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse } from '@spur/storage';
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

  it('when a long statement runs on the writer (a deletion, an export), then an insert goes in beside it (embedded: the writer is two chdb sessions)', async () => {
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

describe('the settings sent to a ClickHouse server', () => {
  /**
   * No ClickHouse server runs here: this one answers every statement with one JSON row and keeps the
   * settings each request carried (the official client sends them as URL parameters).
   */
  async function recordingServer() {
    const seen: URLSearchParams[] = [];
    const server = http.createServer((req, res) => {
      seen.push(new URL(req.url ?? '/', 'http://x').searchParams);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('{"n":1}\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('when the tables are sharded, then reader and writer ask for shard-local subqueries; on one server they do not', async () => {
    const server = await recordingServer();
    try {
      for (const sharded of [true, false]) {
        const ch = await openClickHouse({ url: server.url, database: 'spur', cluster: 'spur', sharded, dataDir: '' });
        for (const client of [ch.reader, ch.client]) {
          await (await client.query({ query: 'SELECT 1 AS n', format: 'JSONEachRow' })).json();
          expect(server.seen.pop()!.get('distributed_product_mode')).toBe(sharded ? 'local' : null);
        }
        await ch.close();
      }
    } finally {
      await server.close();
    }
  });
});
