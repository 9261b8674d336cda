import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Stores } from '@spur/storage';

/**
 * /healthz: the process is alive (no store calls, so a slow database never gets us restarted).
 * /readyz: every store answers and we are not shutting down; 503 names what failed, so the load
 * balancer stops sending traffic while the rest of the process drains.
 */
export function healthRouter(deps: { stores: Pick<Stores, 'check'>; registry: Registry; isStopping: () => boolean }) {
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
    const failing = Object.entries(health.stores)
      .filter(([, s]) => !s.ok)
      .map(([name]) => name);
    res
      .status(health.ok ? 200 : 503)
      .json({ status: health.ok ? 'ready' : 'unavailable', failing, stores: health.stores });
  });
  // The dashboard's "is the API up" probe, reachable through its /api proxy.
  router.get('/api/v1/status', (_req, res) => {
    res.json({ status: deps.isStopping() ? 'stopping' : 'ok' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  return router;
}
