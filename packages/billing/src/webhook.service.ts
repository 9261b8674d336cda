import type Stripe from 'stripe';
import { findAccount, findAccountByCustomer, withTransaction } from './account.repository.ts';
import type { BillingContext } from './context.ts';
import { BillingError } from './errors.ts';
import { mirrorSubscription } from './subscription-mirror.ts';

export type WebhookOutcome = 'applied' | 'unchanged' | 'duplicate' | 'ignored' | 'stale_subscription';

/** The subscription an event is about, wherever its object keeps it. */
function subscriptionOf(event: Stripe.Event): string | undefined {
  const object = event.data.object as {
    object?: string;
    id?: string;
    subscription?: string | { id: string } | null;
    parent?: { subscription_details?: { subscription?: string | { id: string } } | null } | null;
  };
  const ref =
    object.object === 'subscription'
      ? object.id
      : (object.subscription ?? object.parent?.subscription_details?.subscription ?? undefined);
  return typeof ref === 'string' ? ref : ref?.id;
}

function organizationHint(event: Stripe.Event): { organizationId?: string; customer?: string } {
  const object = event.data.object as {
    client_reference_id?: string | null;
    metadata?: Record<string, string> | null;
    customer?: string | { id: string } | null;
  };
  const customer = typeof object.customer === 'string' ? object.customer : object.customer?.id;
  const organizationId = object.client_reference_id ?? object.metadata?.organization_id ?? undefined;
  return {
    organizationId: organizationId && /^[1-9]\d{0,17}$/.test(organizationId) ? organizationId : undefined,
    customer,
  };
}

/**
 * One Stripe webhook delivery. The signature is checked on the raw body (400 on a bad one). The
 * event id is recorded in `stripe_event` in the same transaction as its effect, so a redelivery
 * finds it and changes nothing; the subscription is re-read from Stripe under the account's row
 * lock, so whatever order events arrive in, the mirror ends at Stripe's current state. A failure
 * rolls everything back and answers 500: Stripe retries later.
 */
export async function handleStripeWebhook(
  ctx: BillingContext,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<{ id: string; outcome: WebhookOutcome }> {
  let event: Stripe.Event;
  try {
    if (!signature) throw new Error('missing');
    event = ctx.stripe.webhooks.constructEvent(rawBody, signature, ctx.webhookSecret);
  } catch {
    throw new BillingError(400, 'invalid Stripe signature', { field: 'stripe-signature' });
  }
  const subscriptionId = subscriptionOf(event);
  const hint = organizationHint(event);
  const byCustomer = hint.customer ? await findAccountByCustomer(ctx.db, hint.customer) : undefined;
  const organizationId = byCustomer?.organization_id ?? hint.organizationId;
  return withTransaction(ctx.db, async (tx) => {
    const fresh = await tx.query(
      `INSERT INTO stripe_event (id, type, organization_id, outcome)
       VALUES ($1, $2, (SELECT organization_id FROM billing_account WHERE organization_id::text = $3), 'pending')
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [event.id, event.type, organizationId ?? null],
    );
    if (fresh.rowCount === 0) return { id: event.id, outcome: 'duplicate' as const };
    const account = organizationId && subscriptionId ? await findAccount(tx, organizationId, true) : undefined;
    let outcome: WebhookOutcome = 'ignored';
    if (account && subscriptionId) {
      // A subscription Stripe no longer knows (deleted test data) cannot be applied; retrying would not help.
      const sub = await ctx.stripe.subscriptions.retrieve(subscriptionId).catch((error: { statusCode?: number }) => {
        if (error.statusCode === 404) return undefined;
        throw error;
      });
      if (sub) {
        const result = await mirrorSubscription(tx, account, sub, ctx.now(), ctx.log);
        outcome = result.skipped ?? (result.changed.length > 0 ? 'applied' : 'unchanged');
      }
    } else {
      ctx.log.info({ event: event.id, type: event.type }, 'Stripe event without a known organization or subscription');
    }
    await tx.query('UPDATE stripe_event SET outcome = $2 WHERE id = $1', [event.id, outcome]);
    return { id: event.id, outcome };
  });
}
