/**
 * npm run bench:ingest [--quick]: requests per second that /api/v1/hit sustains against a bare
 * node:http handler that only parses the same JSON, both measured with the same autocannon load in
 * the same run (these machines are noisy; the ratio is what to compare between runs). A third
 * server, session-only, answers once the hit's session update is in Redis and does nothing else
 * (see ingest-servers.ts): the ceiling of any pipeline that, like ours, acknowledges a hit only
 * once Redis holds it. spur/session-only is the pipeline's own share of the gap.
 */
import autocannon from 'autocannon';
import { line, quick, startChild } from './lib.ts';

const duration = quick ? 8 : 20;
const warmUp = quick ? 3 : 10;
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
            headers: { 'content-type': 'text/plain', 'user-agent': CHROME, 'x-forwarded-for': `100.64.${visitor >> 8}.${visitor & 255}` },
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
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors of ${ok + result.non2xx}`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function measure(mode: 'spur' | 'session-only' | 'bare') {
  const server = await startChild('bench/ingest-servers.ts', [mode]);
  try {
    await load(server.url, warmUp); // JIT, caches, connections
    return await load(server.url);
  } finally {
    server.child.kill('SIGTERM');
    await server.child.exited;
  }
}

const bare = await measure('bare');
const sessionOnly = await measure('session-only');
const spur = await measure('spur');
process.stdout.write(
  `${line('ingest', spur.rps / bare.rps, {
    spur_rps: Math.round(spur.rps),
    bare_rps: Math.round(bare.rps),
    session_only_rps: Math.round(sessionOnly.rps),
    session_only_ratio: (sessionOnly.rps / bare.rps).toFixed(2),
    spur_per_session_only: (spur.rps / sessionOnly.rps).toFixed(2),
    p99_ms: spur.p99,
    session_only_p99_ms: sessionOnly.p99,
    bare_p99_ms: bare.p99,
    connections,
    duration_s: duration,
  })}\n`,
);
