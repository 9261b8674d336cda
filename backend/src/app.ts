import express from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';
import { openObjectStore, type ObjectStore, type Stores } from '@spur/storage';
import type { AccountsContext } from '@spur/accounts';
import type { BillingContext } from '@spur/billing';
import { api, createBackendAccounts, type ApiConfig } from './api.ts';
import { createBackendBilling } from './billing/billing-context.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { requestContext } from './http/request-context.ts';
import { healthRouter } from './routes/health.router.ts';
import { stripeWebhookRouter } from './routes/stripe-webhook.router.ts';
import { trackerRouter } from './routes/tracker.router.ts';
import { emailReportRouter } from './routes/email-report.router.ts';

export type AppDeps = {
  stores: Stores;
  log: Logger;
  registry: Registry;
  isStopping: () => boolean;
  config: ApiConfig;
  /** Built from `config` and `stores` when not given. */
  accounts?: AccountsContext;
  /** Built from `config` when not given; null or an unset STRIPE_SECRET_KEY means billing is off. */
  billing?: BillingContext | null;
  /** S3 for report copies and images; built from `config` when not given. */
  objects?: ObjectStore;
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext(deps.log, deps.registry));
  app.use(healthRouter(deps));
  app.use(trackerRouter());
  const accounts = deps.accounts ?? createBackendAccounts(deps.config, deps.stores, deps.log);
  const billing =
    deps.billing === undefined ? createBackendBilling(deps.config, accounts, deps.log) : (deps.billing ?? undefined);
  // Raw body for Stripe's signature: before api(), whose JSON parser would consume it.
  app.use(stripeWebhookRouter(billing));
  // Form-posted one-click unsubscribe: before api(), whose CSRF check takes JSON bodies only.
  const objects = deps.objects ?? openObjectStore(deps.config);
  app.use(emailReportRouter(deps.stores, objects, deps.config));
  app.use(api({ accounts, clickhouse: deps.stores.clickhouse.reader, config: deps.config, billing, objects }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
