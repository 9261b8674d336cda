import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_STREAM, ingestBacklog } from '@spur/ingest';
import { createTestSite, startIngestHarness, type IngestHarness, type TestSite } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(() => h?.stop());

async function sendHits(site: TestSite, count: number, prefix: string) {
  for (let i = 0; i < count; i++) {
    const response = await h.post(
      '/api/v1/hit',
      { identification_code: site.identificationCode, url: `https://${site.hostname}/${prefix}/${i}` },
      { 'user-agent': CHROME },
    );
    expect(response.status).toBe(202);
  }
}

async function pageViews(site: TestSite) {
  const [row] = await h.query<{ n: string; paths: string }>(
    'SELECT count() AS n, uniqExact(path) AS paths FROM page_view WHERE site_id = {site:UInt64}',
    { site: site.siteId },
  );
  return { count: Number(row!.n), distinct: Number(row!.paths) };
}

describe('durability', () => {
  it('when ClickHouse rejects inserts for a while, then ingest keeps answering and every hit arrives once it is back', async () => {
    const site = await createTestSite(h.stores.postgres.pool);
    await h.stores.clickhouse.client.command({ query: 'DETACH TABLE page_view' });
    await sendHits(site, 200, 'offline');
    // The flusher retries with backoff; the rows wait in Redis.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await h.stores.redis.xlen(INGEST_STREAM)).toBeGreaterThanOrEqual(200);
    await h.stores.clickhouse.client.command({ query: 'ATTACH TABLE page_view' });
    await h.flushed(60_000);
    expect(await pageViews(site)).toEqual({ count: 200, distinct: 200 });
    const [sessions] = await h.query<{ n: string }>(
      'SELECT sum(sign) AS n FROM session WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(sessions).toEqual({ n: '1' });
  });

  it('when redis-server is killed (SIGKILL) and restarted, then no acknowledged hit is lost', async () => {
    const site = await createTestSite(h.stores.postgres.pool);
    // Hold the rows in Redis: no flusher runs while the hits arrive and Redis dies.
    await h.stopFlushers();
    await sendHits(site, 300, 'kept');
    // One raw entry per hit, not yet sessionized: no sessionizer runs either (it lives in the flusher).
    expect(await ingestBacklog(h.stores.redis)).toEqual({ raw: 300, stream: 0, total: 300 });
    await h.crashRedis();
    await h.stores.redis.ping();
    expect(await ingestBacklog(h.stores.redis)).toEqual({ raw: 300, stream: 0, total: 300 });
    h.startFlusher();
    await h.flushed(60_000);
    expect(await pageViews(site)).toEqual({ count: 300, distinct: 300 });
    const [session] = await h.query<{ page_views: number }>(
      'SELECT page_views FROM session FINAL WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(session).toEqual({ page_views: 300 });
  });
});
