import type Stripe from 'stripe';
import { findAccount, withTransaction, type BillingAccount, type Queryable } from './account.repository.ts';
import type { BillingContext } from './context.ts';
import { previousCycle } from './cycle.ts';
import { hasLiveSubscription } from './entitlement.ts';
import { BillingError, invalidChoice } from './errors.ts';
import { formatPageViews, getPlan } from './plans.ts';
import { findPrice, isValidChoice, type PriceChoice } from './prices.ts';
import { isDowngrade, mirrorSubscription } from './subscription-mirror.ts';
import { currentCycle, cycleAnchor, usageInCycle } from './usage.ts';

export type ChangePreview = {
  amountDue: number;
  currency: string;
  prorationDate: number;
  lines: { description: string | null; amount: number }[];
};

async function liveAccount(ctx: BillingContext, organizationId: string): Promise<BillingAccount> {
  const account = await findAccount(ctx.db, organizationId);
  if (!account) throw new BillingError(404, 'organization not found');
  if (!hasLiveSubscription(account) || !account.stripe_subscription_id)
    throw new BillingError(409, 'the organization has no running subscription: choose a plan at checkout', {
      field: 'plan',
    });
  return account;
}

/**
 * A downgrade must still fit what the organization uses: the last complete cycle's usage (or this
 * cycle's so far, if larger), its sites and its members. Refused with the reason, never silently.
 */
export async function checkDowngrade(db: Queryable, account: BillingAccount, choice: PriceChoice, now: Date) {
  if (!isDowngrade(account, choice)) return;
  const plan = getPlan(choice.plan);
  const anchor = cycleAnchor(account);
  const usage = Math.max(
    await usageInCycle(db, account.organization_id, previousCycle(anchor, now)),
    await usageInCycle(db, account.organization_id, currentCycle(account, now)),
  );
  if (usage > choice.tier)
    throw new BillingError(
      409,
      `your sites used ${usage} page views and events in a cycle; the ${formatPageViews(choice.tier)} tier includes ${choice.tier}`,
      {
        field: 'tier',
        reason: 'usage',
        usage,
        limit: choice.tier,
      },
    );
  // Pending invitations count as members, as when they were sent (gate.ts): accepting one after the
  // change must not take the organization past its new plan's limit.
  const { rows } = await db.query<{ sites: number; members: number; pending: number }>(
    `SELECT (SELECT count(*) FROM site WHERE organization_id = $1 AND kind = 'site')::int AS sites,
            (SELECT count(*) FROM organization_member WHERE organization_id = $1)::int AS members,
            (SELECT count(*) FROM invitation
              WHERE organization_id = $1 AND accepted_at IS NULL AND expires_at > now())::int AS pending`,
    [account.organization_id],
  );
  const { sites, pending } = rows[0]!;
  const members = rows[0]!.members + pending;
  if (plan.maxSites !== null && sites > plan.maxSites)
    throw new BillingError(409, `the organization has ${sites} sites; ${plan.name} allows ${plan.maxSites}`, {
      field: 'plan',
      reason: 'sites',
      usage: sites,
      limit: plan.maxSites,
    });
  if (plan.maxMembers !== null && members > plan.maxMembers)
    throw new BillingError(
      409,
      `the organization has ${members} members${pending ? ' and pending invitations' : ''}; ${plan.name} allows ${plan.maxMembers}`,
      { field: 'plan', reason: 'members', usage: members, limit: plan.maxMembers },
    );
}

async function prepare(ctx: BillingContext, organizationId: string, choice: PriceChoice) {
  if (!isValidChoice(choice)) throw invalidChoice('no such plan and tier', 'tier');
  const account = await liveAccount(ctx, organizationId);
  if (account.plan === choice.plan && account.tier === choice.tier && account.billing_interval === choice.interval)
    throw new BillingError(409, 'the organization is already on this plan', { field: 'plan' });
  await checkDowngrade(ctx.db, account, choice, ctx.now());
  const price = await findPrice(ctx.stripe, choice);
  if (!price) throw new BillingError(503, 'prices are not set up in Stripe yet (run billing:sync-prices)');
  const sub = await ctx.stripe.subscriptions.retrieve(account.stripe_subscription_id!);
  const item = sub.items.data[0];
  if (!item) throw new BillingError(409, 'the subscription has no item to change');
  return { account, price, item };
}

/** What changing plan would cost now (prorations invoiced at once), before the customer confirms. */
export async function previewPlanChange(
  ctx: BillingContext,
  organizationId: string,
  choice: PriceChoice,
): Promise<ChangePreview> {
  const { account, price, item } = await prepare(ctx, organizationId, choice);
  const prorationDate = Math.floor(ctx.now().getTime() / 1000);
  const invoice = await ctx.stripe.invoices.createPreview({
    customer: account.stripe_customer_id!,
    subscription: account.stripe_subscription_id!,
    subscription_details: {
      items: [{ id: item.id, price: price.id }],
      proration_behavior: 'always_invoice',
      proration_date: prorationDate,
    },
  });
  return {
    amountDue: invoice.amount_due,
    currency: invoice.currency,
    prorationDate,
    lines: invoice.lines.data.map((l: Stripe.InvoiceLineItem) => ({ description: l.description, amount: l.amount })),
  };
}

/**
 * Changes plan, tier or interval; prorations are invoiced at once and computed at the preview's
 * `prorationDate`, so the customer pays what the preview showed.
 */
export async function changePlan(
  ctx: BillingContext,
  organizationId: string,
  choice: PriceChoice,
  prorationDate?: number,
): Promise<void> {
  const { account, price, item } = await prepare(ctx, organizationId, choice);
  const sub = await ctx.stripe.subscriptions.update(account.stripe_subscription_id!, {
    items: [{ id: item.id, price: price.id }],
    proration_behavior: 'always_invoice',
    ...(prorationDate ? { proration_date: prorationDate } : {}),
  });
  await applyNow(ctx, organizationId, sub);
}

/** Cancel at the end of the paid period (`true`), or take that back (`false`). */
export async function setCancelAtPeriodEnd(ctx: BillingContext, organizationId: string, cancel: boolean) {
  const account = await liveAccount(ctx, organizationId);
  if (account.cancel_at_period_end === cancel)
    throw new BillingError(
      409,
      cancel ? 'the subscription is already set to cancel' : 'the subscription is not set to cancel',
      {
        field: 'cancel_at_period_end',
      },
    );
  const sub = await ctx.stripe.subscriptions.update(account.stripe_subscription_id!, { cancel_at_period_end: cancel });
  await applyNow(ctx, organizationId, sub);
}

/**
 * Mirrors our own change at once (the customer sees it without waiting for the webhook), re-read
 * under the row lock like the webhook does, so neither can write an older state over a newer one.
 */
async function applyNow(ctx: BillingContext, organizationId: string, changed: Stripe.Subscription) {
  await withTransaction(ctx.db, async (tx) => {
    const locked = await findAccount(tx, organizationId, true);
    if (!locked) return;
    const sub = await ctx.stripe.subscriptions.retrieve(changed.id);
    await mirrorSubscription(tx, locked, sub, ctx.now(), ctx.log);
  });
}
