/**
 * `npm run bench:website [--quick]`: how fast the website renders its pages, against the same pages
 * served as prebuilt strings by a bare node:http server, measured in the same run on loopback.
 *
 * Each server runs in its own child process (this file with `--serve rendered|prebuilt`), so the
 * load generator never shares an event loop with the server it measures. Load is bounded: a fixed
 * number of connections for a fixed time per server.
 *
 * Last line: bench:website ratio=<rendered_rps/prebuilt_rps> rendered_rps=… prebuilt_rps=… p50_ms=… with the
 * smallest and largest ratio of a single round (the spread), cpu_ratio (prebuilt CPU µs per request over
 * rendered: steadier than requests per second on a shared machine) and the 1-minute load average.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '@spur/config';
import { createLogger, listen } from '@spur/runtime';
import { baseHeaders, buildSite, createWebsiteHandler, type SiteContext } from '@spur/website';
import { median } from './lib.ts';

const ctx: SiteContext = {
  websiteUrl: 'https://spur.example',
  dashboardUrl: 'https://app.spur.example',
  backendUrl: 'https://api.spur.example',
  trackingCode: 'website-code',
};

/** Every HTML page of the sitemap, plus a pricing variant that exercises query parsing. */
function pagePaths(): string[] {
  const site = buildSite(ctx);
  const pages = [...site.routes].filter(([, r]) => r.sitemap).map(([path]) => path);
  return [...pages, '/pricing?billing=yearly&views=1000000'];
}

function renderOnce(path: string): string {
  const site = buildSite(ctx);
  const [pathname, query = ''] = path.split('?');
  return site.routes.get(pathname!)!.render(new URLSearchParams(query));
}

async function serve(kind: string): Promise<void> {
  const log = createLogger(loadConfig({ LOG_LEVEL: 'silent' }, {}), 'bench-website');
  let handler: http.RequestListener;
  if (kind === 'rendered') {
    handler = createWebsiteHandler({ ...ctx, log });
  } else {
    // The baseline: the same responses (bytes and headers), rendered once up front and answered
    // with the least work node can do. Same headers, so the ratio measures rendering, not headers.
    const headers = {
      ...baseHeaders(buildSite(ctx)),
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=300',
    };
    const bodies = new Map(pagePaths().map((path) => [path, Buffer.from(renderOnce(path), 'latin1')]));
    handler = (req, res) => {
      const body = bodies.get(req.url ?? '');
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.end(body);
    };
  }
  // CPU time per request is reported too: on a busy machine it moves less than requests per second.
  let requests = 0;
  let cpu = process.cpuUsage();
  const server = await listen(
    (req, res) => {
      requests++;
      handler(req, res);
    },
    0,
    '127.0.0.1',
  );
  process.stdin.on('data', (line: Buffer) => {
    if (line.toString().startsWith('reset')) {
      requests = 0;
      cpu = process.cpuUsage();
    } else {
      const used = process.cpuUsage(cpu);
      process.stdout.write(`CPU ${((used.user + used.system) / Math.max(requests, 1)).toFixed(1)}\n`);
    }
  });
  process.stdout.write(`PORT ${server.port}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => void server.close().then(() => process.exit(0)));
}

type Child = { child: ChildProcess; port: number; cpuPerRequest: () => Promise<number> };

function startChild(kind: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', kind], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const cpuPerRequest = async () => {
    const before = out.length;
    child.stdin!.write('stats\n');
    for (let i = 0; i < 100 && !/CPU [\d.]+\n/.test(out.slice(before)); i++)
      await new Promise((r) => setTimeout(r, 20));
    return Number(/CPU ([\d.]+)/.exec(out.slice(before))?.[1]);
  };
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /PORT (\d+)/.exec(out);
      if (match) {
        clearInterval(poll);
        resolve({ child, port: Number(match[1]), cpuPerRequest });
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`${kind} server exited with ${code}`));
    });
  });
}

function load(port: number, paths: string[], seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 10,
    duration: seconds,
    // Each connection cycles through every page, so both servers answer the same mix.
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
  });
}

/**
 * Time to the last byte of one request at a time, per page, over a keep-alive connection: what a
 * single visitor waits for the server (the load rounds measure throughput instead).
 */
async function latencies(port: number, paths: string[], perPage: number): Promise<Map<string, number[]>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const start = performance.now();
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(performance.now() - start));
        })
        .on('error', reject);
    });
  const times = new Map<string, number[]>(paths.map((p) => [p, []]));
  for (let i = 0; i < perPage; i++) for (const path of paths) times.get(path)!.push(await get(path));
  agent.destroy();
  return times;
}

/** In-process render time per page: the template work alone, without HTTP. */
function renderTimes(paths: string[], iterations: number): { path: string; bytes: number; p50_us: number }[] {
  const site = buildSite(ctx);
  return paths.map((path) => {
    const [pathname, query = ''] = path.split('?');
    const route = site.routes.get(pathname!)!;
    const params = new URLSearchParams(query);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      bytes = route.render(params).length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { path, bytes, p50_us: Math.round(times[Math.floor(times.length / 2)]! * 1000) };
  });
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const seconds = quick ? 3 : 6;
  const rounds = quick ? 3 : 5;
  const paths = pagePaths();

  // Both servers stay up and take turns for several short rounds, so a burst of other work on the
  // machine hits both sides instead of skewing the ratio.
  const servers = { rendered: await startChild('rendered'), prebuilt: await startChild('prebuilt') };
  const totals = { rendered: { requests: 0, seconds: 0 }, prebuilt: { requests: 0, seconds: 0 } };
  // The ratio of each round (rendered right after prebuilt): its spread says how far to trust the total.
  const roundRatios: number[] = [];
  let requestTimes: Map<string, number[]>;
  let cpu: { rendered: number; prebuilt: number };
  try {
    for (const kind of ['rendered', 'prebuilt'] as const) await load(servers[kind].port, paths, 2); // warm-up: JIT, sockets
    requestTimes = await latencies(servers.rendered.port, paths, quick ? 30 : 100);
    for (const { child } of Object.values(servers)) child.stdin!.write('reset\n');
    for (let round = 1; round <= rounds; round++) {
      const roundRps = { rendered: 0, prebuilt: 0 };
      for (const kind of ['rendered', 'prebuilt'] as const) {
        const result = await load(servers[kind].port, paths, seconds);
        if (result.non2xx || result.errors)
          throw new Error(`${kind}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        totals[kind].requests += result.requests.total;
        totals[kind].seconds += result.duration;
        roundRps[kind] = result.requests.total / result.duration;
        console.log(
          `round ${round} ${kind.padEnd(9)} ${Math.round(result.requests.average)} req/s  latency p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms`,
        );
      }
      roundRatios.push(roundRps.rendered / roundRps.prebuilt);
    }
    cpu = { rendered: await servers.rendered.cpuPerRequest(), prebuilt: await servers.prebuilt.cpuPerRequest() };
  } finally {
    for (const { child } of Object.values(servers)) child.kill('SIGTERM');
  }

  const renders = renderTimes(paths, quick ? 200 : 1_000);
  console.log('\npage                                             size      render p50   request p50');
  console.log(
    '(render: the template work in process, before the string is flattened and sent; request: one at a time, to the last byte)',
  );
  for (const r of renders) {
    const request = median(requestTimes.get(r.path)!);
    console.log(
      `${r.path.padEnd(44)} ${String(r.bytes).padStart(8)} B ${String(r.p50_us).padStart(8)} µs ${request.toFixed(2).padStart(10)} ms`,
    );
  }
  const rps = (kind: keyof typeof totals) => totals[kind].requests / totals[kind].seconds;
  const all = [...requestTimes.values()].flat();
  const worst = Math.max(...[...requestTimes.values()].map(median));
  console.log(
    `bench:website ratio=${(rps('rendered') / rps('prebuilt')).toFixed(2)} rendered_rps=${Math.round(rps('rendered'))} prebuilt_rps=${Math.round(rps('prebuilt'))} p50_ms=${median(all).toFixed(2)} worst_page_p50_ms=${worst.toFixed(2)} rendered_cpu_us=${cpu.rendered} prebuilt_cpu_us=${cpu.prebuilt} cpu_ratio=${(cpu.prebuilt / cpu.rendered).toFixed(2)} round_ratio_min=${Math.min(...roundRatios).toFixed(2)} round_ratio_max=${Math.max(...roundRatios).toFixed(2)} rounds=${rounds} load=${os.loadavg()[0]!.toFixed(1)}`,
  );
}

if (process.argv.includes('--serve')) {
  await serve(process.argv[process.argv.indexOf('--serve') + 1] ?? '');
} else {
  await main();
}
