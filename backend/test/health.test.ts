import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lifecycle, type RunningServer } from '@spur/runtime';
import { startTestStores, type TestStores } from '@spur/testkit';
import { startBackend } from '@spur/backend';

let t: TestStores;
let lifecycle: Lifecycle;
let server: RunningServer;

beforeAll(async () => {
  t = await startTestStores();
  lifecycle = new Lifecycle(t.log, 5_000);
  server = await startBackend({ config: t.config, stores: t.stores, log: t.log, lifecycle });
});
afterAll(async () => {
  await lifecycle.stop('test end').catch(() => undefined);
  await t.close();
});

describe('backend health', () => {
  it('when every store answers, then /healthz and /readyz are 200', async () => {
    const live = await fetch(`${server.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      failing: [],
      stores: { postgres: { ok: true }, clickhouse: { ok: true }, redis: { ok: true } },
    });
  });

  it('echoes a sane X-Request-Id and replaces a malformed one', async () => {
    const echoed = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics including request latency by route', async () => {
    await fetch(`${server.url}/healthz`);
    const body = await (await fetch(`${server.url}/metrics`)).text();
    expect(body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*status="200"[^}]*\} [1-9]/);
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found' });
  });

  it('when Redis is unreachable, then /readyz is 503 and names redis', async () => {
    const redis = t.stores.redis;
    await redis.client('PAUSE', '3000', 'ALL').catch(() => undefined);
    // A paused server does not answer PING within the readiness timeout.
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { failing: string[] };
    expect(body.failing).toEqual(['redis']);
  });
});
