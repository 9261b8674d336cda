import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSiteStatistics } from '@spur/accounts';
import { checkSiteStatistics } from '@spur/stats';
import { createTestSite, startIngestHarness, type IngestHarness } from '@spur/testkit';

/**
 * Issue 13, item 5: deleting a period's statistics while hits keep arriving left the visitors'
 * sessions in Redis and their entries in the stream; the next hit of such a visit wrote the
 * cancel row of a state row that was gone, and bounces went negative. After a deletion in the
 * middle of live traffic, every invariant of `stats:check` must hold.
 */
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const VISITORS = 30;

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
});
afterAll(() => h?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deleting statistics while traffic flows', () => {
  it('deletes the period, keeps the visits that began after it, and leaves no count negative', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'live.example' });
    let stop = false;
    let phase: 'before' | 'during' | 'after' = 'before';
    const accepted = { before: 0, during: 0, after: 0 };
    // Each visitor views pages a few hundred ms apart, some with a click (not a bounce), starting
    // staggered, so that at the deletion some visits are one-page bounces and others are longer.
    const visitor = async (n: number) => {
      await sleep(n * 25);
      for (let page = 0; !stop; page++) {
        const headers = { 'user-agent': CHROME, 'x-forwarded-for': `100.64.2.${n}` };
        const body = { identification_code: site.identificationCode, url: `https://live.example/p/${page}` };
        const counted = phase;
        const response = await h.post('/api/v1/hit', body, headers);
        expect(response.status).toBe(202);
        accepted[counted]++;
        if (n % 3 === 0 && page % 4 === 1) {
          const click = await h.post('/api/v1/event', { ...body, event_name: 'Click' }, headers);
          expect(click.status).toBe(202);
        }
        await sleep(150 + ((n * 37 + page * 11) % 250));
      }
    };
    const traffic = Promise.all(Array.from({ length: VISITORS }, (_, n) => visitor(n + 1)));

    await sleep(1_500);
    const today = new Date(new Date().toISOString().slice(0, 10));
    const period = { from: today, to: new Date(today.getTime() + 86_400_000) };
    phase = 'during';
    const ctx = { clickhouse: h.stores.clickhouse, redis: h.stores.redis, log: h.log };
    const tables = await deleteSiteStatistics(ctx, site.siteId, period);
    phase = 'after';
    await sleep(1_500);
    stop = true;
    await traffic;
    await h.flushed();

    expect(tables).toEqual(['event', 'page_view', 'request', 'session']);
    expect(accepted.before).toBeGreaterThan(VISITORS);
    expect(accepted.after).toBeGreaterThan(VISITORS);
    const check = await checkSiteStatistics(h.stores.clickhouse.client, { id: site.siteId, timezone: 'UTC' });
    expect(check.violations).toEqual([]);
    expect(check.brokenSessions).toBe(0);
    // What remains are the hits taken after the deletion began, and none of those before it.
    const [stored] = await h.query<{ views: string }>(
      'SELECT toString(count()) AS views FROM page_view WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(Number(stored!.views)).toBeGreaterThanOrEqual(accepted.after);
    expect(Number(stored!.views)).toBeLessThanOrEqual(accepted.after + accepted.during);
    // Every visitor's next hit after the deletion started a new visit.
    expect(check.sessions).toBeGreaterThanOrEqual(VISITORS);
  });

  it('when hits of the period still wait for a sessionizer, then the deletion waits for them and none of them is counted', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'waiting.example' });
    // No sessionizer runs (they live in the flushers): the hits stay raw, answered but not sessionized.
    await h.stopFlushers();
    for (let n = 1; n <= 5; n++) {
      const headers = { 'user-agent': CHROME, 'x-forwarded-for': `100.64.3.${n}` };
      const body = { identification_code: site.identificationCode, url: `https://waiting.example/p/${n}` };
      expect((await h.post('/api/v1/hit', body, headers)).status).toBe(202);
    }
    const today = new Date(new Date().toISOString().slice(0, 10));
    const ctx = { clickhouse: h.stores.clickhouse, redis: h.stores.redis, log: h.log };
    const deletion = deleteSiteStatistics(ctx, site.siteId, {
      from: today,
      to: new Date(today.getTime() + 86_400_000),
    });
    // Once the deletion is under way (recorded, its mutations done), a sessionizer comes back.
    while (Object.keys(await h.stores.redis.hgetall('spur:ingest:deletions')).length === 0) await sleep(10);
    await sleep(1_000);
    h.startFlusher();
    await deletion;
    await h.flushed();

    const [stored] = await h.query<{ views: string }>(
      'SELECT toString(count()) AS views FROM page_view WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(stored).toEqual({ views: '0' });
  });
});
