/**
 * npm run bench:query [--quick]: the dashboard's overview set (total, visitors by day over 30 days,
 * pages, referrers, countries, browsers, OS, platforms, screen classes) through the HTTP API, and the
 * very SQL those requests run, sent straight to the same engine in the same run. Prints p50/p95 per
 * endpoint for both and the API overhead ratio (API p95 / direct p95, summed over the set).
 *
 * Data: 10,000,000 page views (--quick: 400,000) in 4 million visits of 1 million visitors over
 * 30 days, with events, bulk-loaded by INSERT … SELECT in the tables' own shapes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { seedApiClient, seedSite, seedUser } from '@spur/accounts/testing';
import { startBackend } from '@spur/backend';
import { loadConfig } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { parseStatisticsQuery, runStatistics, STATISTICS_ENDPOINTS } from '@spur/stats';
import { migrate, openStores } from '@spur/storage';
import { line, quick } from './lib.ts';
import { loadVisits } from './stats-data.ts';

const PAGE_VIEWS = quick ? 400_000 : 10_000_000;
const RUNS = quick ? 7 : 21;
const SET = ['total', 'visitor', 'page', 'referrer', 'country', 'browser', 'os', 'platform', 'screen'];

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-stats-'));
await fs.chmod(dataDir, 0o755);
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', BACKEND_PORT: '0' });
const log = createLogger(config, 'bench');
const stores = await openStores(config, log);
const lifecycle = new Lifecycle(log, 10_000);
try {
  await migrate(stores, log);
  const db = stores.postgres.pool;
  const user = await seedUser(db);
  const site = await seedSite(db, user.organizationId, { hostname: 'bench.example' });
  const client = await seedApiClient(db, user.organizationId);
  const clickhouse = stores.clickhouse.client;
  const loadStarted = performance.now();
  const loaded = await loadVisits(clickhouse, site.id, PAGE_VIEWS);
  process.stderr.write(
    `loaded ${loaded.pageViews} page views, ${loaded.sessions} visits, ${loaded.events} events in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s\n`,
  );

  const backend = await startBackend({ config, stores, log, lifecycle });
  const token = (
    (await (
      await fetch(`${backend.url}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: client.client_id, client_secret: client.client_secret }),
      })
    ).json()) as { access_token: string }
  ).access_token;
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const query = { id: site.id, from, to };

  // The SQL each endpoint runs, recorded from the statistics service itself.
  const recorded = new Map<string, Parameters<ClickHouseClient['query']>[0][]>();
  for (const name of SET) {
    const endpoint = STATISTICS_ENDPOINTS.find((e) => e.path === name)!;
    const calls: Parameters<ClickHouseClient['query']>[0][] = [];
    const recorder = {
      query: (args: Parameters<ClickHouseClient['query']>[0]) => (calls.push(args), clickhouse.query(args)),
    } as unknown as ClickHouseClient;
    await runStatistics({ clickhouse: recorder, db }, endpoint, site, parseStatisticsQuery(endpoint, query));
    recorded.set(name, calls);
  }

  const api = async (name: string) => {
    const response = await fetch(`${backend.url}/api/v1/statistics/${name}?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200) throw new Error(`${name}: ${response.status} ${await response.text()}`);
    await response.json();
  };
  // The endpoint's queries run concurrently, as the service runs them.
  const direct = (name: string) =>
    Promise.all(recorded.get(name)!.map(async (q) => (await clickhouse.query(q)).json()));

  const results: Record<string, { api: number[]; direct: number[] }> = {};
  for (const name of SET) results[name] = { api: [], direct: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const name of SET) {
      for (const [kind, fn] of [
        ['api', api],
        ['direct', direct],
      ] as const) {
        const started = performance.now();
        await fn(name);
        if (run > 0) results[name]![kind].push(performance.now() - started); // the first run warms caches
      }
    }
  }
  const pct = (values: number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
  let apiP95 = 0;
  let directP95 = 0;
  let worst = 0;
  for (const name of SET) {
    const r = results[name]!;
    const [a50, a95, d50, d95] = [pct(r.api, 50), pct(r.api, 95), pct(r.direct, 50), pct(r.direct, 95)];
    apiP95 += a95;
    directP95 += d95;
    worst = Math.max(worst, a95);
    process.stderr.write(
      `${name.padEnd(9)} api p50 ${a50.toFixed(0).padStart(5)} ms  p95 ${a95.toFixed(0).padStart(5)} ms   direct p50 ${d50.toFixed(0).padStart(5)} ms  p95 ${d95.toFixed(0).padStart(5)} ms\n`,
    );
  }
  process.stdout.write(
    `${line('query', apiP95 / directP95, { api_p95_max_ms: Math.round(worst), api_p95_sum_ms: Math.round(apiP95), direct_p95_sum_ms: Math.round(directP95), page_views: loaded.pageViews, runs: RUNS - 1 })}\n`,
  );
} finally {
  await lifecycle.stop('bench end').catch(() => undefined);
  await stores.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
