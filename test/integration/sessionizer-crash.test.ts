import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFlusher,
  createHitAppender,
  emptyDimensions,
  formatTime,
  hitMembers,
  INGEST_STREAM,
  ingestBacklog,
  RAW_PARTITIONS,
} from '@spur/ingest';
import {
  createTestSite,
  query,
  spawnProcess,
  startTestStores,
  type SpawnedProcess,
  type TestStores,
} from '@spur/testkit';

const root = path.resolve(import.meta.dirname, '../..');
const VISITORS = 1_500;
const HITS = 6;

let t: TestStores;
const children: SpawnedProcess[] = [];
beforeAll(async () => {
  t = await startTestStores();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t?.close();
});

describe('sessionizer crash', () => {
  it('when a sessionizer process is SIGKILLed mid-batch, then the one that takes its partitions over after the lease counts every hit once and splits no visit', async () => {
    const site = await createTestSite(t.stores.postgres.pool, { hostname: 'crash.example' });
    const append = createHitAppender(t.stores.redis);
    const start = Date.now() - 3_600_000;
    // Visitor-major in time, each visitor's hits 10 s apart: one visit of HITS page views each.
    for (let k = 0; k < HITS; k++) {
      await Promise.all(
        Array.from({ length: VISITORS }, (_, v) => {
          const time = new Date(start + k * 10_000 + v);
          const visitorId = String(9_000_000 + v);
          const dims = { ...emptyDimensions(), hostname: 'crash.example', path: `/v${v}/p${k}` };
          return append({
            kind: 'page_view',
            siteId: site.siteId,
            visitorId,
            previousVisitorId: undefined,
            time,
            sourceKey: '',
            interactive: false,
            members: hitMembers({ site: { id: site.siteId }, dims, visitorId }, formatTime(time), {
              kind: 'page_view',
              tags: {},
            }),
          });
        }),
      );
    }
    expect(await ingestBacklog(t.stores.redis)).toEqual({ raw: VISITORS * HITS, stream: 0, total: VISITORS * HITS });

    const child = spawnProcess(
      process.execPath,
      ['--import', 'tsx', 'test/integration/sessionizer-child.ts', t.config.REDIS_URL!, 'doomed'],
      { cwd: root, env: { PATH: process.env.PATH } },
    );
    children.push(child);
    // Killed while it works: some hits moved to the ingest stream, others still raw.
    let atKill = { raw: 0, stream: 0, total: 0 };
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      atKill = await ingestBacklog(t.stores.redis);
      if (atKill.stream > 0) break;
    }
    child.kill('SIGKILL');
    await child.exited;
    const afterKill = await ingestBacklog(t.stores.redis);
    expect(atKill.stream).toBeGreaterThan(0);
    expect(afterKill.raw).toBeGreaterThan(0);
    // Sessionizing is atomic per batch: every raw hit that left became exactly one stream entry.
    expect(afterKill.total).toBe(VISITORS * HITS);
    // Its leases outlive it: nobody may take them before they run out.
    const leases = await t.stores.redis.mget(
      Array.from({ length: RAW_PARTITIONS }, (_, p) => `spur:ingest:raw:${p}:lease`),
    );
    expect(leases.every((holder) => holder?.startsWith('doomed|'))).toBe(true);

    const flusher = createFlusher({
      redis: t.stores.redis,
      postgres: t.stores.postgres.pool,
      clickhouse: t.stores.clickhouse.client,
      batchRows: 5_000,
      intervalMs: 50,
      claimIdleMs: 1_000,
      log: t.log,
      consumer: 'heir',
    });
    flusher.start();
    try {
      const until = Date.now() + 60_000;
      while ((await ingestBacklog(t.stores.redis)).total > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(await ingestBacklog(t.stores.redis)).toEqual({ raw: 0, stream: 0, total: 0 });
      expect(flusher.sessionizer!.owned()).toEqual(Array.from({ length: RAW_PARTITIONS }, (_, p) => p));
    } finally {
      await flusher.stop();
    }
    expect(await t.stores.redis.xlen(INGEST_STREAM)).toBe(0);

    const bySize = await query<{ page_views: number; sessions: string }>(
      t.stores.clickhouse.client,
      'SELECT page_views, count() AS sessions FROM session FINAL WHERE site_id = {site:UInt64} GROUP BY page_views',
      { site: site.siteId },
    );
    expect(bySize).toEqual([{ page_views: HITS, sessions: String(VISITORS) }]);
    const [totals] = await query<Record<string, string>>(
      t.stores.clickhouse.client,
      `SELECT (SELECT sum(sign) FROM session WHERE site_id = {site:UInt64}) AS sessions,
              (SELECT sum(sign * page_views) FROM session WHERE site_id = {site:UInt64}) AS session_views,
              (SELECT count() FROM page_view WHERE site_id = {site:UInt64}) AS views,
              (SELECT uniqExact(path) FROM page_view WHERE site_id = {site:UInt64}) AS paths,
              (SELECT uniqExact(visitor_id, session_id) FROM page_view WHERE site_id = {site:UInt64}) AS visits`,
      { site: site.siteId },
    );
    const views = String(VISITORS * HITS);
    expect(totals).toEqual({
      sessions: String(VISITORS),
      session_views: views,
      views,
      paths: views,
      visits: String(VISITORS),
    });
  }, 150_000);
});
