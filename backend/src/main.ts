import { loadConfigOrExit } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { migratePostgres, openStores } from '@spur/storage';
import { startBackend } from './server.ts';

// One backend process (production, or `npm start -w backend`). Stores close after the server drains.
// ClickHouse's schema belongs to batches (its writer): a backend applies only Postgres migrations,
// so it starts, and takes hits, while ClickHouse is away. With CLICKHOUSE_URL set it never opens
// chdb, so any number of backends run beside the one batches process that owns an embedded data dir.
const config = loadConfigOrExit();
const log = createLogger(config, 'backend');
const lifecycle = new Lifecycle(log, config.SHUTDOWN_TIMEOUT_MS, config.SHUTDOWN_DRAIN_MS);
lifecycle.handleSignals();
try {
  const stores = await openStores(config, log);
  lifecycle.onStop('stores', stores.close);
  await migratePostgres(stores.postgres.pool, log);
  await startBackend({ config, stores, log, lifecycle });
} catch (error) {
  log.fatal({ err: error }, 'backend failed to start');
  await lifecycle.stop('startup failure').catch(() => undefined);
  process.exit(1);
}
