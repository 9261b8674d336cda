import type { AccountsContext } from '@spur/accounts';
import { billingEnabled, createStripeClient, type BillingContext, type StripeConfig } from '@spur/billing';
import type { Config } from '@spur/config';
import type { Logger } from '@spur/runtime';

export type BillingApiConfig = StripeConfig & Pick<Config, 'dashboardUrl'>;

/**
 * The billing context of a backend process, or undefined when STRIPE_SECRET_KEY is unset: then
 * no route is gated, no limit applies and the billing routes say billing is off.
 */
export function createBackendBilling(
  config: BillingApiConfig,
  accounts: AccountsContext,
  log: Logger,
): BillingContext | undefined {
  if (!billingEnabled(config)) return undefined;
  if (!config.STRIPE_WEBHOOK_SECRET) throw new Error('STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY');
  return {
    db: accounts.db,
    stripe: createStripeClient(config),
    log: log.child({ component: 'billing' }),
    mailer: accounts.mailer,
    now: () => new Date(),
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    automaticTax: config.STRIPE_AUTOMATIC_TAX,
    dashboardUrl: config.dashboardUrl,
  };
}
