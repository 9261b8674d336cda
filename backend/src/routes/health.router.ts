import { Router } from 'express';
import type { Registry } from 'prom-client';
import { metricsVerdict, type MetricsAccess } from '@spur/runtime';
import type { StoreName, Stores } from '@spur/storage';

/**
 * /healthz: the process is alive (no store calls, so a slow database never gets us restarted).
 * /readyz: Postgres and Redis answer and we are not shutting down; 503 names what failed, so the
 * load balancer stops sending traffic while the rest of the process drains. ClickHouse is reported
 * but does not make the backend unready: ingest never touches it (hits wait in Redis for the
 * flusher), and pulling every backend out of the balancer during a ClickHouse outage would turn
 * delayed statistics into lost hits.
 */
const REQUIRED: readonly StoreName[] = ['postgres', 'redis'];

export function healthRouter(deps: {
  stores: Pick<Stores, 'check'>;
  registry: Registry;
  isStopping: () => boolean;
  /** NODE_ENV and METRICS_TOKEN decide who reads /metrics (metrics-access.ts). */
  config: MetricsAccess;
}) {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.isStopping()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const health = await deps.stores.check();
    const failing = REQUIRED.filter((name) => !health.stores[name].ok);
    const ready = failing.length === 0;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', failing, stores: health.stores });
  });
  // The dashboard's "is the API up" probe, reachable through its /api proxy.
  router.get('/api/v1/status', (_req, res) => {
    res.json({ status: deps.isStopping() ? 'stopping' : 'ok' });
  });
  // For operators only: route names, queue sizes and error rates are no one else's business.
  router.get('/metrics', async (req, res, next) => {
    const verdict = metricsVerdict(deps.config, req.get('authorization'));
    if (verdict === 'hidden') return next();
    if (verdict === 'unauthorized') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).json({ error: 'metrics need the operator token', field: 'authorization' });
      return;
    }
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  return router;
}
