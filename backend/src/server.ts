import type { Config } from '@spur/config';
import { createMetricsRegistry, listen, type Lifecycle, type Logger, type RunningServer } from '@spur/runtime';
import type { Stores } from '@spur/storage';
import { createApp } from './app.ts';

/**
 * Starts the HTTP API on existing stores and registers its shutdown: stop accepting, let in-flight
 * requests finish. Used by `main.ts` (one process per service) and `npm run dev` (all in one).
 */
export async function startBackend(deps: {
  config: Pick<Config, 'BACKEND_PORT' | 'HOST'>;
  stores: Stores;
  log: Logger;
  lifecycle: Lifecycle;
}): Promise<RunningServer> {
  const log = deps.log.child({ component: 'backend' });
  const registry = createMetricsRegistry('backend');
  const app = createApp({ stores: deps.stores, log, registry, isStopping: () => deps.lifecycle.isStopping });
  const server = await listen(app, deps.config.BACKEND_PORT, deps.config.HOST);
  deps.lifecycle.onStop('backend http', server.close);
  log.info({ url: server.url }, 'backend listening');
  return server;
}
