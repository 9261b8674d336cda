import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lifecycle } from '@spur/runtime';
import { startBackend, type Backend } from '@spur/backend';
import { createTestSite, startIngestHarness, type IngestHarness } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const VISITORS = 1_000;
const HITS = 10;

let h: IngestHarness;
let second: Backend;
let secondLifecycle: Lifecycle;
beforeAll(async () => {
  // The load balancer in front of both instances is 127.0.0.1 here; it names the visitor's IP.
  h = await startIngestHarness({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
  secondLifecycle = new Lifecycle(h.log, 10_000);
  const redis = h.stores.redis.duplicate();
  secondLifecycle.onStop('redis', () => redis.disconnect());
  second = await startBackend({
    config: h.config,
    stores: { ...h.stores, redis },
    log: h.log,
    lifecycle: secondLifecycle,
  });
});
afterAll(async () => {
  await secondLifecycle?.stop('test end').catch(() => undefined);
  await h?.stop();
});

describe('concurrency', () => {
  it('when 1,000 visitors send 10 hits each over 20 connections to 2 backend instances, then every visitor has exactly one session of 10 views', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'busy.example' });
    // Visitor-major order: the 20 requests in flight at once are mostly the same visitor's, on both instances.
    const queue = Array.from({ length: VISITORS * HITS }, (_, i) => ({
      visitor: Math.floor(i / HITS),
      page: i % HITS,
    }));
    const instances = [h.backend.url, second.url];
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, worker) => {
        while (next < queue.length) {
          const { visitor, page } = queue[next++]!;
          const response = await fetch(`${instances[(visitor + page + worker) % 2]}/api/v1/hit`, {
            method: 'POST',
            headers: {
              'content-type': 'text/plain',
              'user-agent': CHROME,
              'x-forwarded-for': `100.${64 + (visitor >> 8)}.${visitor & 255}.7`,
            },
            body: JSON.stringify({
              identification_code: site.identificationCode,
              url: `https://busy.example/page/${page}`,
            }),
          });
          statuses.push(response.status);
          await response.arrayBuffer();
        }
      }),
    );
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    await h.flushed(120_000);

    const bySize = await h.query<{ page_views: number; sessions: string }>(
      'SELECT page_views, count() AS sessions FROM session FINAL WHERE site_id = {site:UInt64} GROUP BY page_views',
      { site: site.siteId },
    );
    expect(bySize).toEqual([{ page_views: HITS, sessions: String(VISITORS) }]);
    const [totals] = await h.query<Record<string, string>>(
      `SELECT (SELECT sum(sign) FROM session WHERE site_id = {site:UInt64}) AS sessions,
              (SELECT count() FROM page_view WHERE site_id = {site:UInt64}) AS views,
              (SELECT uniqExact(visitor_id) FROM page_view WHERE site_id = {site:UInt64}) AS visitors,
              (SELECT uniqExact(visitor_id, session_id) FROM page_view WHERE site_id = {site:UInt64}) AS view_sessions`,
      { site: site.siteId },
    );
    expect(totals).toEqual({ sessions: '1000', views: '10000', visitors: '1000', view_sessions: '1000' });
  }, 240_000);
});
