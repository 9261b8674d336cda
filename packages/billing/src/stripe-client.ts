import Stripe from 'stripe';
import type { Config } from '@spur/config';
import type { BillingContext } from './context.ts';

export type StripeConfig = Pick<
  Config,
  'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_BASE' | 'STRIPE_AUTOMATIC_TAX'
>;

/** Billing is on exactly when a secret key is configured (self-hosting leaves it unset). */
export const billingEnabled = (config: StripeConfig): boolean => Boolean(config.STRIPE_SECRET_KEY);

/**
 * The official client, pointed at STRIPE_API_BASE when set (the local test server). Retries are
 * off against a local base: the test server answers at once, and a retried 500 would hide a bug.
 * In production the client's own retries (with idempotency keys) stay on.
 */
export function createStripeClient(config: StripeConfig): Stripe {
  if (!config.STRIPE_SECRET_KEY) throw new Error('STRIPE_SECRET_KEY is not set: billing is off');
  if (!config.STRIPE_API_BASE) return new Stripe(config.STRIPE_SECRET_KEY, { maxNetworkRetries: 2, telemetry: false });
  const base = new URL(config.STRIPE_API_BASE);
  return new Stripe(config.STRIPE_SECRET_KEY, {
    host: base.hostname,
    port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
    protocol: base.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

/**
 * The billing context of a process (backend or the jobs worker), or undefined when billing is off.
 * STRIPE_WEBHOOK_SECRET is required with a key: a backend that cannot check signatures must not start.
 */
export function createBillingContext(deps: {
  config: StripeConfig & Pick<Config, 'dashboardUrl'>;
  db: BillingContext['db'];
  mailer: BillingContext['mailer'];
  log: BillingContext['log'];
}): BillingContext | undefined {
  const { config } = deps;
  if (!billingEnabled(config)) return undefined;
  if (!config.STRIPE_WEBHOOK_SECRET) throw new Error('STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY');
  return {
    db: deps.db,
    stripe: createStripeClient(config),
    log: deps.log.child({ component: 'billing' }),
    mailer: deps.mailer,
    now: () => new Date(),
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    automaticTax: config.STRIPE_AUTOMATIC_TAX,
    dashboardUrl: config.dashboardUrl,
  };
}
