import type http from 'node:http';
import type { Config } from '@spur/config';
import {
  createMetricsRegistry,
  listen,
  metricsVerdict,
  type Lifecycle,
  type Logger,
  type MetricsAccess,
  type RunningServer,
} from '@spur/runtime';
import type { Stores } from '@spur/storage';
import type { Worker } from './job.ts';

/**
 * Starts the batch workers and a small HTTP server for their health and metrics (Nomad checks
 * /readyz like the backend's). Shutdown: stop workers (each finishes its batch) → close HTTP.
 */
export async function startBatches(deps: {
  config: Pick<Config, 'BATCHES_PORT' | 'HOST'> & MetricsAccess;
  stores: Stores;
  log: Logger;
  lifecycle: Lifecycle;
  workers: Worker[];
}): Promise<RunningServer> {
  const log = deps.log.child({ component: 'batches' });
  const registry = createMetricsRegistry('batches');
  const server = await listen(
    (req, res) =>
      void handle(req, res, { stores: deps.stores, registry, lifecycle: deps.lifecycle, config: deps.config }),
    deps.config.BATCHES_PORT,
    deps.config.HOST,
  );
  deps.lifecycle.onStop('batches http', server.close);
  for (const worker of deps.workers) {
    const handle = await worker.start(log.child({ worker: worker.name }), { registry });
    deps.lifecycle.onStop(`worker ${worker.name}`, handle.stop);
  }
  log.info({ url: server.url, workers: deps.workers.map((w) => w.name) }, 'batches running');
  return server;
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: {
    stores: Stores;
    registry: ReturnType<typeof createMetricsRegistry>;
    lifecycle: Lifecycle;
    config: MetricsAccess;
  },
) {
  const send = (status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  try {
    switch (req.url) {
      case '/healthz':
        return send(200, { status: 'ok' });
      case '/readyz': {
        if (deps.lifecycle.isStopping) return send(503, { status: 'stopping' });
        const health = await deps.stores.check();
        const failing = Object.entries(health.stores)
          .filter(([, s]) => !s.ok)
          .map(([n]) => n);
        return send(health.ok ? 200 : 503, {
          status: health.ok ? 'ready' : 'unavailable',
          failing,
          stores: health.stores,
        });
      }
      case '/metrics': {
        // For operators only (metrics-access.ts); hidden in production without METRICS_TOKEN.
        const verdict = metricsVerdict(deps.config, req.headers.authorization);
        if (verdict === 'hidden') return send(404, { error: 'not found' });
        if (verdict === 'unauthorized') return send(401, { error: 'metrics need the operator token' });
        return send(200, await deps.registry.metrics(), deps.registry.contentType);
      }
      default:
        return send(404, { error: 'not found' });
    }
  } catch {
    send(500, { error: 'internal error' });
  }
}
