import http from 'node:http';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

export type LoadResult = {
  sent: number;
  /** Paths of the hits answered 202: each must reach ClickHouse exactly once. */
  acknowledged: string[];
  /** Every hit not answered 202, with why: a status, or a socket error such as ECONNRESET. */
  failures: { path: string; reason: string }[];
};

/**
 * Our own load generator: autocannon drops connections reset under it without counting them,
 * which is exactly the failure a rolling release causes. Each hit carries a unique path, so the
 * hits acknowledged can be found in ClickHouse one by one. `rate` hits per second over
 * `concurrency` keep-alive connections (pooled like a browser's or an SDK's), until `stop()`.
 */
export function startLoad(options: {
  url: string;
  identificationCode: string;
  hostname: string;
  run: string;
  rate: number;
  concurrency: number;
}): { stop: () => Promise<LoadResult>; progress: () => { sent: number; failed: number } } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL('/api/v1/hit', options.url);
  const result: LoadResult = { sent: 0, acknowledged: [], failures: [] };
  let stopping = false;
  let next = 0;
  const startedAt = Date.now();

  const send = (n: number) =>
    new Promise<void>((resolve) => {
      const pagePath = `/r/${options.run}/${n}`;
      const body = JSON.stringify({
        identification_code: options.identificationCode,
        url: `https://${options.hostname}${pagePath}`,
      });
      result.sent++;
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        result.failures.push({ path: pagePath, reason });
        resolve();
      };
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          timeout: 10_000,
          headers: {
            'content-type': 'text/plain',
            'content-length': Buffer.byteLength(body),
            'user-agent': CHROME,
            // haproxy appends 127.0.0.1 (trusted), so this is the visitor's address: 256 visitors.
            'x-forwarded-for': `100.64.${(n >> 8) & 255}.${n & 255}`,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk.slice(0, 200)));
          res.on('end', () => {
            if (settled) return;
            if (res.statusCode === 202) {
              settled = true;
              result.acknowledged.push(pagePath);
              resolve();
            } else fail(`status ${res.statusCode}: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
          });
          res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
      req.end(body);
    });

  // Each worker sends its share of the rate: hit n is due at startedAt + n / rate.
  const workers = Array.from({ length: options.concurrency }, async () => {
    while (!stopping) {
      const n = next++;
      const due = startedAt + (n * 1000) / options.rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopping) break;
      await send(n);
    }
  });

  return {
    progress: () => ({ sent: result.sent, failed: result.failures.length }),
    stop: async () => {
      stopping = true;
      await Promise.all(workers);
      agent.destroy();
      return result;
    },
  };
}
