import express, { Router } from 'express';
import type { Config } from '@spur/config';
import { createAccountsContext, type AccountsContext } from '@spur/accounts';
import { createMailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import type { Stores } from '@spur/storage';
import { accountRouter } from '../routes/account.router.ts';
import { apiClientRouter } from '../routes/api-client.router.ts';
import { authRouter } from '../routes/auth.router.ts';
import { goalRouter } from '../routes/goal.router.ts';
import { memberRouter } from '../routes/member.router.ts';
import { organizationRouter } from '../routes/organization.router.ts';
import { shareRouter } from '../routes/share.router.ts';
import { siteSettingsRouter } from '../routes/site-settings.router.ts';
import { siteRouter } from '../routes/site.router.ts';
import { tokenRouter } from '../routes/token.router.ts';
import { accountsErrorHandler } from './accounts-errors.ts';
import { resolveCaller } from './caller.middleware.ts';
import { dashboardCors } from './cors.middleware.ts';
import { csrfProtection } from './csrf.middleware.ts';
import { cookieSettings } from './session-cookie.ts';

export type AccountsApiConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'AUTH_SECRET'
  | 'SESSION_COOKIE_SECURE'
  | 'SESSION_MAX_AGE_DAYS'
  | 'backendUrl'
  | 'dashboardUrl'
  | 'EMAIL_FROM'
  | 'SES_REGION'
  | 'SES_ENDPOINT'
  | 'AWS_ACCESS_KEY_ID'
  | 'AWS_SECRET_ACCESS_KEY'
>;

/** One accounts context per process, over the process's stores and an SES (or log) mailer. */
export function createBackendAccounts(config: AccountsApiConfig, stores: Stores, log: Logger): AccountsContext {
  return createAccountsContext({
    config,
    db: stores.postgres.pool,
    redis: stores.redis,
    clickhouse: stores.clickhouse,
    mailer: createMailer(config, log),
    log,
  });
}

/** The paths this stack answers; other requests skip it untouched (statistics, ingest, health). */
export const ACCOUNT_PATHS = [
  '/api/v1/auth',
  '/api/v1/account',
  '/api/v1/token',
  '/api/v1/organizations',
  '/api/v1/invitations',
  '/api/v1/sites',
  '/api/v1/goal',
  '/api/v1/funnel',
  '/api/v1/share',
  '/api/v1/public',
];

const ownsPath = (path: string) => ACCOUNT_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * Accounts, organizations, sites and sharing, behind one middleware stack: dashboard CORS, JSON
 * bodies, caller resolution (bearer, access link or session cookie), CSRF, then thin routers, and
 * an error handler that turns domain and validation errors into JSON.
 */
export function accountsApi(accounts: AccountsContext, config: AccountsApiConfig): Router {
  const cookies = cookieSettings(config);
  const router = Router();
  router.use((req, _res, next) => next(ownsPath(req.path) ? undefined : 'router'));
  router.use(dashboardCors(config.dashboardUrl, config.backendUrl));
  router.use(express.json({ limit: '100kb' }));
  router.use(resolveCaller(accounts));
  router.use(csrfProtection([config.dashboardUrl, config.backendUrl]));
  router.use(
    tokenRouter(accounts),
    authRouter(accounts, cookies),
    accountRouter(accounts, cookies),
    organizationRouter(accounts),
    memberRouter(accounts),
    apiClientRouter(accounts),
    siteRouter(accounts),
    siteSettingsRouter(accounts),
    goalRouter(accounts),
    shareRouter(accounts),
  );
  router.use(accountsErrorHandler);
  return router;
}
