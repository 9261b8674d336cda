/**
 * npm run bench:flush [--quick]: rows per second the flusher moves from Redis into ClickHouse,
 * against a raw bulk insert of the same rows, in the same batch size, into the same engine in the
 * same run. The difference is what the write cache costs: reading the stream, parsing, tokens, acks.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@spur/config';
import { appendRows, createFlusher, INGEST_STREAM, pageViewRow } from '@spur/ingest';
import { createLogger } from '@spur/runtime';
import { migrate, openStores } from '@spur/storage';
import { line, quick } from './lib.ts';

const ROWS = quick ? 60_000 : 300_000;
const BATCH = 10_000;

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-flush-'));
await fs.chmod(dataDir, 0o755);
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const log = createLogger(config, 'bench');
const stores = await openStores(config, log);
try {
  await migrate(stores, log);
  const site = { id: '1', organizationId: '1', hostname: 'bench.example', hostnames: ['bench.example'], filters: { ips: [], paths: [], countries: [] } };
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    session_id: i % 9_999,
    visitor_id: String(1_000_000_007n * BigInt(i)),
    duration_seconds: i % 120,
    ...pageViewRow({
      site,
      time: new Date(Date.now() - (ROWS - i) * 1_000),
      tags: i % 10 === 0 ? { plan: 'pro' } : {},
      dims: {
        hostname: 'bench.example', path: `/page/${i % 500}`, title: `Page ${i % 500}`, language: 'en', country_code: 'DE', region: 'Berlin', city: 'Berlin',
        referrer: i % 3 ? '' : 'https://www.google.com/', referrer_name: i % 3 ? '' : 'Google', channel: i % 3 ? 'Direct' : 'Organic Search',
        os: 'Windows', os_version: '10', browser: 'Chrome', browser_version: '140', platform: 'desktop', screen_class: 'XL',
        utm_source: '', utm_medium: '', utm_campaign: '', utm_content: '', utm_term: '',
      },
    }),
  }));

  // Baseline: the same rows, same batch size, straight into a table of the same definition.
  await stores.clickhouse.client.command({ query: 'CREATE TABLE page_view_raw AS page_view' });
  let started = performance.now();
  for (let i = 0; i < ROWS; i += BATCH) {
    await stores.clickhouse.client.insert({ table: 'page_view_raw', values: rows.slice(i, i + BATCH), format: 'JSONEachRow' });
  }
  const rawSeconds = (performance.now() - started) / 1_000;

  // Spur: the rows wait in the stream as the backend leaves them; time the flusher draining it.
  for (let i = 0; i < ROWS; i += 1_000) {
    await appendRows(stores.redis, rows.slice(i, i + 1_000).map((row) => ({ table: 'page_view' as const, row })));
  }
  const flusher = createFlusher({ redis: stores.redis, clickhouse: stores.clickhouse.client, batchRows: BATCH, intervalMs: 200, claimIdleMs: 60_000, log });
  started = performance.now();
  flusher.start();
  while ((await stores.redis.xlen(INGEST_STREAM)) > 0) await new Promise((r) => setTimeout(r, 20));
  const spurSeconds = (performance.now() - started) / 1_000;
  await flusher.stop();

  const [{ n }] = (await (await stores.clickhouse.client.query({ query: 'SELECT count() AS n FROM page_view', format: 'JSONEachRow' })).json()) as [{ n: string }];
  if (Number(n) !== ROWS) throw new Error(`flusher inserted ${n} rows, expected ${ROWS}`);
  const spurRps = ROWS / spurSeconds;
  const rawRps = ROWS / rawSeconds;
  process.stdout.write(`${line('flush', spurRps / rawRps, { spur_rows_per_s: Math.round(spurRps), raw_rows_per_s: Math.round(rawRps), rows: ROWS, batch: BATCH })}\n`);
} finally {
  await stores.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
