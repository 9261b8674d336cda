import { findAccount, organizationName, updateAccount, withTransaction } from './account.repository.ts';
import { billingLinks, type BillingContext } from './context.ts';
import { hasLiveSubscription } from './entitlement.ts';
import { BillingError, invalidChoice } from './errors.ts';
import { findPrice, isValidChoice, type PriceChoice } from './prices.ts';

/** Stripe wants a trial end at least 48 hours ahead; a shorter rest of the trial is not carried over. */
const MIN_TRIAL_CARRY_MS = 49 * 3_600_000;

/**
 * The organization's Stripe customer, created on first need. The account row is locked while the
 * customer is created, so two checkouts racing for one organization create one customer; the
 * idempotency key covers a crash between Stripe's answer and our commit.
 */
export async function ensureCustomer(ctx: BillingContext, organizationId: string, email: string): Promise<string> {
  return withTransaction(ctx.db, async (tx) => {
    const account = await findAccount(tx, organizationId, true);
    if (!account) throw new BillingError(404, 'organization not found');
    if (account.stripe_customer_id) return account.stripe_customer_id;
    const customer = await ctx.stripe.customers.create(
      { email, name: await organizationName(tx, organizationId), metadata: { organization_id: organizationId } },
      { idempotencyKey: `spur-customer-org-${organizationId}` },
    );
    await updateAccount(tx, organizationId, { stripe_customer_id: customer.id });
    return customer.id;
  });
}

/**
 * A Stripe Checkout session for a new subscription: tax computed by Stripe Tax, VAT ids collected
 * for EU businesses, the customer reused. Whatever is left of the card-less trial carries over as
 * the subscription's trial, so subscribing early never costs trial days.
 */
export async function startCheckout(
  ctx: BillingContext,
  organizationId: string,
  email: string,
  choice: PriceChoice,
): Promise<{ url: string }> {
  if (!isValidChoice(choice)) throw invalidChoice('no such plan and tier', 'tier');
  const account = await findAccount(ctx.db, organizationId);
  if (!account) throw new BillingError(404, 'organization not found');
  if (hasLiveSubscription(account))
    throw new BillingError(409, 'the organization already has a subscription: change its plan instead', {
      field: 'plan',
    });
  const price = await findPrice(ctx.stripe, choice);
  if (!price) throw new BillingError(503, 'prices are not set up in Stripe yet (run billing:sync-prices)');
  const customer = await ensureCustomer(ctx, organizationId, email);
  const now = ctx.now();
  const carryTrial =
    account.trial_end.getTime() - now.getTime() > MIN_TRIAL_CARRY_MS && !account.stripe_subscription_id;
  const links = billingLinks(ctx.dashboardUrl, organizationId);
  const session = await ctx.stripe.checkout.sessions.create({
    mode: 'subscription',
    customer,
    client_reference_id: organizationId,
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: links.success,
    cancel_url: links.cancel,
    automatic_tax: { enabled: ctx.automaticTax },
    tax_id_collection: { enabled: true },
    customer_update: { name: 'auto', address: 'auto' },
    metadata: { organization_id: organizationId },
    subscription_data: {
      metadata: { organization_id: organizationId },
      ...(carryTrial ? { trial_end: Math.floor(account.trial_end.getTime() / 1000) } : {}),
    },
  });
  if (!session.url) throw new BillingError(503, 'Stripe returned no checkout URL');
  return { url: session.url };
}

/** A Customer Portal session (card, invoices, cancellation) for an organization that has a customer. */
export async function openPortal(ctx: BillingContext, organizationId: string): Promise<{ url: string }> {
  const account = await findAccount(ctx.db, organizationId);
  if (!account?.stripe_customer_id)
    throw new BillingError(409, 'the organization has no Stripe customer yet: subscribe first', { field: 'plan' });
  const session = await ctx.stripe.billingPortal.sessions.create({
    customer: account.stripe_customer_id,
    return_url: billingLinks(ctx.dashboardUrl, organizationId).billing,
  });
  return { url: session.url };
}
