import type { AccountsContext } from '@spur/accounts';
import { createBillingContext, type BillingContext, type StripeConfig } from '@spur/billing';
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
  return createBillingContext({ config, db: accounts.db, mailer: accounts.mailer, log });
}
