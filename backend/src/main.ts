import { loadConfigOrExit } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { migrate, openStores } from '@spur/storage';
import { startBackend } from './server.ts';

// One backend process (production, or `npm start -w backend`). Stores close after the server drains.
const config = loadConfigOrExit();
const log = createLogger(config, 'backend');
const lifecycle = new Lifecycle(log, config.SHUTDOWN_TIMEOUT_MS);
lifecycle.handleSignals();
try {
  const stores = await openStores(config, log);
  lifecycle.onStop('stores', stores.close);
  await migrate(stores, log);
  await startBackend({ config, stores, log, lifecycle });
} catch (error) {
  log.fatal({ err: error }, 'backend failed to start');
  await lifecycle.stop('startup failure').catch(() => undefined);
  process.exit(1);
}
