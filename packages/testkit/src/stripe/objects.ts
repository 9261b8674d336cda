import type Stripe from 'stripe';

/**
 * The Stripe objects the test server keeps, typed as the fields of the `stripe` package's own types
 * that the server fills in. A field Spur starts reading that the server does not fill fails to
 * compile here instead of arriving as `undefined` at run time.
 */
export type FakeList<T> = { object: 'list'; data: T[]; has_more: boolean; url: string };

export type FakeProduct = Pick<
  Stripe.Product,
  'id' | 'object' | 'active' | 'created' | 'livemode' | 'metadata' | 'name'
>;

export type FakePrice = Pick<
  Stripe.Price,
  | 'id'
  | 'object'
  | 'active'
  | 'created'
  | 'currency'
  | 'livemode'
  | 'lookup_key'
  | 'metadata'
  | 'nickname'
  | 'product'
  | 'tax_behavior'
  | 'type'
  | 'unit_amount'
> & { recurring: Pick<Stripe.Price.Recurring, 'interval' | 'interval_count'> };

export type FakeCustomer = Pick<
  Stripe.Customer,
  'id' | 'object' | 'created' | 'email' | 'livemode' | 'metadata' | 'name'
>;

export type FakeItem = Pick<
  Stripe.SubscriptionItem,
  'id' | 'object' | 'created' | 'current_period_end' | 'current_period_start' | 'metadata' | 'quantity' | 'subscription'
> & { price: FakePrice };

export type FakeSubscription = Pick<
  Stripe.Subscription,
  | 'id'
  | 'object'
  | 'billing_cycle_anchor'
  | 'cancel_at'
  | 'cancel_at_period_end'
  | 'canceled_at'
  | 'created'
  | 'currency'
  | 'customer'
  | 'ended_at'
  | 'latest_invoice'
  | 'livemode'
  | 'metadata'
  | 'start_date'
  | 'status'
  | 'trial_end'
  | 'trial_start'
> & { items: FakeList<FakeItem> };

export type FakeLine = Pick<Stripe.InvoiceLineItem, 'id' | 'object' | 'amount' | 'currency' | 'description'> & {
  period: Pick<Stripe.InvoiceLineItem.Period, 'start' | 'end'>;
  proration: boolean;
};

export type FakeInvoice = Pick<
  Stripe.Invoice,
  | 'id'
  | 'object'
  | 'amount_due'
  | 'amount_paid'
  | 'amount_remaining'
  | 'attempt_count'
  | 'billing_reason'
  | 'created'
  | 'currency'
  | 'customer'
  | 'livemode'
  | 'period_end'
  | 'period_start'
  | 'status'
  | 'subtotal'
  | 'total'
> & {
  lines: FakeList<FakeLine>;
  parent: { type: 'subscription_details'; subscription_details: { subscription: string; metadata: Stripe.Metadata } };
};

export type FakeCheckoutSession = Pick<
  Stripe.Checkout.Session,
  | 'id'
  | 'object'
  | 'cancel_url'
  | 'client_reference_id'
  | 'created'
  | 'customer'
  | 'livemode'
  | 'metadata'
  | 'mode'
  | 'status'
  | 'subscription'
  | 'success_url'
  | 'url'
> & {
  /** Kept so the completion helper can build the subscription Spur asked for. */
  line_items_price: string;
  trial_end: number | null;
  subscription_metadata: Stripe.Metadata;
  automatic_tax_enabled: boolean;
  tax_id_collection_enabled: boolean;
};

export type FakePortalSession = Pick<
  Stripe.BillingPortal.Session,
  'id' | 'object' | 'created' | 'customer' | 'livemode' | 'return_url' | 'url'
>;

export type FakeEvent = Pick<Stripe.Event, 'id' | 'object' | 'api_version' | 'created' | 'livemode' | 'type'> & {
  data: { object: { id: string; object: string }; previous_attributes?: Record<string, unknown> };
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
};

export const list = <T>(data: T[], url: string): FakeList<T> => ({ object: 'list', data, has_more: false, url });

/** `start` plus `months` calendar months, the day clamped to the month's end (Jan 31 → Feb 28). */
export function addMonths(startSeconds: number, months: number): number {
  const start = new Date(startSeconds * 1000);
  const target = new Date(
    Date.UTC(
      start.getUTCFullYear(),
      start.getUTCMonth() + months,
      1,
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000);
}

export const periodEnd = (start: number, price: FakePrice): number =>
  addMonths(start, price.recurring.interval === 'year' ? 12 : price.recurring.interval_count);
