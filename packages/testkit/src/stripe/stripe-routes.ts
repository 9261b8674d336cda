import { bool, int, list as formList, metadataOf, obj, str, type FormObject } from './form.ts';
import { list, periodEnd, type FakePrice, type FakeSubscription } from './objects.ts';
import { StripeApiError, type StripeState } from './stripe-state.ts';

type Handler = (s: StripeState, p: FormObject, id: string, base: string) => unknown;

const required = (p: FormObject, name: string): string => {
  const value = str(p[name]);
  if (!value) throw new StripeApiError(400, `Missing required param: ${name}.`, name, 'parameter_missing');
  return value;
};

const subscriptionsOf = (s: StripeState, customer: string | undefined) =>
  [...s.subscriptions.values()].filter((sub) => !customer || sub.customer === customer);

function priceFor(s: StripeState, id: string, param: string): FakePrice {
  const price = s.get(s.prices, id, 'price', param);
  if (!price.active) throw new StripeApiError(400, `The price specified is inactive.`, param);
  return price;
}

/**
 * Exactly the Stripe API calls Spur makes, keyed `METHOD /v1/path` with `:id` for the object id.
 * Unknown paths are a 404 in Stripe's error shape, so a new call Spur makes shows up at once.
 */
export const ROUTES: Record<string, Handler> = {
  'POST /v1/products': (s, p) => {
    const id = str(p.id) ?? s.id('prod');
    if (s.products.has(id)) throw new StripeApiError(400, `Product already exists.`, 'id', 'resource_already_exists');
    const product = {
      id,
      object: 'product' as const,
      active: true,
      created: s.now,
      livemode: false,
      metadata: metadataOf(p.metadata),
      name: required(p, 'name'),
    };
    s.products.set(id, product);
    return product;
  },
  'GET /v1/products/:id': (s, _p, id) => s.get(s.products, id, 'product'),
  'POST /v1/products/:id': (s, p, id) => {
    const product = s.get(s.products, id, 'product');
    if (str(p.name)) product.name = str(p.name)!;
    if (bool(p.active) !== undefined) product.active = bool(p.active)!;
    Object.assign(product.metadata, metadataOf(p.metadata));
    return product;
  },
  'GET /v1/prices': (s, p, _id, base) => {
    const keys = formList(p.lookup_keys).map(String);
    const active = bool(p.active);
    const data = [...s.prices.values()].filter(
      (price) =>
        (!str(p.product) || price.product === str(p.product)) &&
        (active === undefined || price.active === active) &&
        (keys.length === 0 || (price.lookup_key !== null && keys.includes(price.lookup_key))),
    );
    return list(data, `${base}/v1/prices`);
  },
  'POST /v1/prices': (s, p) => {
    const product = s.get(s.products, required(p, 'product'), 'product', 'product');
    const interval = str(obj(p.recurring).interval);
    if (interval !== 'month' && interval !== 'year')
      throw new StripeApiError(400, 'Invalid recurring[interval]', 'recurring[interval]');
    const amount = int(p.unit_amount);
    if (amount === undefined || amount < 0) throw new StripeApiError(400, 'Invalid unit_amount', 'unit_amount');
    const lookupKey = str(p.lookup_key) ?? null;
    const holder = [...s.prices.values()].find((x) => lookupKey !== null && x.lookup_key === lookupKey);
    if (holder) {
      if (bool(p.transfer_lookup_key) !== true)
        throw new StripeApiError(400, `A price with lookup key ${lookupKey} already exists.`, 'lookup_key');
      holder.lookup_key = null;
    }
    const price: FakePrice = {
      id: s.id('price'),
      object: 'price',
      active: true,
      created: s.now,
      currency: required(p, 'currency').toLowerCase(),
      livemode: false,
      lookup_key: lookupKey,
      metadata: metadataOf(p.metadata),
      nickname: str(p.nickname) ?? null,
      product: product.id,
      tax_behavior: (str(p.tax_behavior) as FakePrice['tax_behavior']) ?? null,
      type: 'recurring',
      unit_amount: amount,
      recurring: { interval, interval_count: 1 },
    };
    s.prices.set(price.id, price);
    return price;
  },
  'POST /v1/prices/:id': (s, p, id) => {
    const price = s.get(s.prices, id, 'price');
    if (bool(p.active) !== undefined) price.active = bool(p.active)!;
    Object.assign(price.metadata, metadataOf(p.metadata));
    return price;
  },
  'POST /v1/customers': (s, p) => {
    const customer = {
      id: s.id('cus'),
      object: 'customer' as const,
      created: s.now,
      email: str(p.email) ?? null,
      livemode: false,
      metadata: metadataOf(p.metadata),
      name: str(p.name) ?? null,
    };
    s.customers.set(customer.id, customer);
    return customer;
  },
  'GET /v1/customers/:id': (s, _p, id) => s.get(s.customers, id, 'customer'),
  'POST /v1/checkout/sessions': (s, p, _id, base) => {
    if (str(p.mode) !== 'subscription') throw new StripeApiError(400, 'Spur only uses subscription mode', 'mode');
    const customer = s.get(s.customers, required(p, 'customer'), 'customer', 'customer');
    const items = formList(p.line_items).map(obj);
    if (items.length !== 1) throw new StripeApiError(400, 'Exactly one line item expected', 'line_items');
    const price = priceFor(s, str(items[0]!.price) ?? '', 'line_items[0][price]');
    const subscriptionData = obj(p.subscription_data);
    const trialEnd = int(subscriptionData.trial_end) ?? null;
    if (trialEnd !== null && trialEnd < s.now + 48 * 3600)
      throw new StripeApiError(
        400,
        'trial_end must be at least 48 hours in the future',
        'subscription_data[trial_end]',
      );
    const taxIds = bool(obj(p.tax_id_collection).enabled) === true;
    // Stripe's rule: collecting tax ids for an existing customer needs permission to save the name.
    if (taxIds && str(obj(p.customer_update).name) !== 'auto')
      throw new StripeApiError(
        400,
        'customer_update[name] must be auto with tax_id_collection',
        'customer_update[name]',
      );
    const id = s.id('cs_test');
    const session = {
      id,
      object: 'checkout.session' as const,
      cancel_url: str(p.cancel_url) ?? null,
      client_reference_id: str(p.client_reference_id) ?? null,
      created: s.now,
      customer: customer.id,
      livemode: false,
      metadata: metadataOf(p.metadata),
      mode: 'subscription' as const,
      status: 'open' as const,
      subscription: null,
      success_url: required(p, 'success_url'),
      url: `${base}/checkout/${id}`,
      line_items_price: price.id,
      trial_end: trialEnd,
      subscription_metadata: metadataOf(subscriptionData.metadata),
      automatic_tax_enabled: bool(obj(p.automatic_tax).enabled) === true,
      tax_id_collection_enabled: taxIds,
    };
    s.checkoutSessions.set(id, session);
    return session;
  },
  'GET /v1/checkout/sessions/:id': (s, _p, id) => s.get(s.checkoutSessions, id, 'checkout.session'),
  'POST /v1/billing_portal/sessions': (s, p, _id, base) => {
    const customer = s.get(s.customers, required(p, 'customer'), 'customer', 'customer');
    const session = {
      id: s.id('bps'),
      object: 'billing_portal.session' as const,
      created: s.now,
      customer: customer.id,
      livemode: false,
      return_url: str(p.return_url) ?? null,
      url: `${base}/portal/${customer.id}`,
    };
    s.portalSessions.set(session.id, session);
    return session;
  },
  'GET /v1/subscriptions': (s, p, _id, base) => {
    const status = str(p.status);
    const data = subscriptionsOf(s, str(p.customer)).filter(
      (sub) => status === 'all' || (status ? sub.status === status : sub.status !== 'canceled'),
    );
    return list(data, `${base}/v1/subscriptions`);
  },
  'GET /v1/subscriptions/:id': (s, _p, id) => s.get(s.subscriptions, id, 'subscription'),
  'POST /v1/subscriptions/:id': (s, p, id) => updateSubscription(s, s.get(s.subscriptions, id, 'subscription'), p),
  'DELETE /v1/subscriptions/:id': (s, _p, id) => {
    const sub = s.get(s.subscriptions, id, 'subscription');
    if (sub.status === 'canceled') throw new StripeApiError(400, 'Subscription is already canceled', 'id');
    const previous = { status: sub.status };
    Object.assign(sub, { status: 'canceled', canceled_at: s.now, ended_at: s.now });
    s.emit('customer.subscription.deleted', sub, previous);
    return sub;
  },
  'POST /v1/subscriptions/:id/resume': (s, _p, id) => {
    const sub = s.get(s.subscriptions, id, 'subscription');
    if (sub.status !== 'paused') throw new StripeApiError(400, 'Only a paused subscription can be resumed', 'id');
    sub.status = 'active';
    s.emit('customer.subscription.resumed', sub, { status: 'paused' });
    return sub;
  },
  'POST /v1/invoices/create_preview': (s, p) => {
    const sub = s.get(s.subscriptions, required(p, 'subscription'), 'subscription', 'subscription');
    const details = obj(p.subscription_details);
    const item = obj(formList(details.items)[0]);
    const price = priceFor(s, str(item.price) ?? '', 'subscription_details[items][0][price]');
    const at = int(details.proration_date) ?? s.now;
    return s.invoice(sub, s.prorate(sub, price, at).lines, 'subscription_update', false, true);
  },
  'GET /v1/invoices': (s, p, _id, base) => {
    const data = [...s.invoices.values()].filter(
      (inv) =>
        (!str(p.subscription) || inv.parent.subscription_details.subscription === str(p.subscription)) &&
        (!str(p.customer) || inv.customer === str(p.customer)),
    );
    return list(data.reverse(), `${base}/v1/invoices`);
  },
  'GET /v1/events/:id': (s, _p, id) => {
    const event = s.events.find((e) => e.id === id);
    if (!event) throw new StripeApiError(404, `No such event: '${id}'`, 'id');
    return event;
  },
  'GET /v1/events': (s, _p, _id, base) => list([...s.events].reverse(), `${base}/v1/events`),
};

/** Price change (with prorations invoiced now, as Spur asks) and cancel at period end / undo. */
function updateSubscription(s: StripeState, sub: FakeSubscription, p: FormObject): FakeSubscription {
  const previous: Record<string, unknown> = {};
  const cancel = bool(p.cancel_at_period_end);
  if (cancel !== undefined && cancel !== sub.cancel_at_period_end) {
    if (sub.status === 'canceled') throw new StripeApiError(400, 'Subscription is canceled', 'cancel_at_period_end');
    previous.cancel_at_period_end = sub.cancel_at_period_end;
    sub.cancel_at_period_end = cancel;
    sub.cancel_at = cancel ? sub.items.data[0]!.current_period_end : null;
  }
  const items = formList(p.items).map(obj);
  if (items.length > 0) {
    const item = sub.items.data[0]!;
    if (str(items[0]!.id) !== item.id)
      throw new StripeApiError(400, `No such subscription item: '${str(items[0]!.id)}'`, 'items[0][id]');
    const price = priceFor(s, str(items[0]!.price) ?? '', 'items[0][price]');
    const at = int(p.proration_date) ?? s.now;
    const { lines, resetCycle } = s.prorate(sub, price, at);
    previous.items = structuredClone(sub.items);
    item.price = price;
    if (resetCycle) {
      item.current_period_start = s.now;
      item.current_period_end = periodEnd(s.now, price);
      sub.billing_cycle_anchor = s.now;
    }
    if (str(p.proration_behavior) === 'always_invoice' && lines.length > 0)
      s.invoice(sub, lines, 'subscription_update', true);
  }
  Object.assign(sub.metadata, metadataOf(p.metadata));
  s.subscriptionUpdated(sub, previous);
  return sub;
}
