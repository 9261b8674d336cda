import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { listen, type RunningServer } from '@spur/runtime';
import { healthRouter } from './health.router.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(config: { NODE_ENV: string; METRICS_TOKEN?: string }) {
  const app = express();
  const stores = { check: async () => ({ ok: true, stores: {} }) } as never;
  app.use(healthRouter({ stores, registry: new Registry(), isStopping: () => false, config }));
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  server = await listen(app, 0, '127.0.0.1');
  return (headers: Record<string, string> = {}) => fetch(`${server!.url}/metrics`, { headers });
}

describe('/metrics is for operators (issue 13)', () => {
  it('when production has no METRICS_TOKEN, then /metrics is not served at all', async () => {
    const metrics = await start({ NODE_ENV: 'production' });
    const answer = await metrics();
    expect([answer.status, await answer.json()]).toEqual([404, { error: 'not found' }]);
  });

  it('when METRICS_TOKEN is set, then only its bearer reads the metrics', async () => {
    const metrics = await start({ NODE_ENV: 'production', METRICS_TOKEN: 'operator-token-0123456789' });
    const anonymous = await metrics();
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="metrics"']);
    expect((await metrics({ authorization: 'Bearer operator-token-wrong-6789' })).status).toBe(401);
    const operator = await metrics({ authorization: 'Bearer operator-token-0123456789' });
    expect([operator.status, operator.headers.get('content-type')]).toEqual([
      200,
      'text/plain; version=0.0.4; charset=utf-8',
    ]);
  });

  it('when developing without a token, then /metrics is open', async () => {
    expect((await (await start({ NODE_ENV: 'development' }))()).status).toBe(200);
  });
});
