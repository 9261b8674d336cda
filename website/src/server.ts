import type { Config } from '@spur/config';
import { listen, type Lifecycle, type Logger, type RunningServer } from '@spur/runtime';
import { createWebsiteApp } from './app.ts';

export async function startWebsite(deps: {
  config: Pick<Config, 'WEBSITE_PORT' | 'HOST' | 'dashboardUrl' | 'backendUrl'>;
  log: Logger;
  lifecycle: Lifecycle;
}): Promise<RunningServer> {
  const log = deps.log.child({ component: 'website' });
  const app = createWebsiteApp({ log, dashboardUrl: deps.config.dashboardUrl, backendUrl: deps.config.backendUrl });
  const server = await listen(app, deps.config.WEBSITE_PORT, deps.config.HOST);
  deps.lifecycle.onStop('website http', server.close);
  log.info({ url: server.url }, 'website listening');
  return server;
}
