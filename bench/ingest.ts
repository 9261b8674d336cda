/**
 * npm run bench:ingest [--quick]: requests per second that /api/v1/hit sustains against a bare
 * node:http handler that only parses the same JSON, both measured with the same autocannon load in
 * the same run (these machines are noisy; the ratio is what to compare between runs). A third
 * server, session-only, answers once the hit is appended to its raw partition stream in Redis and
 * does nothing else (see ingest-servers.ts): the ceiling of any pipeline that, like ours,
 * acknowledges a hit only once Redis holds it. spur/session-only is the pipeline's own share of the
 * gap. With --replica a fourth server, spur-replica, answers only once a Redis replica holds the hit
 * (WAIT): replica_per_spur is its price. Sessions are computed downstream now, so the line also
 * gives what that costs where it runs: one sessionizer draining raw hits (hits/s, CPU µs a hit of
 * the sessionizer and its Redis), measured after the rounds with nothing else under load.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { spawnProcess } from '@spur/testkit';
import { line, median, quick, startChild, treeCpuSeconds, treeRssMb } from './lib.ts';

const roundsArg = process.argv.indexOf('--rounds');
/** `--rounds N`: e.g. 40 for a 10-minute run that shows whether memory stays flat. */
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 2 : 5;
const duration = quick ? 3 : 5;
const warmUp = quick ? 3 : 5;
const connections = 20;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

async function load(url: string, seconds = duration) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/api/v1/hit`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          n++;
          // Many visitors, each with a few pages: realistic session work for the pipeline.
          const visitor = n % 5_000;
          return {
            ...request,
            headers: {
              'content-type': 'text/plain',
              'user-agent': CHROME,
              'x-forwarded-for': `100.64.${visitor >> 8}.${visitor & 255}`,
            },
            body: JSON.stringify({
              identification_code: 'benchbenchbenchbenchbenchbench12',
              url: `https://bench.example/page/${n % 50}?utm_source=bench`,
              title: 'Bench page',
              referrer: n % 3 === 0 ? 'https://www.google.com/' : '',
              screen_width: 1920,
              screen_height: 1080,
            }),
          };
        },
      },
    ],
  });
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors of ${ok + result.non2xx}`);
  return { rps: result.requests.average, p99: result.latency.p99, requests: ok };
}

// --replica adds spur-replica: the backend with REDIS_WAIT_REPLICAS=1 against a Redis with one replica.
const replica = process.argv.includes('--replica');
const MODES = (['bare', 'session-only', 'spur', 'spur-replica'] as const).filter(
  (m) => replica || m !== 'spur-replica',
);
type Mode = (typeof MODES)[number];

// All three servers run at once and take turns under load, round after round: on a shared VM the
// speed of the machine drifts by a quarter within a minute, and servers measured one after the
// other would compare different machines. Each figure is the median of its rounds.
const servers = await Promise.all(MODES.map((mode) => startChild('bench/ingest-servers.ts', [mode])));
const results = new Map<Mode, { rps: number; p99: number; requests: number; cpu: number }[]>(
  MODES.map((mode) => [mode, []]),
);
const spurPid = () => servers[MODES.indexOf('spur')]!.child.child.pid!;
/** The spur server's RSS after warm-up and after every round: flat or growing, seen through the run. */
const rss: number[] = [];
try {
  for (const server of servers) await load(server.url, warmUp); // JIT, caches, connections
  rss.push(treeRssMb(spurPid()));
  for (let round = 0; round < rounds; round++) {
    for (const [i, mode] of MODES.entries()) {
      const pid = servers[i]!.child.child.pid!;
      const before = treeCpuSeconds(pid);
      const result = await load(servers[i]!.url);
      results.get(mode)!.push({ ...result, cpu: treeCpuSeconds(pid) - before });
    }
    rss.push(treeRssMb(spurPid()));
  }
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.child.exited));
}

// The work taken off the request path, alone on the machine (the servers are gone): one sessionizer
// and its Redis draining raw hits written beforehand.
const sessionizerHits = quick ? 50_000 : 200_000;
const sessionizerChild = spawnProcess(
  process.execPath,
  ['--import', 'tsx', 'bench/ingest-servers.ts', 'sessionizer', String(sessionizerHits)],
  { env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' } },
);
const sessionized = JSON.parse((await sessionizerChild.waitFor(/^sessionized (\{.*\})$/m, 300_000))[1]!) as {
  hits: number;
  hits_per_s: number;
  cpu_us: number;
};
await sessionizerChild.exited;
const rps = (mode: Mode) => median(results.get(mode)!.map((r) => r.rps));
const p99 = (mode: Mode) => median(results.get(mode)!.map((r) => r.p99));
/** CPU µs per hit of the server and its Redis, over all rounds. */
const cpuUs = (mode: Mode) => {
  const all = results.get(mode)!;
  return Math.round((all.reduce((sum, r) => sum + r.cpu, 0) * 1e6) / all.reduce((sum, r) => sum + r.requests, 0));
};

/** Smallest and largest of a figure over the rounds: the spread to read the medians against. */
const spread = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
const spurRounds = results.get('spur')!;
const bareRounds = results.get('bare')!;

process.stdout.write(
  `${line('ingest', rps('spur') / rps('bare'), {
    spur_rps: Math.round(rps('spur')),
    bare_rps: Math.round(rps('bare')),
    session_only_rps: Math.round(rps('session-only')),
    session_only_ratio: (rps('session-only') / rps('bare')).toFixed(2),
    spur_per_session_only: (rps('spur') / rps('session-only')).toFixed(2),
    p99_ms: p99('spur'),
    session_only_p99_ms: p99('session-only'),
    bare_p99_ms: p99('bare'),
    ratio_rounds: spread(
      spurRounds.map((r, i) => r.rps / bareRounds[i]!.rps),
      2,
    ),
    spur_cpu_us: cpuUs('spur'),
    spur_cpu_us_rounds: spread(
      spurRounds.map((r) => (r.cpu * 1e6) / r.requests),
      0,
    ),
    session_only_cpu_us: cpuUs('session-only'),
    bare_cpu_us: cpuUs('bare'),
    ...(replica
      ? {
          spur_replica_rps: Math.round(rps('spur-replica')),
          replica_per_spur: (rps('spur-replica') / rps('spur')).toFixed(2),
          spur_replica_p99_ms: p99('spur-replica'),
          spur_replica_cpu_us: cpuUs('spur-replica'),
        }
      : {}),
    spur_rss_mb_start: (rss[0] ?? NaN).toFixed(0),
    spur_rss_mb_max: Math.max(...rss).toFixed(0),
    spur_rss_mb_end: (rss.at(-1) ?? NaN).toFixed(0),
    sessionizer_hits_per_s: Math.round(sessionized.hits_per_s),
    sessionizer_cpu_us: sessionized.cpu_us.toFixed(0),
    sessionizer_hits: sessionized.hits,
    connections,
    rounds,
    round_s: duration,
    load: os.loadavg()[0]!.toFixed(1),
  })}\n`,
);
