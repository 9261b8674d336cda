/**
 * The servers bench:ingest compares, each run as its own process (argv[2]):
 *   spur — the real backend on embedded engines, with one demo site;
 *   bare — node:http that only reads and parses the JSON body: the ceiling for any Node handler;
 *   spur-replica — spur whose Redis has a replica, each hit acknowledged only once the replica holds it;
 *   session-only — bare plus the one thing every hit must do before it is answered under our design:
 *     the append of the hit to its raw partition stream in Redis (the real appender and script, over
 *     ioredis, with the real members of a fixed page and dimensions). No lookup, validation,
 *     enrichment or metrics: what is left between it and spur is the pipeline's own cost, what is
 *     left between it and bare is the price of answering only once Redis holds the hit.
 * And one that is not a server: sessionizer — fills raw partitions with `argv[3]` hits of 5,000
 * visitors (the same members), then times one sessionizer draining them into the ingest stream and
 * prints `sessionized <json>`: the work taken off the request path, measured on its own.
 */
import { spawn } from 'node:child_process';
import type http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBackend } from '@spur/backend';
import { loadConfig } from '@spur/config';
import {
  createHitAppender,
  createSessionizer,
  formatTime,
  hitMembers,
  INGEST_STREAM,
  ingestBacklog,
  RAW_PARTITIONS,
  RAW_STREAMS,
  sourceKey,
} from '@spur/ingest';
import { treeCpuSeconds } from './lib.ts';
import { createLogger, freePort, Lifecycle, listen } from '@spur/runtime';
import { migrate, openRedis, openStores } from '@spur/storage';
import { startEmbeddedRedis } from '@spur/storage/embedded';

const mode = process.argv[2];

/** node:http reading and parsing the JSON body, then `answer` (202 once it resolves). */
function jsonServer(
  answer: (body: { url: string; referrer: string }, req: http.IncomingMessage) => Promise<unknown> | undefined,
) {
  return listen(
    (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const pending = answer(
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as { url: string; referrer: string },
          req,
        );
        // No closure for the bare handler: the baseline must stay as lean as it was.
        if (pending) void pending.then(() => accept(res));
        else accept(res);
      });
    },
    0,
    '127.0.0.1',
  );
}

function accept(res: http.ServerResponse) {
  res.writeHead(202, { 'content-type': 'application/json' });
  res.end();
}

if (mode === 'bare') {
  const server = await jsonServer(() => undefined);
  process.stdout.write(`listening ${server.url}\n`);
} else if (mode === 'session-only' || mode === 'sessionizer') {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const log = createLogger(config, 'bench');
  const lifecycle = new Lifecycle(log, 10_000);
  const embedded = await startEmbeddedRedis({ dir: path.join(dataDir, 'redis'), log, searchPath: config.PATH });
  const redis = openRedis(embedded.url);
  lifecycle.onStop('redis', async () => {
    await redis.quit();
    await embedded.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  const appendHit = createHitAppender(redis);
  const site = { id: '1' };
  const dims = {
    hostname: 'bench.example',
    path: '',
    title: 'Bench page',
    language: 'en',
    country_code: '',
    region: '',
    city: '',
    referrer: '',
    referrer_name: 'bench',
    channel: 'Referral',
    os: 'Linux',
    os_version: '',
    browser: 'Chrome',
    browser_version: '140',
    platform: 'desktop',
    screen_class: 'XL',
    utm_source: 'bench',
    utm_medium: '',
    utm_campaign: '',
    utm_content: '',
    utm_term: '',
  };
  const append = (visitorId: string, url: string, referrer: string, time: Date) =>
    appendHit({
      kind: 'page_view',
      siteId: site.id,
      visitorId,
      previousVisitorId: undefined,
      time,
      sourceKey: sourceKey(referrer, ['bench', '', '', '', '']),
      interactive: false,
      members: hitMembers({ site, dims: { ...dims, path: new URL(url).pathname }, visitorId }, formatTime(time), {
        kind: 'page_view',
        tags: {},
      }),
    });
  if (mode === 'sessionizer') {
    const hits = Number(process.argv[3] ?? 100_000);
    const start = Date.now() - hits;
    for (let n = 0; n < hits; n += 1_000)
      await Promise.all(
        Array.from({ length: Math.min(1_000, hits - n) }, (_, i) =>
          append(
            String(1_000_000 + ((n + i) % 5_000)),
            `https://bench.example/page/${(n + i) % 50}`,
            (n + i) % 3 === 0 ? 'https://www.google.com/' : '',
            new Date(start + n + i),
          ),
        ),
      );
    const sessionizer = createSessionizer({ redis, log, leaseMs: 10_000 });
    const cpuBefore = treeCpuSeconds(process.pid);
    const started = performance.now();
    sessionizer.start();
    // Done when the sessionizer has counted every hit (raw streams empty is earlier: its last replies
    // may still be on their way back).
    const counted = async () => {
      const { applied, ignored, failed } = await sessionizer.metrics();
      return applied + ignored + failed;
    };
    while ((await ingestBacklog(redis)).raw > 0 || (await counted()) < hits) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - started) / 1000;
    const cpu = treeCpuSeconds(process.pid) - cpuBefore;
    const { applied } = await sessionizer.metrics();
    await sessionizer.stop();
    process.stdout.write(
      `sessionized ${JSON.stringify({ hits: applied, seconds, hits_per_s: applied / seconds, cpu_us: (cpu * 1e6) / applied })}\n`,
    );
    await lifecycle.stop('done');
    process.exit(0);
  }
  const server = await jsonServer((body, req) => {
    const time = new Date();
    // One visitor per forwarded address, as the real pipeline has it (minus the hash).
    const visitorId = String(req.headers['x-forwarded-for'])
      .split('.')
      .map((octet) => octet.padStart(3, '0'))
      .join('');
    return append(visitorId, body.url, body.referrer, time);
  });
  // Stands in for the sessionizers, which are not running here (see the spur server's trim).
  const trim = setInterval(() => {
    for (const key of RAW_STREAMS) redis.xtrim(key, 'MAXLEN', '~', 100_000 / RAW_PARTITIONS).catch(() => undefined);
  }, 1_000);
  lifecycle.onStop('trim', () => clearInterval(trim));
  lifecycle.handleSignals();
  process.stdout.write(`listening ${server.url}\n`);
} else {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-bench-'));
  await fs.chmod(dataDir, 0o755);
  // spur-replica: the same backend whose Redis has a replica, each hit answered once the replica
  // holds it (REDIS_WAIT_REPLICAS=1, issue 19): the price of WAIT.
  const replica = mode === 'spur-replica' ? await startReplicatedRedis(dataDir) : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    BACKEND_PORT: '0',
    TRUSTED_PROXIES: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...(replica ? { REDIS_URL: replica.url, REDIS_WAIT_REPLICAS: '1' } : {}),
  });
  const log = createLogger(config, 'bench');
  const lifecycle = new Lifecycle(log, 10_000);
  if (replica) lifecycle.onStop('redis pair', replica.stop);
  const stores = await openStores(config, log);
  lifecycle.onStop('stores', stores.close);
  lifecycle.onStop('data', () => fs.rm(dataDir, { recursive: true, force: true }));
  await migrate(stores, log);
  const org = await stores.postgres.pool.query<{ id: string }>(
    "INSERT INTO organization (name) VALUES ('bench') RETURNING id",
  );
  await stores.postgres.pool.query(
    "INSERT INTO site (organization_id, hostname, name, identification_code) VALUES ($1, 'bench.example', 'bench', $2)",
    [org.rows[0]!.id, 'benchbenchbenchbenchbenchbench12'],
  );
  const server = await startBackend({ config, stores, log, lifecycle });
  // Stands in for the sessionizers and the flusher, which are not running here (their work is
  // measured apart, by the sessionizer mode): the raw partitions would otherwise grow until the
  // backlog bound answers 503 (a 10-minute run holds more than a million hits) and Redis' memory with
  // them. Trimming costs Redis a few µs a second, not a hit's worth.
  const trim = setInterval(() => {
    for (const key of [INGEST_STREAM, ...RAW_STREAMS])
      stores.redis.xtrim(key, 'MAXLEN', '~', 100_000 / RAW_PARTITIONS).catch(() => undefined);
  }, 1_000);
  lifecycle.onStop('trim', () => clearInterval(trim));
  lifecycle.handleSignals();
  process.stdout.write(`listening ${server.url}\n`);
}

/** An embedded Redis primary and one replica of it (redis-server --replicaof), in sync before it returns. */
async function startReplicatedRedis(dataDir: string) {
  const log = createLogger({ LOG_LEVEL: 'warn' }, 'bench');
  const primary = await startEmbeddedRedis({
    dir: path.join(dataDir, 'redis-primary'),
    log,
    searchPath: '/usr/bin:/bin',
  });
  const port = await freePort();
  await fs.mkdir(path.join(dataDir, 'redis-replica'));
  const child = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', path.join(dataDir, 'redis-replica')],
      ...['--appendonly', 'yes', '--save', '', '--replicaof', '127.0.0.1', new URL(primary.url).port],
    ],
    { stdio: 'ignore' },
  );
  const probe = openRedis(primary.url);
  while (!/slave0:.*state=online/.test(await probe.info('replication'))) await new Promise((r) => setTimeout(r, 50));
  probe.disconnect();
  return {
    url: primary.url,
    stop: async () => {
      child.kill('SIGTERM');
      await primary.stop();
    },
  };
}
