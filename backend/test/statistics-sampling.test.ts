import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApiClient, seedSite, seedUser } from '@spur/accounts/testing';
import { startIngestHarness, type IngestHarness } from '@spur/testkit';

/**
 * Issue 20, sampling as an option: with STATS_SAMPLE_ABOVE_VIEWS set, a page list over a period with
 * more page views reads a sample of the visitors and says so in `X-Spur-Sampled`; other statistics
 * stay exact and unmarked. (The counts themselves: statistics-page-projection.test.ts.)
 */
let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness({ env: { STATS_SAMPLE_ABOVE_VIEWS: '10' } });
});
afterAll(() => h?.stop());

describe('sampling through the API', () => {
  it('when the period holds 40 page views and the threshold is 10, then the page list is read from a quarter of the visitors, scaled, and marked', async () => {
    const db = h.stores.postgres.pool;
    const user = await seedUser(db);
    const site = await seedSite(db, user.organizationId, {});
    const client = await seedApiClient(db, user.organizationId);
    const token = (
      (await (
        await h.post('/api/v1/token', { client_id: client.client_id, client_secret: client.client_secret })
      ).json()) as { access_token: string }
    ).access_token;
    // 20 visitors with one visit of two page views of /x yesterday; ids of the odd ones above 2^63.
    const start = new Date(Date.now() - 86_400_000);
    const day = start.toISOString().slice(0, 10);
    const id = (n: number) => (n % 2 ? (2n ** 63n + BigInt(n)).toString() : String(n));
    const at = (seconds: number) =>
      new Date(Date.parse(`${day}T12:00:00Z`) + seconds * 1000).toISOString().replace('T', ' ').replace('Z', '');
    const visitors = Array.from({ length: 20 }, (_, i) => i + 1);
    await h.stores.clickhouse.client.insert({
      table: 'page_view',
      format: 'JSONEachRow',
      values: visitors.flatMap((n) =>
        [0, 60].map((s) => ({ site_id: site.id, visitor_id: id(n), session_id: n, time: at(n + s), path: '/x' })),
      ),
    });
    await h.stores.clickhouse.client.insert({
      table: 'session',
      format: 'JSONEachRow',
      values: visitors.map((n) => ({
        sign: 1,
        version: 1,
        site_id: site.id,
        visitor_id: id(n),
        session_id: n,
        start: at(n),
        time: at(n + 60),
        entry_path: '/x',
        exit_path: '/x',
        page_views: 2,
      })),
    });

    const get = (path: string) =>
      fetch(`${h.backend.url}/api/v1/statistics/${path}?id=${site.id}&from=${day}&to=${day}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const pages = await get('page');
    expect(pages.status).toBe(200);
    // 10 / 40 page views: visitor ids below 2^62 are read, the 10 even visitors, 20 page views.
    expect(pages.headers.get('x-spur-sampled')).toBe('0.25');
    const [row] = (await pages.json()) as { path: string; visitors: number; views: number; sessions: number }[];
    expect(row).toMatchObject({ path: '/x', visitors: 40, views: 80, sessions: 40 });

    const total = await get('total');
    expect(total.headers.get('x-spur-sampled')).toBeNull();
    expect(await total.json()).toMatchObject({ visitors: 20, views: 40, sessions: 20 });
  });
});
