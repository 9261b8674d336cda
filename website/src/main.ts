import { loadConfigOrExit } from '@spur/config';
import { createLogger, Lifecycle } from '@spur/runtime';
import { startWebsite } from './server.ts';

const config = loadConfigOrExit();
const log = createLogger(config, 'website');
const lifecycle = new Lifecycle(log, config.SHUTDOWN_TIMEOUT_MS, config.SHUTDOWN_DRAIN_MS);
lifecycle.handleSignals();
await startWebsite({ config, log, lifecycle });
