import type { Config } from '@spur/config';
import { listen, type Lifecycle, type Logger, type RunningServer } from '@spur/runtime';
import { createWebsiteHandler } from './app.ts';

export async function startWebsite(deps: {
  config: Pick<
    Config,
    'WEBSITE_PORT' | 'HOST' | 'dashboardUrl' | 'backendUrl' | 'websiteUrl' | 'WEBSITE_TRACKING_CODE'
  >;
  log: Logger;
  lifecycle: Lifecycle;
}): Promise<RunningServer> {
  const log = deps.log.child({ component: 'website' });
  const handler = createWebsiteHandler({
    log,
    websiteUrl: deps.config.websiteUrl,
    dashboardUrl: deps.config.dashboardUrl,
    backendUrl: deps.config.backendUrl,
    trackingCode: deps.config.WEBSITE_TRACKING_CODE,
  });
  const server = await listen(handler, deps.config.WEBSITE_PORT, deps.config.HOST);
  deps.lifecycle.onStop('website http', server.close);
  log.info({ url: server.url }, 'website listening');
  return server;
}
