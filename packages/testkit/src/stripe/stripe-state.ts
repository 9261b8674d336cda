import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import {
  list,
  periodEnd,
  type FakeCheckoutSession,
  type FakeCustomer,
  type FakeEvent,
  type FakeInvoice,
  type FakeItem,
  type FakeLine,
  type FakePortalSession,
  type FakePrice,
  type FakeProduct,
  type FakeSubscription,
} from './objects.ts';

/** An answer the server sends as Stripe's error shape (`{ error: { type, message, param, code } }`). */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param?: string,
    readonly code = status === 404 ? 'resource_missing' : 'parameter_invalid',
  ) {
    super(message);
  }
}

export const API_VERSION = '2026-10-28.endive';

/**
 * Everything the fake Stripe account holds, with its own clock (`now`, seconds): trials, periods
 * and invoices move only when a test moves the clock, never with the wall clock.
 */
export class StripeState {
  now: number;
  readonly products = new Map<string, FakeProduct>();
  readonly prices = new Map<string, FakePrice>();
  readonly customers = new Map<string, FakeCustomer>();
  readonly checkoutSessions = new Map<string, FakeCheckoutSession>();
  readonly portalSessions = new Map<string, FakePortalSession>();
  readonly subscriptions = new Map<string, FakeSubscription>();
  readonly invoices = new Map<string, FakeInvoice>();
  readonly events: FakeEvent[] = [];
  /** Events not yet handed to `deliverWebhooks`. */
  undelivered: FakeEvent[] = [];

  constructor(now: Date) {
    this.now = Math.floor(now.getTime() / 1000);
  }

  id(prefix: string): string {
    return `${prefix}_${randomBytes(12).toString('hex')}`;
  }

  get<T>(map: Map<string, T>, id: string, what: string, param = 'id'): T {
    const found = map.get(id);
    if (!found) throw new StripeApiError(404, `No such ${what}: '${id}'`, param);
    return found;
  }

  emit(type: Stripe.Event['type'], object: { id: string; object: string }, previous?: Record<string, unknown>): void {
    const event: FakeEvent = {
      id: this.id('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.now,
      livemode: false,
      type,
      // A snapshot: later changes to the object must not leak into an event already "sent".
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
    this.events.push(event);
    this.undelivered.push(event);
  }

  createSubscription(session: FakeCheckoutSession, customer: string): FakeSubscription {
    const price = this.get(this.prices, session.line_items_price, 'price');
    const id = this.id('sub');
    const trialing = session.trial_end !== null && session.trial_end > this.now;
    const start = this.now;
    const end = trialing ? session.trial_end! : periodEnd(start, price);
    const item: FakeItem = {
      id: this.id('si'),
      object: 'subscription_item',
      created: start,
      current_period_start: start,
      current_period_end: end,
      metadata: {},
      quantity: 1,
      subscription: id,
      price,
    };
    const subscription: FakeSubscription = {
      id,
      object: 'subscription',
      billing_cycle_anchor: end,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      created: start,
      currency: price.currency,
      customer,
      ended_at: null,
      latest_invoice: null,
      livemode: false,
      metadata: { ...session.subscription_metadata },
      start_date: start,
      status: trialing ? 'trialing' : 'active',
      trial_end: trialing ? session.trial_end : null,
      trial_start: trialing ? start : null,
      items: list([item], `/v1/subscription_items?subscription=${id}`),
    };
    this.subscriptions.set(id, subscription);
    this.invoice(subscription, trialing ? [] : [this.line(price, start, end, false)], 'subscription_create', true);
    return subscription;
  }

  line(price: FakePrice, start: number, end: number, proration: boolean, amount = price.unit_amount ?? 0): FakeLine {
    return {
      id: this.id('il'),
      object: 'line_item',
      amount,
      currency: price.currency,
      description: `${proration ? (amount < 0 ? 'Unused time on' : 'Remaining time on') : '1 ×'} ${price.nickname ?? price.id}`,
      period: { start, end },
      proration,
    };
  }

  /** Builds an invoice for `lines`; `paid` settles it now, otherwise it stays open with a failed attempt. */
  invoice(
    subscription: FakeSubscription,
    lines: FakeLine[],
    reason: Stripe.Invoice.BillingReason,
    paid: boolean,
    preview = false,
  ): FakeInvoice {
    const total = lines.reduce((sum, l) => sum + l.amount, 0);
    const due = Math.max(0, total);
    const invoice: FakeInvoice = {
      id: preview ? `upcoming_${this.id('in')}` : this.id('in'),
      object: 'invoice',
      amount_due: due,
      amount_paid: paid ? due : 0,
      amount_remaining: paid ? 0 : due,
      attempt_count: preview ? 0 : 1,
      billing_reason: reason,
      created: this.now,
      currency: subscription.currency,
      customer: subscription.customer,
      livemode: false,
      period_end: this.now,
      period_start: this.now,
      status: preview ? 'draft' : paid ? 'paid' : 'open',
      subtotal: total,
      total,
      lines: list(lines, '/v1/invoices/lines'),
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: { ...subscription.metadata } },
      },
    };
    if (preview) return invoice;
    this.invoices.set(invoice.id, invoice);
    subscription.latest_invoice = invoice.id;
    this.emit('invoice.created', invoice);
    this.emit(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice);
    return invoice;
  }

  /**
   * Proration lines for moving `subscription` to `price` at `at`: credit for the unused part of the
   * current period, charge for the rest of it on the new price. Changing the interval restarts the
   * cycle at `at`, so the whole new period is charged instead.
   */
  prorate(subscription: FakeSubscription, price: FakePrice, at: number): { lines: FakeLine[]; resetCycle: boolean } {
    const item = subscription.items.data[0]!;
    const { current_period_start: start, current_period_end: end } = item;
    if (subscription.status === 'trialing') return { lines: [], resetCycle: false };
    const left = Math.max(0, end - at) / Math.max(1, end - start);
    const credit = -Math.round((item.price.unit_amount ?? 0) * left);
    const resetCycle = price.recurring.interval !== item.price.recurring.interval;
    const charge = resetCycle ? (price.unit_amount ?? 0) : Math.round((price.unit_amount ?? 0) * left);
    const chargeEnd = resetCycle ? periodEnd(at, price) : end;
    return {
      lines: [this.line(item.price, at, end, true, credit), this.line(price, at, chargeEnd, true, charge)],
      resetCycle,
    };
  }

  subscriptionUpdated(subscription: FakeSubscription, previous: Record<string, unknown>): void {
    this.emit('customer.subscription.updated', subscription, previous);
  }
}
