import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@spur/accounts';
import { startIngestHarness, type IngestHarness } from '@spur/testkit';
import { DEMO_LOGIN, seedDemo } from '@spur/demo';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(() => h?.stop());

describe('demo data', () => {
  it('creates the demo login and sites once, and every generated hit lands in ClickHouse with believable shape', async () => {
    const first = await seedDemo({ config: h.config, stores: h.stores, log: h.log, days: 2 });
    await h.flushed(120_000);
    const again = await seedDemo({ config: h.config, stores: h.stores, log: h.log, days: 2 });
    expect(again.sites.map((s) => s.id)).toEqual(first.sites.map((s) => s.id));
    expect(again.sites.every((s) => s.traffic === undefined)).toBe(true);

    const { rows } = await h.stores.postgres.pool.query(
      'SELECT password_hash, email_verified_at IS NOT NULL AS verified FROM app_user WHERE email = $1',
      [DEMO_LOGIN.email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].verified).toBe(true);
    expect(await verifyPassword(DEMO_LOGIN.password, rows[0].password_hash)).toBe(true);
    const sites = await h.stores.postgres.pool.query('SELECT hostname, public, subdomain FROM site ORDER BY id');
    expect(sites.rows).toEqual([
      { hostname: 'demo.spur.localhost', public: true, subdomain: 'demo' },
      { hostname: 'docs.spur.localhost', public: false, subdomain: null },
    ]);

    for (const site of first.sites) {
      const traffic = site.traffic!;
      expect(traffic.pageViews).toBeGreaterThan(traffic.sessions);
      const [row] = await h.query<Record<string, string>>(
        `SELECT (SELECT count() FROM page_view WHERE site_id = {s:UInt64}) AS views,
                (SELECT count() FROM event WHERE site_id = {s:UInt64}) AS events,
                (SELECT sum(sign * page_views) FROM session WHERE site_id = {s:UInt64}) AS session_views,
                (SELECT uniqExact(channel) FROM session WHERE site_id = {s:UInt64}) AS channels,
                (SELECT uniqExact(country_code) FROM session WHERE site_id = {s:UInt64}) AS countries`,
        { s: site.id },
      );
      expect(row!.views).toBe(String(traffic.pageViews));
      expect(row!.events).toBe(String(traffic.events));
      expect(row!.session_views).toBe(String(traffic.pageViews));
      expect(Number(row!.channels)).toBeGreaterThanOrEqual(5);
      expect(Number(row!.countries)).toBeGreaterThanOrEqual(10);
    }
  }, 240_000);
});
