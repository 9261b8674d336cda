import { hkdfSync } from 'node:crypto';
import type pg from 'pg';
import type { Config } from '@spur/config';
import type { Mailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import type { ClickHouse, Redis } from '@spur/storage';
import { createSecretBox, type SecretBox } from './crypto/secret-box.ts';

/**
 * What account services need, built once per process. Services take it as their first argument
 * instead of importing singletons, so tests build one over their own engines.
 */
export type AccountsContext = {
  db: pg.Pool;
  redis: Redis;
  mailer: Mailer;
  log: Logger;
  /** For deleting a site's statistics; absent in contexts that never delete sites. */
  clickhouse?: ClickHouse;
  links: AccountLinks;
  totpBox: SecretBox;
  /** Signs short-lived grants (password-protected access links). */
  grantKey: Buffer;
  sessionMaxAgeDays: number;
  now: () => Date;
};

/** The client's per-request facts services care about (rate-limit keys, session labels). */
export type RequestMeta = {
  ip?: string;
  userAgent?: string;
  /** The browser's device cookie, if it has one: a sign-in from a known browser is never throttled per account. */
  deviceToken?: string;
};

// Only ever used outside production, where a fixed value keeps dev logins across restarts.
const DEV_AUTH_SECRET = 'spur-development-auth-secret-not-for-production';

export function createAccountsContext(deps: {
  config: Pick<Config, 'NODE_ENV' | 'AUTH_SECRET' | 'SESSION_MAX_AGE_DAYS' | 'dashboardUrl' | 'backendUrl'>;
  db: pg.Pool;
  redis: Redis;
  mailer: Mailer;
  log: Logger;
  clickhouse?: ClickHouse;
  now?: () => Date;
}): AccountsContext {
  const secret = deps.config.AUTH_SECRET ?? (deps.config.NODE_ENV === 'production' ? undefined : DEV_AUTH_SECRET);
  if (!secret) throw new Error('AUTH_SECRET must be set in production (at least 32 characters)');
  return {
    db: deps.db,
    redis: deps.redis,
    mailer: deps.mailer,
    log: deps.log.child({ component: 'accounts' }),
    clickhouse: deps.clickhouse,
    links: accountLinks(deps.config.dashboardUrl, deps.config.backendUrl),
    totpBox: createSecretBox(secret, 'totp-seed'),
    grantKey: Buffer.from(hkdfSync('sha256', secret, 'spur', 'access-link-grant', 32)),
    sessionMaxAgeDays: deps.config.SESSION_MAX_AGE_DAYS,
    now: deps.now ?? (() => new Date()),
  };
}

export type AccountLinks = ReturnType<typeof accountLinks>;

/** Every URL that appears in an email or a response; the dashboard owns these routes. */
export function accountLinks(dashboardUrl: string, backendUrl: string) {
  const app = dashboardUrl.replace(/\/$/, '');
  const api = backendUrl.replace(/\/$/, '');
  const withToken = (path: string) => (token: string) => `${app}${path}?token=${encodeURIComponent(token)}`;
  return {
    verifyEmail: withToken('/verify-email'),
    resetPassword: withToken('/reset-password'),
    confirmEmailChange: withToken('/confirm-email'),
    acceptInvitation: withToken('/invitations/accept'),
    accessLink: (token: string) => `${app}/share/${encodeURIComponent(token)}`,
    security: `${app}/account/security`,
    profile: `${app}/account/profile`,
    login: `${app}/login`,
    forgotPassword: `${app}/forgot-password`,
    script: `${api}/spur.js`,
  };
}
