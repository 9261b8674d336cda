import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '@spur/config';
import { createAccountsContext, type AccountsContext } from '@spur/accounts';
import { createMailer } from '@spur/email';
import type { BillingContext } from '@spur/billing';
import type { Logger } from '@spur/runtime';
import { openObjectStore, type ClickHouseClient, type ObjectStore, type Stores } from '@spur/storage';
import { accountsErrorHandler } from './auth/accounts-errors.ts';
import { resolveCaller } from './auth/caller.middleware.ts';
import { dashboardCors } from './auth/cors.middleware.ts';
import { csrfProtection } from './auth/csrf.middleware.ts';
import { cookieSettings } from './auth/session-cookie.ts';
import { billingLimits, statisticsGate } from './billing/billing-gate.ts';
import { pirschErrors } from './http/pirsch-errors.ts';
import { routeTable } from './http/route-table.ts';
import { sdkPathCompat } from './http/sdk-path-compat.ts';
import { accountRouter } from './routes/account.router.ts';
import { apiClientRouter } from './routes/api-client.router.ts';
import { authRouter } from './routes/auth.router.ts';
import { billingRouter } from './routes/billing.router.ts';
import { domainRouter } from './routes/domain.router.ts';
import { goalRouter } from './routes/goal.router.ts';
import { annotationRouter } from './routes/annotation.router.ts';
import { alertRouter } from './routes/alert.router.ts';
import { imageRouter } from './routes/image.router.ts';
import { memberRouter } from './routes/member.router.ts';
import { organizationRouter } from './routes/organization.router.ts';
import { shareRouter } from './routes/share.router.ts';
import { siteSettingsRouter } from './routes/site-settings.router.ts';
import { rollupRouter } from './routes/rollup.router.ts';
import { siteRouter } from './routes/site.router.ts';
import { openApiRouter } from './routes/statistics-openapi.router.ts';
import { statisticsRouter } from './routes/statistics.router.ts';
import { tokenRouter } from './routes/token.router.ts';

export type ApiConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'AUTH_SECRET'
  | 'SESSION_COOKIE_SECURE'
  | 'SESSION_MAX_AGE_DAYS'
  | 'backendUrl'
  | 'dashboardUrl'
  | 'websiteUrl'
  | 'EMAIL_FROM'
  | 'SES_REGION'
  | 'SES_ENDPOINT'
  | 'AWS_ACCESS_KEY_ID'
  | 'AWS_SECRET_ACCESS_KEY'
  | 'STRIPE_SECRET_KEY'
  | 'STRIPE_WEBHOOK_SECRET'
  | 'STRIPE_API_BASE'
  | 'STRIPE_AUTOMATIC_TAX'
  | 'S3_ENDPOINT'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'STATS_SAMPLE_ABOVE_VIEWS'
>;

export type ApiDeps = {
  accounts: AccountsContext;
  clickhouse: ClickHouseClient;
  config: ApiConfig;
  /** Absent when billing is off (STRIPE_SECRET_KEY unset): nothing is gated. */
  billing?: BillingContext;
  /** S3 for avatars and logos; built from `config` when not given. */
  objects?: ObjectStore;
};

/** One accounts context per process, over the process's stores and an SES (or log) mailer. */
export function createBackendAccounts(config: ApiConfig, stores: Stores, log: Logger): AccountsContext {
  return createAccountsContext({
    config,
    db: stores.postgres.pool,
    redis: stores.redis,
    clickhouse: stores.clickhouse,
    mailer: createMailer(config, log),
    log,
  });
}

/**
 * Every router of the REST API (`/api/v1/*`; ingest is served in front of Express). A new
 * `*.router.ts` goes into one of the two lists, which differ only in the error shape they answer.
 */
export function apiRouters({ accounts, clickhouse, config, billing, objects }: ApiDeps) {
  const cookies = cookieSettings(config);
  return {
    /** Pirsch's statistics family: errors as `{ error: [message], validation, field }`, which pirsch-sdk reads. */
    statistics: [
      statisticsRouter(accounts, clickhouse, billing && statisticsGate(billing), config.STATS_SAMPLE_ABOVE_VIEWS),
      domainRouter(accounts),
      openApiRouter(),
    ],
    /** Everything else: errors as `{ error: message, field }`. */
    accounts: [
      ...(billing ? [billingLimits(billing)] : []),
      tokenRouter(accounts),
      authRouter(accounts, cookies, config.websiteUrl),
      accountRouter(accounts, cookies),
      organizationRouter(accounts),
      memberRouter(accounts),
      apiClientRouter(accounts),
      siteRouter(accounts),
      rollupRouter(accounts),
      siteSettingsRouter(accounts),
      goalRouter(accounts),
      annotationRouter(accounts),
      alertRouter(accounts),
      imageRouter(accounts, objects ?? openObjectStore(config)),
      shareRouter(accounts),
      billingRouter(accounts, billing),
    ],
  };
}

/**
 * The REST API behind one middleware stack: dashboard CORS, JSON bodies, caller resolution (bearer,
 * access link or session cookie) and CSRF, mounted once; then the routers, which only validate,
 * authorize and call one service function; then the error answer in the shape of the path's family.
 */
export function api(deps: ApiDeps): Router {
  const routers = apiRouters(deps);
  // Errors raised before any route (a bad bearer token, CSRF) are shaped by the path they were for.
  const pirschPaths = new Set(routers.statistics.flatMap((r) => routeTable(r).map((route) => route.path)));
  const router = Router();
  router.use(sdkPathCompat);
  router.use((req, _res, next) => next(req.path.startsWith('/api/v1/') ? undefined : 'router'));
  router.use(dashboardCors(deps.config.dashboardUrl, deps.config.backendUrl));
  router.use(express.json({ limit: '100kb', reviver: refuseNul }));
  router.use(resolveCaller(deps.accounts));
  router.use(csrfProtection([deps.config.dashboardUrl, deps.config.backendUrl]));
  router.use(...routers.statistics, ...routers.accounts);
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) =>
    (pirschPaths.has(req.path) ? pirschErrors : accountsErrorHandler)(error, req, res, next),
  );
  return router;
}

/**
 * No text a user writes holds a NUL character, and Postgres refuses to store one (a 500 where a
 * 400 belongs): a JSON body with one is refused while it is parsed, naming the key.
 */
function refuseNul(key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.includes('\u0000'))
    throw new Error(`${key || 'body'}: must not contain NUL characters`);
  return value;
}
