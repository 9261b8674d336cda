import { createMetricsRegistry, listen, type RunningServer } from '@spur/runtime';
import { syncPrices, type BillingContext } from '@spur/billing';
import { SEED_PASSWORD } from '@spur/accounts/testing';
import { startLocalSes, startTestStores, type LocalSes, type TestStores } from '@spur/testkit';
import { startStripeTestServer, type StripeTestServer } from '@spur/testkit/stripe';
import { createBackendAccounts } from '../src/api.ts';
import { createApp } from '../src/app.ts';
import { Browser } from './accounts-client.ts';

export const WEBHOOK_SECRET = 'whsec_spur_test_secret';
export const DASHBOARD = 'http://app.spur.test';

export type BillingBackend = {
  t: TestStores;
  ses: LocalSes;
  stripe: StripeTestServer;
  billing: BillingContext;
  server: RunningServer;
  login: (email: string) => Promise<Browser>;
  resetRateLimits: () => Promise<void>;
  /** Moves the Stripe (and billing) clock back to the wall clock. */
  resetClock: () => void;
  close: () => Promise<void>;
};

/**
 * A backend with billing on, against the Stripe test server (real `stripe` client, real signed
 * webhooks) and the local SES server. Billing's clock is the Stripe server's, so moving one moves
 * both. Prices are synced from the plan table before any test runs.
 */
export async function startBillingBackend(): Promise<BillingBackend> {
  const [stripe, ses] = await Promise.all([startStripeTestServer(), startLocalSes()]);
  const t = await startTestStores({
    env: {
      SES_ENDPOINT: ses.endpoint,
      DASHBOARD_PUBLIC_URL: DASHBOARD,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
    },
  });
  const accounts = createBackendAccounts(t.config, t.stores, t.log);
  const billing: BillingContext = {
    db: t.stores.postgres.pool,
    stripe: stripe.client(),
    log: t.log,
    mailer: accounts.mailer,
    now: () => new Date(stripe.state.now * 1000),
    webhookSecret: WEBHOOK_SECRET,
    automaticTax: true,
    dashboardUrl: DASHBOARD,
  };
  await syncPrices(billing.stripe);
  const app = createApp({
    stores: t.stores,
    log: t.log,
    registry: createMetricsRegistry('backend'),
    isStopping: () => false,
    config: t.config,
    accounts,
    billing,
  });
  const server = await listen(app, 0, '127.0.0.1');
  const resetRateLimits = async () => {
    const keys = await t.stores.redis.keys('ratelimit:*');
    if (keys.length) await t.stores.redis.del(...keys);
  };
  stripe.webhook = { url: `${server.url}/api/v1/billing/webhook`, secret: WEBHOOK_SECRET };
  return {
    t,
    ses,
    stripe,
    billing,
    server,
    async login(email) {
      await resetRateLimits();
      const browser = new Browser(server.url);
      const reply = await browser.post('/api/v1/auth/login', { email, password: SEED_PASSWORD });
      if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return browser;
    },
    resetRateLimits,
    resetClock() {
      // A little after the wall clock, so a trial created just now has just under 30 days left.
      stripe.state.now = Math.ceil(Date.now() / 1000);
    },
    async close() {
      await server.close();
      await t.close();
      await Promise.all([ses.stop(), stripe.stop()]);
    },
  };
}
