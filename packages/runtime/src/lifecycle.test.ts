import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { listen } from './http-server.ts';
import { Lifecycle } from './lifecycle.ts';

const log = createLogger({ LOG_LEVEL: 'silent' }, 'test');

describe('Lifecycle', () => {
  it('when stopping, then an in-flight request finishes and new connections are refused', async () => {
    const server = await listen(
      (_req, res) => {
        setTimeout(() => res.end('done'), 300);
      },
      0,
      '127.0.0.1',
    );
    const lifecycle = new Lifecycle(log, 5_000);
    const order: string[] = [];
    lifecycle.onStop('stores', () => {
      order.push('stores');
    });
    lifecycle.onStop('http', async () => {
      await server.close();
      order.push('http');
    });

    const inFlight = fetch(server.url).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    const stopped = lifecycle.stop('test');
    expect(lifecycle.isStopping).toBe(true);
    expect(await inFlight).toBe('done');
    await stopped;
    expect(order).toEqual(['http', 'stores']);
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('when a step hangs, then later steps still run and stop rejects after the budget', async () => {
    const lifecycle = new Lifecycle(log, 200);
    const ran: string[] = [];
    lifecycle.onStop('close stores', () => {
      ran.push('stores');
    });
    lifecycle.onStop('hung worker', () => new Promise(() => undefined));
    await expect(lifecycle.stop('test')).rejects.toThrow('shutdown incomplete');
    expect(ran).toEqual(['stores']);
  });

  it('when a drain delay is set, then the process keeps serving with isStopping true, with Connection: close, and only then stops listening', async () => {
    const lifecycle = new Lifecycle(log, 5_000, 400);
    const server = await listen((_req, res) => res.end(lifecycle.isStopping ? 'stopping' : 'ready'), 0, '127.0.0.1', {
      draining: () => lifecycle.isStopping,
    });
    lifecycle.onStop('http', server.close);
    const before = await fetch(server.url);
    expect(before.headers.get('connection')).toBe('keep-alive');
    expect(await before.text()).toBe('ready');

    const stopped = lifecycle.stop('test');
    await new Promise((r) => setTimeout(r, 150));
    const during = await fetch(server.url);
    expect(await during.text()).toBe('stopping');
    expect(during.headers.get('connection')).toBe('close');

    await stopped;
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('when no drain delay is set, then the listener closes at once', async () => {
    const lifecycle = new Lifecycle(log, 5_000);
    const server = await listen((_req, res) => res.end('x'), 0, '127.0.0.1');
    lifecycle.onStop('http', server.close);
    const stopped = lifecycle.stop('test');
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(server.url)).rejects.toThrow();
    await stopped;
  });
});
