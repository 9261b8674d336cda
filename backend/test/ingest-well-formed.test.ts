import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccessKey, createTestSite, startIngestHarness, type IngestHarness } from '@spur/testkit';

/**
 * Issue 13, item 4: a title with a lone surrogate was answered 202, then ClickHouse refused the
 * page view (the flusher dead-lettered it) while the session row still counted it. Every string is
 * now made well-formed at the ingest boundary, so each hit's rows land together.
 */
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const DEAD_LETTER = 'spur:ingest:dead-letter';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
});
afterAll(() => h?.stop());

/** Sessions whose page-view count differs from their page views, with both numbers. */
async function disagreeingSessions(siteId: string) {
  return h.query<{ session_id: number; counted: string; stored: string }>(
    `SELECT s.session_id AS session_id, s.counted AS counted, toString(count(p.session_id)) AS stored
       FROM (SELECT visitor_id, session_id, toString(sum(sign * page_views)) AS counted FROM session
              WHERE site_id = {site:UInt64} GROUP BY visitor_id, session_id) AS s
       LEFT JOIN (SELECT visitor_id, session_id FROM page_view WHERE site_id = {site:UInt64}) AS p
              ON p.visitor_id = s.visitor_id AND p.session_id = s.session_id
      GROUP BY s.session_id, s.counted
     HAVING toString(count(p.session_id)) != s.counted`,
    { site: siteId },
  );
}

describe('strings at the ingest boundary', () => {
  it('stores lone surrogates in titles, paths, tags, events and batches as U+FFFD, each hit with its session', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'surrogates.example' });
    const key = await createTestAccessKey(h.stores.postgres.pool, site);
    const browser = { 'user-agent': CHROME, 'x-forwarded-for': '100.64.0.1' };
    const url = (path: string) => `https://surrogates.example${path}`;
    const hits = [
      { url: url('/a'), title: '\ud800x', tags: { 'k\udc00': 'v\ud83d' } },
      { url: url('/b\ud800'), title: 'plain' },
      { url: url('/c'), title: 'cut emoji \ud83d' },
    ];
    for (const hit of hits) {
      // JSON.stringify sends a lone surrogate as the escape `\ud800`, as spur.js does.
      const response = await h.post('/api/v1/hit', { identification_code: site.identificationCode, ...hit }, browser);
      expect(response.status, await response.text()).toBe(202);
    }
    const event = await h.post(
      '/api/v1/event',
      {
        identification_code: site.identificationCode,
        url: url('/c'),
        event_name: 'Click \udfff',
        event_meta: { 'pl\ud800an': 'pro\udc00' },
      },
      browser,
    );
    expect(event.status, await event.text()).toBe(202);
    const batch = await h.post(
      '/api/v1/hit/batch',
      [{ url: url('/d'), title: '\udbff\udbff', ip: '100.64.0.2', user_agent: CHROME, time: new Date().toISOString() }],
      { authorization: `Bearer ${key}` },
    );
    expect(batch.status, await batch.clone().text()).toBe(202);
    expect(await batch.json()).toEqual({ accepted: 1, dropped: 0, rejected: [] });
    await h.flushed();

    expect(await h.stores.redis.xlen(DEAD_LETTER)).toBe(0);
    const pages = await h.query<{ path: string; title: string; tag_keys: string[]; tag_values: string[] }>(
      'SELECT path, title, tag_keys, tag_values FROM page_view WHERE site_id = {site:UInt64} ORDER BY time',
      { site: site.siteId },
    );
    expect(pages).toEqual([
      { path: '/a', title: '\ufffdx', tag_keys: ['k\ufffd'], tag_values: ['v\ufffd'] },
      // The URL parser percent-encodes the replacement character; the path keeps it decoded.
      { path: '/b\ufffd', title: 'plain', tag_keys: [], tag_values: [] },
      { path: '/c', title: 'cut emoji \ufffd', tag_keys: [], tag_values: [] },
      { path: '/d', title: '\ufffd\ufffd', tag_keys: [], tag_values: [] },
    ]);
    const events = await h.query<{ event_name: string; event_meta_keys: string[]; event_meta_values: string[] }>(
      'SELECT event_name, event_meta_keys, event_meta_values FROM event WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(events).toEqual([
      { event_name: 'Click \ufffd', event_meta_keys: ['pl\ufffdan'], event_meta_values: ['pro\ufffd'] },
    ]);
    const sessions = await h.query<{ page_views: number; exit_title: string }>(
      'SELECT page_views, exit_title FROM session FINAL WHERE site_id = {site:UInt64} ORDER BY start',
      { site: site.siteId },
    );
    expect(sessions).toEqual([
      { page_views: 3, exit_title: 'cut emoji \ufffd' },
      { page_views: 1, exit_title: '\ufffd\ufffd' },
    ]);
    expect(await disagreeingSessions(site.siteId)).toEqual([]);
  });

  it('accepts any string of UTF-16 units in every text field and loses no page view of any session', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'any.example' });
    // Any UTF-16 code units, lone surrogates and control characters included.
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const hit = fc.record({
      visitor: fc.integer({ min: 1, max: 4 }),
      path: text,
      title: text,
      referrer: text,
      tags: fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }), text, { maxKeys: 3 }),
    });
    const hits = fc.sample(hit, { numRuns: 40, seed: 13 });
    for (const [i, sample] of hits.entries()) {
      const response = await h.post(
        '/api/v1/hit',
        {
          identification_code: site.identificationCode,
          url: `https://any.example/p/${sample.path}`,
          title: sample.title,
          referrer: sample.referrer,
          tags: sample.tags,
        },
        { 'user-agent': CHROME, 'x-forwarded-for': `100.64.1.${sample.visitor}` },
      );
      expect(response.status, `hit ${i}: ${await response.text()}`).toBe(202);
    }
    await h.flushed();

    expect(await h.stores.redis.xlen(DEAD_LETTER)).toBe(0);
    const [stored] = await h.query<{ page_views: string; counted: string }>(
      `SELECT (SELECT toString(count()) FROM page_view WHERE site_id = {site:UInt64}) AS page_views,
              (SELECT toString(sum(sign * page_views)) FROM session WHERE site_id = {site:UInt64}) AS counted`,
      { site: site.siteId },
    );
    expect(stored).toEqual({ page_views: String(hits.length), counted: String(hits.length) });
    expect(await disagreeingSessions(site.siteId)).toEqual([]);
  });
});
