/**
 * `STRIPE_SECRET_KEY=sk_test_… node --import tsx scripts/stripe-smoke.ts`: the billing lifecycle
 * against a real Stripe test-mode account, for operators before a release (not run in CI: it needs
 * the network and an account). It makes the calls Spur makes, with Spur's parameters, and checks
 * what Stripe answers: price sync (twice: the second run must change nothing), a customer, a
 * checkout session, a subscription paid with Stripe's test card, a proration preview and the
 * change it previews, cancel at period end and back, cancel, and a webhook signature round trip.
 * Everything it creates is tagged `spur_smoke` and the customer is deleted at the end.
 */
import Stripe from 'stripe';
import { createStripeClient, findPrice, lookupKey, syncPrices } from '@spur/billing';
import { loadConfigOrExit } from '@spur/config';

const config = loadConfigOrExit();
if (!config.STRIPE_SECRET_KEY?.startsWith('sk_test_')) {
  process.stderr.write('Set STRIPE_SECRET_KEY to a test-mode key (sk_test_…); this script never runs on live keys.\n');
  process.exit(78);
}
const stripe = createStripeClient(config);
const steps: { step: string; ok: boolean; detail?: unknown }[] = [];

function check(step: string, ok: boolean, detail?: unknown) {
  steps.push({ step, ok, ...(detail === undefined ? {} : { detail }) });
  if (!ok) throw new Error(`${step} failed: ${JSON.stringify(detail)}`);
}

let customerId: string | undefined;
try {
  const first = await syncPrices(stripe);
  const second = await syncPrices(stripe);
  check('prices synced; a second sync changes nothing', second.length === 0, { first: first.length, second });

  const starter = await findPrice(stripe, { plan: 'starter', tier: 10_000, interval: 'monthly' });
  const business = await findPrice(stripe, { plan: 'business', tier: 100_000, interval: 'monthly' });
  check('prices found by lookup key', !!starter && !!business, lookupKey('starter', 10_000, 'monthly'));

  const customer = await stripe.customers.create(
    { email: 'smoke@example.com', name: 'Spur smoke test', metadata: { organization_id: 'spur_smoke' } },
    { idempotencyKey: `spur-smoke-${Date.now()}` },
  );
  customerId = customer.id;

  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: '1',
    line_items: [{ price: starter!.id, quantity: 1 }],
    success_url: `${config.dashboardUrl}/organizations/1/billing?checkout=success`,
    cancel_url: `${config.dashboardUrl}/organizations/1/billing?checkout=canceled`,
    automatic_tax: { enabled: config.STRIPE_AUTOMATIC_TAX },
    tax_id_collection: { enabled: true },
    customer_update: { name: 'auto', address: 'auto' },
    metadata: { organization_id: 'spur_smoke' },
    subscription_data: {
      metadata: { organization_id: 'spur_smoke' },
      trial_end: Math.floor(Date.now() / 1000) + 7 * 86_400,
    },
  });
  check('checkout session accepted with Spur’s parameters', !!session.url, session.url);

  // Checkout needs a person at a browser; the test card stands in for the payment it collects.
  const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
  const sub = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: starter!.id }],
    metadata: { organization_id: 'spur_smoke' },
  });
  const item = sub.items.data[0]!;
  check('subscription active, period on the item (API 2026-10-28)', sub.status === 'active', {
    status: sub.status,
    current_period_end: item.current_period_end,
  });

  const prorationDate = Math.floor(Date.now() / 1000);
  const preview = await stripe.invoices.createPreview({
    customer: customer.id,
    subscription: sub.id,
    subscription_details: {
      items: [{ id: item.id, price: business!.id }],
      proration_behavior: 'always_invoice',
      proration_date: prorationDate,
    },
  });
  const changed = await stripe.subscriptions.update(sub.id, {
    items: [{ id: item.id, price: business!.id }],
    proration_behavior: 'always_invoice',
    proration_date: prorationDate,
  });
  const invoice = await stripe.invoices.retrieve(changed.latest_invoice as string);
  check('the change charged what the preview showed', invoice.amount_due === preview.amount_due, {
    preview: preview.amount_due,
    charged: invoice.amount_due,
  });

  const canceling = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
  const resumed = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
  check('cancel at period end and back', canceling.cancel_at_period_end && !resumed.cancel_at_period_end);
  const canceled = await stripe.subscriptions.cancel(sub.id);
  check('canceled', canceled.status === 'canceled');

  const portal = await stripe.billingPortal.sessions
    .create({ customer: customer.id, return_url: `${config.dashboardUrl}/organizations/1/billing` })
    .then((p) => p.url)
    .catch((error: Error) => `not configured in this account: ${error.message}`);
  steps.push({ step: 'customer portal session', ok: true, detail: portal });

  const payload = JSON.stringify({ id: 'evt_smoke', object: 'event', type: 'customer.subscription.updated' });
  const secret = config.STRIPE_WEBHOOK_SECRET ?? 'whsec_smoke';
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const event = stripe.webhooks.constructEvent(payload, header, secret);
  let refused = false;
  try {
    stripe.webhooks.constructEvent(payload.replace('updated', 'deleted'), header, secret);
  } catch (error) {
    refused = error instanceof Stripe.errors.StripeSignatureVerificationError;
  }
  check('webhook signature verified, tampered body refused', event.id === 'evt_smoke' && refused);
} catch (error) {
  steps.push({ step: 'error', ok: false, detail: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
} finally {
  if (customerId) await stripe.customers.del(customerId).catch(() => undefined);
  process.stdout.write(`${JSON.stringify({ ok: process.exitCode !== 1, steps }, null, 2)}\n`);
}
