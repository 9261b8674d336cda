import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pirsch-sdk';
import { startBackend } from '@spur/backend';
import { INGEST_STREAM, ingestBacklog, rawStreamKey, visitorPartition } from '@spur/ingest';
import { Lifecycle } from '@spur/runtime';
import {
  addTrafficFilter,
  createTestAccessKey,
  createTestSite,
  startIngestHarness,
  type IngestHarness,
  type TestSite,
} from '@spur/testkit';

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let h: IngestHarness;
let site: TestSite;
beforeAll(async () => {
  h = await startIngestHarness();
  site = await createTestSite(h.stores.postgres.pool, { hostname: 'blog.example', alternatives: ['www.blog.example'] });
});
afterAll(() => h?.stop());

const count = async (table: string, s: TestSite, extra = '') =>
  Number(
    (
      await h.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE site_id = {site:UInt64} ${extra}`, {
        site: s.siteId,
      })
    )[0]!.n,
  );

describe('browser endpoints', () => {
  it('when spur.js posts a hit as text/plain, then it is counted with the request’s user agent', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'shop.example' });
    const response = await fetch(`${h.backend.url}/api/v1/hit`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME, 'accept-language': 'fr-FR' },
      body: JSON.stringify({
        identification_code: s.identificationCode,
        url: 'https://shop.example/a?utm_source=Newsletter&utm_medium=email',
        title: 'A',
        referrer: '',
        screen_width: 1440,
        screen_height: 900,
      }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    await h.flushed();
    const rows = await h.query(
      'SELECT path, os, browser, language, screen_class, utm_source, utm_medium, channel, platform FROM page_view WHERE site_id = {site:UInt64}',
      { site: s.siteId },
    );
    expect(rows).toEqual([
      {
        path: '/a',
        os: 'macOS',
        browser: 'Chrome',
        language: 'fr',
        screen_class: 'L',
        utm_source: 'newsletter',
        utm_medium: 'email',
        channel: 'Email',
        platform: 'desktop',
      },
    ]);
  });

  it('answers CORS preflights and refuses other methods', async () => {
    const preflight = await fetch(`${h.backend.url}/api/v1/event`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization');
    const get = await fetch(`${h.backend.url}/api/v1/event`);
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ error: ['use POST'], validation: { method: 'use POST' }, field: 'method' });
  });

  it('when Pirsch’s browser client sends a GET hit with short parameters, then it is counted', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'web.example' });
    const query = new URLSearchParams({
      nc: '1',
      code: s.identificationCode,
      url: 'https://web.example/docs?x=1',
      t: 'Docs',
      ref: 'https://duckduckgo.com/',
      w: '390',
      h: '844',
      tag_author: 'ada',
    });
    const response = await fetch(`${h.backend.url}/api/v1/hit?${query}`, { headers: { 'user-agent': CHROME } });
    expect(response.status).toBe(202);
    const bad = await fetch(`${h.backend.url}/api/v1/hit?code=${s.identificationCode}&url=nope`, {
      headers: { 'user-agent': CHROME },
    });
    expect(await bad.json()).toEqual({
      error: ['url must be an absolute http(s) URL'],
      validation: { url: 'url must be an absolute http(s) URL' },
      field: 'url',
    });
    await h.flushed();
    const rows = await h.query(
      'SELECT path, title, referrer_name, screen_class, tag_keys, tag_values FROM page_view WHERE site_id = {site:UInt64}',
      { site: s.siteId },
    );
    expect(rows).toEqual([
      {
        path: '/docs',
        title: 'Docs',
        referrer_name: 'DuckDuckGo',
        screen_class: 'XS',
        tag_keys: ['author'],
        tag_values: ['ada'],
      },
    ]);
  });

  it('when the input is malformed, then the 400 names the field', async () => {
    const code = site.identificationCode;
    const cases: [unknown, number, string][] = [
      ['{not json', 400, 'body'],
      // Neither a token nor a code: a 401, so that pirsch-sdk fetches a token (issue 12).
      [{ url: 'https://blog.example/' }, 401, 'authorization'],
      [{ identification_code: '', url: 'https://blog.example/' }, 400, 'identification_code'],
      [{ identification_code: code }, 400, 'url'],
      [{ identification_code: code, url: 'javascript:alert(1)' }, 400, 'url'],
      [{ identification_code: code, url: 'https://blog.example/', screen_width: 'wide' }, 400, 'screen_width'],
      [{ identification_code: code, url: 'https://blog.example/', title: 'x'.repeat(5_000) }, 400, 'title'],
      [{ identification_code: 'nope', url: 'https://blog.example/' }, 404, 'identification_code'],
      [{ identification_code: code, url: `https://blog.example/${'a'.repeat(70_000)}` }, 413, 'body'],
    ];
    for (const [body, status, field] of cases) {
      const response = await h.post('/api/v1/hit', body, { 'user-agent': CHROME });
      expect(
        [response.status, ((await response.json()) as { field: string }).field],
        JSON.stringify(body).slice(0, 80),
      ).toEqual([status, field]);
    }
    const event = await h.post(
      '/api/v1/event',
      { identification_code: code, url: 'https://blog.example/', event_name: '' },
      { 'user-agent': CHROME },
    );
    expect(await event.json()).toEqual({
      error: ['event_name must not be empty'],
      validation: { event_name: 'event_name must not be empty' },
      field: 'event_name',
    });
  });

  it('when a bot or a prefetch arrives, then it is accepted, not counted, and logged with its reason', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'bots.example' });
    const send = (headers: Record<string, string>) =>
      h.post('/api/v1/hit', { identification_code: s.identificationCode, url: 'https://bots.example/' }, headers);
    expect(
      (await send({ 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' })).status,
    ).toBe(202);
    expect((await send({ 'user-agent': CHROME, 'sec-purpose': 'prefetch' })).status).toBe(202);
    expect((await send({ 'user-agent': '' })).status).toBe(202);
    await h.flushed();
    expect(await count('page_view', s)).toBe(0);
    expect(await count('session', s)).toBe(0);
    const reasons = await h.query<{ reason: string }>(
      'SELECT reason FROM request WHERE site_id = {site:UInt64} ORDER BY time, reason',
      { site: s.siteId },
    );
    expect(reasons.map((r) => r.reason)).toEqual(['bot_user_agent', 'prefetch', 'user_agent_missing']);
  });
});

describe('server-side endpoints', () => {
  it('when the official pirsch-sdk sends hits, events and sessions with an access key, then they are counted', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'api.example' });
    const client = new Client({
      baseUrl: h.backend.url,
      hostname: 'api.example',
      accessToken: await createTestAccessKey(h.stores.postgres.pool, s),
    });
    const hit = {
      url: 'https://api.example/checkout',
      ip: '81.2.69.142',
      user_agent: CHROME,
      accept_language: 'en-GB',
      title: 'Checkout',
      referrer: 'https://www.google.co.uk/search?q=spur',
    };
    await client.hit(hit);
    await client.event('Purchase', hit, 0, { amount: 42 });
    await client.session({ ip: hit.ip, user_agent: hit.user_agent });
    await h.flushed();
    const [view] = await h.query<Record<string, string>>(
      'SELECT path, title, referrer, referrer_name, channel, country_code, language FROM page_view WHERE site_id = {site:UInt64}',
      { site: s.siteId },
    );
    expect(view).toEqual({
      path: '/checkout',
      title: 'Checkout',
      referrer: 'https://www.google.co.uk/search',
      referrer_name: 'Google',
      channel: 'Organic Search',
      country_code: 'GB',
      language: 'en',
    });
    expect(await count('event', s, "AND event_name = 'Purchase'")).toBe(1);
    const [session] = await h.query<Record<string, number>>(
      'SELECT page_views, events, is_bounce FROM session FINAL WHERE site_id = {site:UInt64}',
      { site: s.siteId },
    );
    expect(session).toEqual({ page_views: 1, events: 1, is_bounce: 0 });
  });

  it('when the bearer token is unknown, then 401; when a key of another organization names this site, then 404', async () => {
    const bad = await h.post(
      '/api/v1/hit',
      { url: 'https://blog.example/', ip: '1.2.3.4', user_agent: CHROME },
      { authorization: 'Bearer pa_nope' },
    );
    expect(bad.status).toBe(401);
    const other = await createTestSite(h.stores.postgres.pool, { hostname: 'other.example' });
    const key = await createTestAccessKey(h.stores.postgres.pool, { organizationId: other.organizationId });
    const foreign = await h.post(
      '/api/v1/hit',
      { url: 'https://blog.example/', ip: '1.2.3.4', user_agent: CHROME },
      { authorization: `Bearer ${key}` },
    );
    expect(foreign.status).toBe(404);
    await h.flushed();
    expect(await count('page_view', site)).toBe(0);
  });

  it('when traffic filters match (IP range, path pattern, country), then hits are dropped with that reason', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'filtered.example' });
    await addTrafficFilter(h.stores.postgres.pool, s.siteId, 'ip', '10.1.0.0/16');
    await addTrafficFilter(h.stores.postgres.pool, s.siteId, 'path', '/admin*');
    await addTrafficFilter(h.stores.postgres.pool, s.siteId, 'country', 'GB');
    h.backend.sites.invalidate(s.siteId);
    const key = await createTestAccessKey(h.stores.postgres.pool, s);
    const send = (ip: string, path: string) =>
      h.post(
        '/api/v1/hit',
        { url: `https://filtered.example${path}`, ip, user_agent: CHROME },
        { authorization: `Bearer ${key}` },
      );
    for (const [ip, path] of [
      ['10.1.2.3', '/'],
      ['8.8.8.8', '/admin/users'],
      ['81.2.69.142', '/'],
      ['8.8.8.8', '/welcome'],
    ]) {
      expect((await send(ip!, path!)).status).toBe(202);
    }
    await h.flushed();
    expect(await count('page_view', s)).toBe(1);
    const reasons = await h.query<{ reason: string }>(
      'SELECT reason FROM request WHERE site_id = {site:UInt64} ORDER BY reason',
      { site: s.siteId },
    );
    expect(reasons.map((r) => r.reason)).toEqual(['filtered_country', 'filtered_ip', 'filtered_path']);
  });

  it('when a hit names a page on a hostname the site does not know, then it is dropped as hostname_not_allowed; an owner list replaces the default (issue 13)', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'shield.example', alternatives: ['shield.de'] });
    const key = await createTestAccessKey(h.stores.postgres.pool, s);
    const send = (host: string) =>
      h.post(
        '/api/v1/hit',
        { url: `https://${host}/page`, ip: '8.8.8.8', user_agent: CHROME },
        { authorization: `Bearer ${key}` },
      );
    const hosts = [
      'shield.example',
      'www.shield.example',
      'shop.shield.de',
      'copy.thief.example',
      'shield.example.evil',
    ];
    for (const host of hosts) expect((await send(host)).status).toBe(202);
    await h.flushed();
    // The session's hostname is copied onto its page views, so counted hits are counted, not listed.
    const counted = () => count('page_view', s);
    const dropped = async () =>
      (
        await h.query<{ hostname: string; reason: string }>(
          'SELECT hostname, reason FROM request WHERE site_id = {site:UInt64} ORDER BY hostname',
          { site: s.siteId },
        )
      ).map((r) => `${r.hostname} ${r.reason}`);
    expect(await counted()).toBe(3);
    expect(await dropped()).toEqual([
      'copy.thief.example hostname_not_allowed',
      'shield.example.evil hostname_not_allowed',
    ]);

    // The owner's list (here: only the thief's subdomains, to prove it replaces the default).
    await h.stores.postgres.pool.query(
      "INSERT INTO site_allowed_hostname (site_id, pattern) VALUES ($1, '*.thief.example')",
      [s.siteId],
    );
    h.backend.sites.invalidate(s.siteId);
    for (const host of ['copy.thief.example', 'shield.example']) expect((await send(host)).status).toBe(202);
    await h.flushed();
    expect(await counted()).toBe(4);
    expect(await dropped()).toEqual([
      'copy.thief.example hostname_not_allowed',
      'shield.example hostname_not_allowed',
      'shield.example.evil hostname_not_allowed',
    ]);
  });

  it('when a path filter is pathological and a hit has the longest path a URL allows, then the hit is judged at once and /healthz keeps answering (issue 13)', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'p.example' });
    // As a RegExp this pattern backtracked for hours on such a path, with the event loop held.
    await addTrafficFilter(h.stores.postgres.pool, s.siteId, 'path', '/*a*a*a*a*a*a*b');
    h.backend.sites.invalidate(s.siteId);
    const key = await createTestAccessKey(h.stores.postgres.pool, s);
    const longest = (last: string) => `https://p.example/${'a'.repeat(2_048 - 'https://p.example/'.length - 1)}${last}`;
    const send = (url: string) =>
      h.post('/api/v1/hit', { url, ip: '8.8.8.8', user_agent: CHROME }, { authorization: `Bearer ${key}` });
    const [kept, dropped, health] = await Promise.all([
      send(longest('a')),
      send(longest('b')),
      fetch(`${h.backend.url}/healthz`),
    ]);
    expect(longest('a')).toHaveLength(2_048);
    expect([kept.status, dropped.status, health.status]).toEqual([202, 202, 200]);
    // Ingest answers on bare node:http declare their type too (issue 13).
    expect([kept.headers.get('x-content-type-options'), health.headers.get('x-content-type-options')]).toEqual([
      'nosniff',
      'nosniff',
    ]);
    await h.flushed();
    expect(await count('page_view', s)).toBe(1);
    const reasons = await h.query<{ reason: string }>('SELECT reason FROM request WHERE site_id = {site:UInt64}', {
      site: s.siteId,
    });
    expect(reasons).toEqual([{ reason: 'filtered_path' }]);
  });
});

describe('batches and the backlog bound', () => {
  it('when the backlog reaches its bound part-way through a batch, then the batch is still taken whole, a batch arriving while it is full is refused whole, and its retry counts every item once', async () => {
    // A second backend on the same stores with a small bound (chdb allows one harness per file).
    const lifecycle = new Lifecycle(h.log, 5_000);
    const small = await startBackend({
      config: { ...h.config, INGEST_MAX_BACKLOG: 30 },
      stores: h.stores,
      log: h.log,
      lifecycle,
    });
    await h.stopFlushers();
    try {
      const s = await createTestSite(h.stores.postgres.pool, { hostname: 'batch.example' });
      const key = await createTestAccessKey(h.stores.postgres.pool, s);
      const time = new Date().toISOString();
      const batch = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({
          url: `https://batch.example/p${from + i}`,
          ip: `10.9.${Math.floor((from + i) / 250)}.${(from + i) % 250}`,
          user_agent: CHROME,
          time,
        }));
      const post = (items: unknown[]) =>
        fetch(`${small.url}/api/v1/hit/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(items),
        });
      const pastGaugeCache = () => new Promise((r) => setTimeout(r, 300));

      // One row short of the bound, so the batch's first item fills it. The 400 items take longer
      // than the gauge's 250 ms cache, so a check per item would refuse the rest mid-way.
      const filler = {
        site_id: '0',
        time: '2000-01-01 00:00:00.000',
        reason: 'bot',
        hostname: '',
        path: '',
        user_agent: '',
        referrer: '',
      };
      for (let i = 0; i < 29; i++)
        await h.stores.redis.xadd(INGEST_STREAM, '*', 't', 'request', 'r', JSON.stringify(filler));
      await pastGaugeCache();
      const first = await post(batch(0, 400));
      expect([first.status, await first.json()]).toEqual([202, { accepted: 400, dropped: 0, rejected: [] }]);

      await pastGaugeCache();
      const queued = (await ingestBacklog(h.stores.redis)).total;
      const refused = await post(batch(400, 20));
      expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
        503,
        '5',
        { error: ['ingest backlog is full, retry later'], validation: {} },
      ]);
      expect((await ingestBacklog(h.stores.redis)).total).toBe(queued);

      h.startFlusher();
      await h.flushed();
      await pastGaugeCache();
      const retried = await post(batch(400, 20));
      expect([retried.status, await retried.json()]).toEqual([202, { accepted: 20, dropped: 0, rejected: [] }]);
      await h.flushed();
      const [views] = await h.query<{ n: string; d: string }>(
        'SELECT count() AS n, uniqExact(path) AS d FROM page_view WHERE site_id = {site:UInt64}',
        { site: s.siteId },
      );
      expect(views).toEqual({ n: '420', d: '420' });
    } finally {
      await lifecycle.stop('test end');
    }
  });
  it('when Redis refuses an item in the middle of a batch, then the items before it count once and the answer names the items to resend', async () => {
    const s = await createTestSite(h.stores.postgres.pool, { hostname: 'midway.example' });
    const key = await createTestAccessKey(h.stores.postgres.pool, s);
    const time = new Date().toISOString();
    const item = (ip: string, path: string) => ({ url: `https://midway.example${path}`, ip, user_agent: CHROME, time });
    const post = (items: unknown[]) =>
      fetch(`${h.backend.url}/api/v1/hit/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(items),
      });

    // Visitor 10.7.0.2's raw partition stream, found from its first hit, is made unusable (a string,
    // not a stream), so appending its next hit fails; the other two visitors are picked in other partitions.
    expect((await post([item('10.7.0.2', '/first')])).status).toBe(202);
    await h.flushed();
    const partition = (ip: string) => visitorPartition(s.siteId, ip, CHROME);
    const [ipA, ipC] = Array.from({ length: 60 }, (_, n) => `10.7.1.${n}`).filter(
      (ip) => partition(ip) !== partition('10.7.0.2'),
    );
    const brokenKey = rawStreamKey(partition('10.7.0.2'));
    await h.stores.redis.del(brokenKey);
    await h.stores.redis.set(brokenKey, 'not a stream');

    const midway = await post([item(ipA!, '/a'), item('10.7.0.2', '/b'), item(ipC!, '/c')]);
    expect([midway.status, await midway.json()]).toEqual([
      202,
      {
        accepted: 1,
        dropped: 0,
        rejected: [
          { index: 1, error: 'temporarily unavailable, resend this item' },
          { index: 2, error: 'temporarily unavailable, resend this item' },
        ],
      },
    ]);
    // The first item failing took nothing: the whole batch is refused and may be resent as it is.
    const refused = await post([item('10.7.0.2', '/b'), item(ipC!, '/c')]);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '5']);

    await h.stores.redis.del(brokenKey);
    const resent = await post([item('10.7.0.2', '/b'), item(ipC!, '/c')]);
    expect([resent.status, await resent.json()]).toEqual([202, { accepted: 2, dropped: 0, rejected: [] }]);
    await h.flushed();
    const views = await h.query<{ path: string }>(
      'SELECT path FROM page_view WHERE site_id = {site:UInt64} ORDER BY path',
      { site: s.siteId },
    );
    expect(views.map((v) => v.path)).toEqual(['/a', '/b', '/c', '/first']);
  });
});
