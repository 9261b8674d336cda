import type pg from 'pg';
import type Stripe from 'stripe';
import type { Mailer } from '@spur/email';
import type { Logger } from '@spur/runtime';

/**
 * What billing services need, built once per process when STRIPE_SECRET_KEY is set (billing is
 * off otherwise, and nothing here runs). Tests build one over their own engines, the Stripe test
 * server and a clock they move.
 */
export type BillingContext = {
  db: pg.Pool;
  stripe: Stripe;
  log: Logger;
  mailer: Mailer;
  now: () => Date;
  webhookSecret: string;
  automaticTax: boolean;
  /** Dashboard base URL: checkout and portal return there; emails link there. */
  dashboardUrl: string;
};

export const billingLinks = (dashboardUrl: string, organizationId: string) => {
  const base = `${dashboardUrl.replace(/\/$/, '')}/organizations/${organizationId}/billing`;
  return { billing: base, success: `${base}?checkout=success`, cancel: `${base}?checkout=canceled` };
};
