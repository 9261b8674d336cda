import path from 'node:path';
import { loadConfigOrExit } from '@spur/config';
import { createLogger, Lifecycle, listen } from '@spur/runtime';
import { createDashboardHandler } from './dashboard-server.ts';

// The dashboard in production (the `dashboard` image): the Vite build served by node:http.
// `npm run build -w @spur/dashboard` first; in development `npm run dev` serves it through Vite.
const config = loadConfigOrExit();
const log = createLogger(config, 'dashboard');
const lifecycle = new Lifecycle(log, config.SHUTDOWN_TIMEOUT_MS, config.SHUTDOWN_DRAIN_MS);
lifecycle.handleSignals();
const handler = await createDashboardHandler({
  distDir: path.resolve(import.meta.dirname, '..', 'dist'),
  backendUrl: config.backendUrl,
  publicDomain: config.PUBLIC_DASHBOARD_DOMAIN,
});
const server = await listen(handler, config.DASHBOARD_PORT, config.HOST, { draining: () => lifecycle.isStopping });
lifecycle.onStop('dashboard http', server.close);
log.info({ url: server.url }, 'dashboard listening');
