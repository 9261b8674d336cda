/**
 * npm run bench:flush [--quick]: rows per second the flusher moves from Redis into ClickHouse,
 * against a raw bulk insert of the same rows, in the same batch size, into the same engine in the
 * same run. The stream holds what the backend leaves there (one entry per hit, written by the real
 * session store: visits of five page views), so the flusher's work is all of it: reading the stream,
 * assembling rows, leaving out session pairs that cancel within a batch, tokens, acks. The baseline
 * inserts exactly the rows the flusher inserts, as objects through the official client.
 * Then the same entries are written again and drained by two flushers (two consumers of the group)
 * into emptied tables: `two_per_one` says whether a second flusher adds throughput, since several
 * backends feed them. Both run in this process (chdb binds its data to one process), each with its
 * own connection, which embedded is its own chdb session: their inserts run side by side in the
 * engine, while their JavaScript (reading the stream, assembling rows) shares this one thread,
 * which flushers on two nodes would not.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@spur/config';
import {
  createFlusher,
  createSessionStore,
  formatTime,
  hitMembers,
  INGEST_STREAM,
  rowsOf,
  type StreamEntry,
} from '@spur/ingest';
import { createLogger } from '@spur/runtime';
import { migrate, openClickHouse, openStores } from '@spur/storage';
import { line, quick } from './lib.ts';

const HITS = quick ? 60_000 : 300_000;
const VISITORS = HITS / 5;
const BATCH = 10_000;

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-flush-'));
await fs.chmod(dataDir, 0o755);
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const log = createLogger(config, 'bench');
const stores = await openStores(config, log);
try {
  await migrate(stores, log);
  const site = {
    id: '1',
    organizationId: '1',
    hostname: 'bench.example',
    hostnames: ['bench.example'],
    filters: { ips: [], paths: [], countries: [] },
  };
  const updateSession = createSessionStore(stores.redis);
  const start = Date.now() - HITS * 10;
  for (let i = 0; i < HITS; i += 1_000) {
    const pending: Promise<boolean>[] = [];
    for (let j = i; j < i + 1_000; j++) {
      const time = new Date(start + j * 10);
      const visitor = j % VISITORS;
      const dims = {
        hostname: 'bench.example',
        path: `/page/${j % 500}`,
        title: `Page ${j % 500}`,
        language: 'en',
        country_code: 'DE',
        region: 'Berlin',
        city: 'Berlin',
        referrer: visitor % 3 ? '' : 'https://www.google.com/',
        referrer_name: visitor % 3 ? '' : 'Google',
        channel: visitor % 3 ? 'Direct' : 'Organic Search',
        os: 'Windows',
        os_version: '10',
        browser: 'Chrome',
        browser_version: '140',
        platform: 'desktop',
        screen_class: 'XL',
        utm_source: '',
        utm_medium: '',
        utm_campaign: '',
        utm_content: '',
        utm_term: '',
      };
      const visitorId = String(1_000_000_007n * BigInt(visitor + 1));
      pending.push(
        updateSession({
          kind: 'page_view',
          siteId: site.id,
          visitorId,
          previousVisitorId: undefined,
          time,
          sourceKey: '',
          members: hitMembers({ site, dims, visitorId }, formatTime(time), {
            kind: 'page_view',
            tags: j % 10 === 0 ? { plan: 'pro' } : {},
          }),
          interactive: false,
        }),
      );
    }
    await Promise.all(pending);
  }

  // The rows the flusher will insert, batch by batch as it reads them (a full stream gives full batches).
  const entries = (await stores.redis.xrange(INGEST_STREAM, '-', '+')) as StreamEntry[];
  const batches: { table: string; values: unknown[] }[][] = [];
  let rows = 0;
  for (let i = 0; i < entries.length; i += BATCH) {
    const byTable = new Map<string, unknown[]>();
    for (const row of rowsOf(entries.slice(i, i + BATCH))) {
      if (!byTable.has(row.table)) byTable.set(row.table, []);
      byTable.get(row.table)!.push(JSON.parse(row.row));
      rows++;
    }
    batches.push([...byTable].map(([table, values]) => ({ table, values })));
  }

  // Baseline: the same rows, same batches, straight into tables of the same definition.
  for (const table of ['page_view', 'session'])
    await stores.clickhouse.client.command({ query: `CREATE TABLE ${table}_raw AS ${table}` });
  const started = performance.now();
  for (const batch of batches) {
    for (const { table, values } of batch)
      await stores.clickhouse.client.insert({ table: `${table}_raw`, values, format: 'JSONEachRow' });
  }
  const rawSeconds = (performance.now() - started) / 1_000;
  // Merge the baseline's parts now, so its background merges do not run during the flusher's turn.
  for (const table of ['page_view', 'session'])
    await stores.clickhouse.client.command({ query: `OPTIMIZE TABLE ${table}_raw FINAL` });

  /** Drains the stream with `n` flushers (consumers of one group) and returns the seconds it took. */
  const drain = async (n: number) => {
    // Every flusher but the first opens its own connection, as a flusher on another node would:
    // embedded, a second chdb session on the same data (a session runs one statement at a time).
    const connections = await Promise.all(
      Array.from({ length: n - 1 }, () =>
        openClickHouse({
          url: config.CLICKHOUSE_URL,
          database: config.CLICKHOUSE_DATABASE,
          cluster: config.CLICKHOUSE_CLUSTER,
          sharded: config.CLICKHOUSE_SHARDED,
          dataDir: path.join(config.dataDir, 'clickhouse'),
        }),
      ),
    );
    const flushers = [stores.clickhouse, ...connections].map((clickhouse) =>
      createFlusher({
        redis: stores.redis,
        clickhouse: clickhouse.client,
        batchRows: BATCH,
        intervalMs: 200,
        claimIdleMs: 60_000,
        // The stream holds sessionized entries already: nothing raw to sessionize here.
        sessionize: false,
        log,
      }),
    );
    const began = performance.now();
    for (const flusher of flushers) flusher.start();
    while ((await stores.redis.xlen(INGEST_STREAM)) > 0) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - began) / 1_000;
    await Promise.all(flushers.map((flusher) => flusher.stop()));
    await Promise.all(connections.map((c) => c.close()));
    return seconds;
  };
  const spurSeconds = await drain(1);

  const count = async (query: string) =>
    Number(
      ((await (await stores.clickhouse.client.query({ query, format: 'JSONEachRow' })).json()) as [{ n: string }])[0].n,
    );
  const views = await count('SELECT count() AS n FROM page_view');
  if (views !== HITS) throw new Error(`flusher inserted ${views} page views, expected ${HITS}`);
  const sessions = await count('SELECT sum(sign) AS n FROM session');
  const rawSessions = await count('SELECT sum(sign) AS n FROM session_raw');
  if (sessions !== VISITORS || rawSessions !== VISITORS)
    throw new Error(`sessions after collapsing: flusher ${sessions}, raw ${rawSessions}, expected ${VISITORS}`);

  // Two flushers: the same entries again (new ids, so no deduplication), into emptied tables.
  for (const table of ['page_view', 'session'])
    await stores.clickhouse.client.command({ query: `TRUNCATE TABLE ${table}` });
  for (let i = 0; i < entries.length; i += 1_000) {
    const multi = stores.redis.multi();
    for (const [, fields] of entries.slice(i, i + 1_000)) multi.xadd(INGEST_STREAM, '*', ...fields);
    await multi.exec();
  }
  const twoSeconds = await drain(2);
  const twoViews = await count('SELECT count() AS n FROM page_view');
  const twoSessions = await count('SELECT sum(sign) AS n FROM session');
  if (twoViews !== HITS || twoSessions !== VISITORS)
    throw new Error(`two flushers: ${twoViews} page views, ${twoSessions} sessions, expected ${HITS} and ${VISITORS}`);

  const spurRps = rows / spurSeconds;
  const rawRps = rows / rawSeconds;
  process.stdout.write(
    `${line('flush', spurRps / rawRps, {
      spur_rows_per_s: Math.round(spurRps),
      raw_rows_per_s: Math.round(rawRps),
      hits_per_s: Math.round(HITS / spurSeconds),
      two_flushers_hits_per_s: Math.round(HITS / twoSeconds),
      two_per_one: (spurSeconds / twoSeconds).toFixed(2),
      rows_per_hit: (rows / HITS).toFixed(2),
      hits: HITS,
      batch: BATCH,
      load: os.loadavg()[0]!.toFixed(1),
    })}\n`,
  );
} finally {
  await stores.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
