import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@spur/accounts';
import { checkSiteStatistics } from '@spur/stats';
import { startIngestHarness, type IngestHarness } from '@spur/testkit';
import { DEMO_LOGIN, demoTrickleSites, runDemoTrickle, seedDemo } from '@spur/demo';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(() => h?.stop());

const pageViews = async (site: string) =>
  Number(
    (await h.query<{ n: string }>('SELECT count() AS n FROM page_view WHERE site_id = {s:UInt64}', { s: site }))[0]!.n,
  );

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
    const sites = await h.stores.postgres.pool.query(
      "SELECT hostname, public, subdomain FROM site WHERE kind = 'site' ORDER BY id",
    );
    expect(sites.rows).toEqual([
      { hostname: 'demo.spur.localhost', public: true, subdomain: 'demo' },
      { hostname: 'docs.spur.localhost', public: false, subdomain: null },
    ]);
    // One rollup view of both sites, made once: the second run finds it.
    const rollups = await h.stores.postgres.pool.query(
      `SELECT s.id::text, s.name, s.timezone, json_agg(m.site_id::text ORDER BY m.site_id) AS members
         FROM site s JOIN site_rollup_member m ON m.rollup_id = s.id WHERE s.kind = 'rollup' GROUP BY s.id`,
    );
    expect(rollups.rows).toEqual([
      { id: first.rollup.id, name: 'All Acme sites', timezone: 'Europe/Berlin', members: first.sites.map((s) => s.id) },
    ]);
    expect(again.rollup).toEqual(first.rollup);
    const rollupGoals = await h.stores.postgres.pool.query(
      'SELECT name, event_name, custom_metric_key, currency FROM goal WHERE site_id = $1',
      [first.rollup.id],
    );
    expect(rollupGoals.rows).toEqual([
      { name: 'Revenue', event_name: 'Purchase', custom_metric_key: 'amount', currency: 'EUR' },
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
      // The daily invariants (0 <= bounces <= sessions, visitors <= sessions) and one live state per visit.
      const check = await checkSiteStatistics(h.stores.clickhouse.client, { id: site.id, timezone: 'UTC' });
      expect({ violations: check.violations, broken: check.brokenSessions }).toEqual({ violations: [], broken: 0 });
      // Planned visits of a returning visitor less than 30 minutes apart are one session by the rules.
      expect(check.sessions).toBeLessThanOrEqual(traffic.sessions);
    }

    // The main site comes with goals (one adds up revenue in euros), a sign-up funnel and chart notes, once.
    const main = first.sites[0]!.id;
    const setup = await h.stores.postgres.pool.query(
      `SELECT (SELECT json_agg(json_build_array(name, custom_metric_key, currency) ORDER BY id) FROM goal WHERE site_id = $1) AS goals,
              (SELECT json_agg(name) FROM funnel WHERE site_id = $1) AS funnels,
              (SELECT count(*)::int FROM annotation WHERE site_id = $1) AS annotations`,
      [main],
    );
    expect(setup.rows[0]).toEqual({
      goals: [
        ['Signed up', '', ''],
        ['Revenue', 'amount', 'EUR'],
        ['Saw pricing', '', ''],
        ['Read the docs', '', ''],
      ],
      funnels: ['Sign-up'],
      annotations: 3,
    });
    const [purchases] = await h.query<Record<string, string>>(
      `SELECT count() AS n FROM event WHERE site_id = {s:UInt64} AND event_name = 'Purchase'
         AND toFloat64OrZero(event_meta_values[indexOf(event_meta_keys, 'amount')]) > 0`,
      { s: main },
    );
    expect(Number(purchases!.n)).toBeGreaterThan(0);

    // While dev runs, live visits trickle in through the same session store and reach ClickHouse.
    const before = await pageViews(main);
    const stop = new AbortController();
    let sent = 0;
    const trickle = runDemoTrickle({
      redis: h.stores.redis,
      sites: demoTrickleSites(again).filter((s) => s.site.id === main),
      signal: stop.signal,
      every: [50, 150],
      seed: 3,
      onHit: (hit) => void (hit.event ? undefined : sent++),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop.abort();
    await trickle;
    await h.flushed(60_000);
    expect(sent).toBeGreaterThan(0);
    expect(await pageViews(main)).toBe(before + sent);
  }, 240_000);
});
