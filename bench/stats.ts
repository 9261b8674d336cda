/**
 * npm run bench:query [--quick]: statistics endpoints through the HTTP API against every SQL
 * statement those requests run, sent straight to the same engine in the same run. Two sets:
 *   overview  — what the dashboard opens (total, visitors by day, pages, referrers, countries, ...);
 *   long tail — what a customer opens next (session list, funnel, event metadata, cities, growth
 *               against the previous period, and the overview filtered by `path=~blog` and `country=DE`).
 * Prints p50/p95 per endpoint for both, and CPU ms per request (this process holds the backend and
 * the embedded engine, so its CPU time is the whole request's; it moves far less than wall time on
 * a shared machine). The ratio is the overview set's API p95 over its direct p95, summed.
 *
 * Like with like: the statements of a request are recorded from the statistics service itself, in
 * the waves it runs them (statements started together run together; a statement that waited for
 * another's answer runs after it), so "direct" is exactly the SQL work of the request.
 *
 * `--runs N` sets the runs per endpoint (default 21, --quick 7; the first of them only warms caches).
 * `--sample-above N` runs with STATS_SAMPLE_ABOVE_VIEWS=N (sampling as an option; default exact).
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
const runsArg = process.argv.indexOf('--runs');
/** Runs per endpoint (the first only warms caches); `--runs N` shortens a full run on a busy machine. */
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 7 : 21;
const sampleArg = process.argv.indexOf('--sample-above');
/** `--sample-above N`: run with STATS_SAMPLE_ABOVE_VIEWS=N (the page list samples; default: exact). */
const SAMPLE_ABOVE = sampleArg > 0 ? Number(process.argv[sampleArg + 1]) : 0;

type Case = { name: string; endpoint: string; params?: Record<string, string> };
const FILTERED = { path: '~blog', country: 'DE' };
const OVERVIEW: Case[] = ['total', 'visitor', 'page', 'referrer', 'country', 'browser', 'os', 'platform', 'screen'].map(
  (endpoint) => ({ name: endpoint, endpoint }),
);
const LONG_TAIL: Case[] = [
  { name: 'session/list', endpoint: 'session/list' },
  { name: 'funnel', endpoint: 'funnel' },
  { name: 'event/meta', endpoint: 'event/meta', params: { event: 'Signup', event_meta_key: 'plan' } },
  { name: 'city', endpoint: 'city' },
  { name: 'growth', endpoint: 'growth' },
  ...['total', 'visitor', 'page', 'country'].map((endpoint) => ({
    name: `${endpoint}~blog,DE`,
    endpoint,
    params: FILTERED,
  })),
];

type Statement = Parameters<ClickHouseClient['query']>[0];

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-stats-'));
await fs.chmod(dataDir, 0o755);
const config = loadConfig({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  BACKEND_PORT: '0',
  STATS_SAMPLE_ABOVE_VIEWS: String(SAMPLE_ABOVE),
});
const log = createLogger(config, 'bench');
const stores = await openStores(config, log);
const lifecycle = new Lifecycle(log, 10_000);
try {
  await migrate(stores, log);
  const db = stores.postgres.pool;
  const user = await seedUser(db);
  const site = await seedSite(db, user.organizationId, { hostname: 'bench.example' });
  const client = await seedApiClient(db, user.organizationId);
  const funnel = await db.query<{ id: string }>(
    "INSERT INTO funnel (site_id, name) VALUES ($1, 'bench') RETURNING id",
    [site.id],
  );
  await db.query(
    `INSERT INTO funnel_step (funnel_id, step, name, filter) VALUES ($1, 1, 'blog', '{"path": "~blog"}'),
       ($1, 2, 'p/1', '{"path": "/p/1"}'), ($1, 3, 'p/2', '{"path": "/p/2"}')`,
    [funnel.rows[0]!.id],
  );
  const clickhouse = stores.clickhouse.reader; // the connection the API's statistics use
  const loadStarted = performance.now();
  const loaded = await loadVisits(stores.clickhouse.client, site.id, PAGE_VIEWS);
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
  const queryOf = (c: Case) => ({ id: site.id, from, to, ...c.params });

  // Every statement each case runs, recorded from the statistics service itself, grouped in waves.
  const recorded = new Map<string, Statement[][]>();
  for (const c of [...OVERVIEW, ...LONG_TAIL]) {
    const endpoint = STATISTICS_ENDPOINTS.find((e) => e.path === c.endpoint)!;
    const waves: Statement[][] = [];
    let settled = 0;
    let wave = -1;
    let waveStartedAt = -1;
    const recorder = {
      query: async (args: Statement) => {
        // A statement starting before any new answer arrived joins the current wave.
        if (settled !== waveStartedAt || wave < 0) {
          waves.push([]);
          wave++;
          waveStartedAt = settled;
        }
        waves[wave]!.push(args);
        try {
          return await clickhouse.query(args);
        } finally {
          settled++;
        }
      },
    } as unknown as ClickHouseClient;
    const answer = await runStatistics(
      { clickhouse: recorder, db, sampleAboveViews: SAMPLE_ABOVE },
      endpoint,
      site,
      parseStatisticsQuery(endpoint, queryOf(c)),
    );
    const body = answer.body as unknown;
    const size = Array.isArray(body) ? body.length : 1;
    process.stderr.write(
      `${c.name.padEnd(16)} ${waves.map((w) => w.length).join('+')} statements in ${waves.length} wave(s), ${size} row(s)\n`,
    );
    recorded.set(c.name, waves);
  }

  const api = async (c: Case) => {
    const response = await fetch(`${backend.url}/api/v1/statistics/${c.endpoint}?${new URLSearchParams(queryOf(c))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200) throw new Error(`${c.name}: ${response.status} ${await response.text()}`);
    await response.json();
  };
  const direct = async (c: Case) => {
    for (const wave of recorded.get(c.name)!)
      await Promise.all(wave.map(async (q) => (await clickhouse.query(q)).json()));
  };

  type Times = { wall: number[]; cpu: number[] };
  const results = new Map<string, { api: Times; direct: Times }>();
  const all = [...OVERVIEW, ...LONG_TAIL];
  for (const c of all) results.set(c.name, { api: { wall: [], cpu: [] }, direct: { wall: [], cpu: [] } });
  for (let run = 0; run < RUNS; run++) {
    for (const c of all) {
      for (const [kind, fn] of [
        ['api', api],
        ['direct', direct],
      ] as const) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        await fn(c);
        const used = process.cpuUsage(cpu);
        if (run === 0) continue; // the first run warms caches
        results.get(c.name)![kind].wall.push(performance.now() - started);
        results.get(c.name)![kind].cpu.push((used.user + used.system) / 1000);
      }
    }
  }

  const pct = (values: number[], p: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
  const sums = { apiP95: 0, directP95: 0, apiCpu: 0, directCpu: 0, tailApiP95: 0, tailDirectP95: 0, worst: 0 };
  const ms = (v: number) => v.toFixed(0).padStart(6);
  process.stderr.write(
    `\n${'endpoint'.padEnd(16)}   API p50    p95  cpu p50 │ direct p50    p95  cpu p50   (ms; load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)\n`,
  );
  for (const c of all) {
    const r = results.get(c.name)!;
    const [a50, a95, d50, d95] = [
      pct(r.api.wall, 50),
      pct(r.api.wall, 95),
      pct(r.direct.wall, 50),
      pct(r.direct.wall, 95),
    ];
    const [ac, dc] = [pct(r.api.cpu, 50), pct(r.direct.cpu, 50)];
    if (OVERVIEW.includes(c)) {
      sums.apiP95 += a95;
      sums.directP95 += d95;
      sums.apiCpu += ac;
      sums.directCpu += dc;
      sums.worst = Math.max(sums.worst, a95);
    } else {
      sums.tailApiP95 += a95;
      sums.tailDirectP95 += d95;
    }
    process.stderr.write(`${c.name.padEnd(16)} ${ms(a50)} ${ms(a95)} ${ms(ac)}   │ ${ms(d50)} ${ms(d95)} ${ms(dc)}\n`);
  }
  process.stdout.write(
    `${line('query', sums.apiP95 / sums.directP95, {
      cpu_ratio: (sums.apiCpu / sums.directCpu).toFixed(2),
      api_p95_max_ms: Math.round(sums.worst),
      api_p95_sum_ms: Math.round(sums.apiP95),
      direct_p95_sum_ms: Math.round(sums.directP95),
      tail_ratio: (sums.tailApiP95 / sums.tailDirectP95).toFixed(2),
      tail_api_p95_sum_ms: Math.round(sums.tailApiP95),
      page_views: loaded.pageViews,
      runs: RUNS - 1,
      load: os.loadavg()[0]!.toFixed(1),
      ...(SAMPLE_ABOVE ? { sample_above_views: SAMPLE_ABOVE } : {}),
    })}\n`,
  );
} finally {
  await lifecycle.stop('bench end').catch(() => undefined);
  await stores.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
