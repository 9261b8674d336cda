import express from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';
import type { Stores } from '@spur/storage';
import { errorHandler, notFound } from './http/errors.ts';
import { requestContext } from './http/request-context.ts';
import { healthRouter } from './routes/health.router.ts';
import { trackerRouter } from './routes/tracker.router.ts';

export type AppDeps = {
  stores: Stores;
  log: Logger;
  registry: Registry;
  isStopping: () => boolean;
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext(deps.log, deps.registry));
  app.use(healthRouter(deps));
  app.use(trackerRouter());
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
