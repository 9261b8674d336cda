import { billingEnabled } from '@spur/billing';
import type { Config } from '@spur/config';
import { API_CLIENT_REVOKED_CHANNEL, lookupBearer, SITE_SETTINGS_CHANNEL } from '@spur/accounts';
import { createIngestPipeline, createSiteDirectory, openGeo, type SiteDirectory } from '@spur/ingest';
import { createMetricsRegistry, listen, type Lifecycle, type Logger, type RunningServer } from '@spur/runtime';
import { openAcknowledgedWriter, type Stores } from '@spur/storage';
import { createApp } from './app.ts';
import type { ApiConfig } from './api.ts';
import { createIngestHandler } from './ingest/ingest.handler.ts';
import { cachedAuthenticate } from './ingest/principal-cache.ts';

export type Backend = RunningServer & { sites: SiteDirectory };

/**
 * Starts the HTTP API on existing stores and registers its shutdown: stop accepting, let in-flight
 * requests finish. Used by `main.ts` (one process per service) and `npm run dev` (all in one).
 * Ingest paths are served by a lean node:http handler in front of Express (see ingest.handler.ts).
 */
export async function startBackend(deps: {
  config: Pick<Config, 'BACKEND_PORT' | 'HOST' | 'TRUSTED_PROXIES' | 'INGEST_MAX_BACKLOG'> &
    Partial<Pick<Config, 'REDIS_WAIT_REPLICAS' | 'REDIS_WAIT_TIMEOUT_MS'>> &
    ApiConfig;
  stores: Stores;
  log: Logger;
  lifecycle: Lifecycle;
}): Promise<Backend> {
  const log = deps.log.child({ component: 'backend' });
  const registry = createMetricsRegistry('backend');
  // Billing's ingest stop times count only where billing is on (STRIPE_SECRET_KEY set).
  const sites = createSiteDirectory(deps.stores.postgres.pool, undefined, undefined, billingEnabled(deps.config));
  const authenticate = cachedAuthenticate((token) => lookupBearer(deps.stores.postgres.pool, token));
  // Settings changes and API client revocations on any node reach this node's caches within milliseconds.
  const subscriber = deps.stores.redis.duplicate();
  subscriber.on('message', (channel: string, id: string) =>
    channel === API_CLIENT_REVOKED_CHANNEL ? authenticate.forgetClient(id) : sites.invalidate(id),
  );
  await subscriber.subscribe(SITE_SETTINGS_CHANNEL, API_CLIENT_REVOKED_CHANNEL);
  deps.lifecycle.onStop('site settings subscriber', () => subscriber.disconnect());
  // Hits are written on a connection of their own that never resends (see openAcknowledgedWriter).
  const writer = openAcknowledgedWriter(deps.stores.redis);
  deps.lifecycle.onStop('ingest writer', async () => {
    await writer.quit().catch(() => writer.disconnect());
  });
  const pipeline = createIngestPipeline({
    redis: deps.stores.redis,
    acknowledged: {
      redis: writer,
      replicas: deps.config.REDIS_WAIT_REPLICAS ?? 0,
      timeoutMs: deps.config.REDIS_WAIT_TIMEOUT_MS ?? 500,
    },
    sites,
    geo: await openGeo(),
    trustedProxies: deps.config.TRUSTED_PROXIES,
    maxBacklog: deps.config.INGEST_MAX_BACKLOG,
    log,
    registry,
  });
  const ingest = createIngestHandler({
    pipeline,
    authenticate,
    log,
  });
  const app = createApp({
    stores: deps.stores,
    log,
    registry,
    isStopping: () => deps.lifecycle.isStopping,
    config: deps.config,
  });
  const server = await listen(
    (req, res) => {
      if (!ingest(req, res)) app(req, res);
    },
    deps.config.BACKEND_PORT,
    deps.config.HOST,
    { draining: () => deps.lifecycle.isStopping },
  );
  deps.lifecycle.onStop('backend http', server.close);
  log.info({ url: server.url }, 'backend listening');
  return { ...server, sites };
}
