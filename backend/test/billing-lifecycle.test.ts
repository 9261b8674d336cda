import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount, reconcileSubscriptions, runBillingCommand, syncPrices } from '@spur/billing';
import { seedMember, seedUser } from '@spur/accounts/testing';
import { startBillingBackend, WEBHOOK_SECRET, type BillingBackend } from './billing-harness.ts';

/**
 * Billing end to end against the Stripe test server: the real `stripe` client calls it, it signs
 * real webhooks, the backend verifies them. Tests in this file share one backend and run in order.
 */
let b: BillingBackend;
beforeAll(async () => {
  b = await startBillingBackend();
});
afterAll(async () => {
  await b?.close();
});

const DAY = 86_400;
const billingPath = (orgId: string, action = '') => `/api/v1/organizations/${orgId}/billing${action}`;

async function eventRows() {
  const { rows } = await b.t.stores.postgres.pool.query<{ outcome: string; n: number }>(
    'SELECT outcome, count(*)::int AS n FROM stripe_event GROUP BY outcome ORDER BY outcome',
  );
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

describe('prices', () => {
  it('when prices are synced again, then nothing changes; a changed amount replaces the price under the same lookup key', async () => {
    // beforeAll synced once: two products, 2 plans × 8 tiers × 2 intervals prices.
    expect(b.stripe.state.products.size).toBe(2);
    expect([...b.stripe.state.prices.values()].filter((p) => p.active)).toHaveLength(32);
    expect(await syncPrices(b.billing.stripe)).toEqual([]);

    const price = [...b.stripe.state.prices.values()].find((p) => p.lookup_key === 'spur_starter_10000_monthly')!;
    expect(price.unit_amount).toBe(600);
    price.unit_amount = 500; // someone edited it in the Stripe dashboard
    expect(await syncPrices(b.billing.stripe)).toEqual([
      { kind: 'price', action: 'replaced', key: 'spur_starter_10000_monthly' },
    ]);
    const now = [...b.stripe.state.prices.values()].filter((p) => p.lookup_key === 'spur_starter_10000_monthly');
    expect(now.map((p) => [p.unit_amount, p.active])).toEqual([[600, true]]);
    expect(price.active).toBe(false);
  });
});

describe('trial, checkout and webhooks', () => {
  it('when an organization is created, then it is on a 30-day Business 100k trial without a card', async () => {
    const owner = await seedUser(b.t.stores.postgres.pool);
    b.resetClock();
    const browser = await b.login(owner.email);
    const reply = await browser.get(billingPath(owner.organizationId));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      enabled: true,
      source: 'trial',
      plan: 'business',
      tier: 100_000,
      status: 'trialing',
      locked: null,
      hasCustomer: false,
    });
    expect(reply.body.banners).toEqual([{ kind: 'trial', daysLeft: 30, trialEnd: reply.body.trialEnd }]);
    const account = await findAccount(b.t.stores.postgres.pool, owner.organizationId);
    expect(account!.trial_end.getTime() - account!.trial_start.getTime()).toBe(30 * DAY * 1000);
  });

  it('when two checkouts race, then one Stripe customer is created; paying, ending the trial and webhooks delivered shuffled and twice leave one final state', async () => {
    const owner = await seedUser(b.t.stores.postgres.pool);
    b.resetClock();
    const browser = await b.login(owner.email);
    const customersBefore = b.stripe.callsTo('POST', '/v1/customers').length;
    const choice = { plan: 'starter', tier: 100_000, interval: 'monthly' };
    const [first, second] = await Promise.all([
      browser.post(billingPath(owner.organizationId, '/checkout'), choice),
      browser.post(billingPath(owner.organizationId, '/checkout'), choice),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.url).toMatch(new RegExp(`^${b.stripe.url}/checkout/cs_test_`));
    expect(b.stripe.callsTo('POST', '/v1/customers').length - customersBefore).toBe(1);
    const account = await findAccount(b.t.stores.postgres.pool, owner.organizationId);
    const customer = b.stripe.state.customers.get(account!.stripe_customer_id!)!;
    expect(customer.metadata).toEqual({ organization_id: owner.organizationId });

    const checkout = b.stripe.callsTo('POST', '/v1/checkout/sessions').at(-1)!.params;
    expect(checkout).toMatchObject({
      mode: 'subscription',
      customer: customer.id,
      client_reference_id: owner.organizationId,
      automatic_tax: { enabled: 'true' },
      tax_id_collection: { enabled: 'true' },
      customer_update: { name: 'auto', address: 'auto' },
    });
    // The rest of the card-less trial carries over as the subscription's trial.
    expect(Number((checkout.subscription_data as { trial_end: string }).trial_end)).toBe(
      Math.floor(account!.trial_end.getTime() / 1000),
    );

    const sessionId = new URL(first.body.url).pathname.split('/').pop()!;
    const sub = b.stripe.completeCheckout(sessionId);
    b.stripe.endTrial(sub.id);
    const deliveries = await b.stripe.deliverWebhooks({ shuffle: true, twice: true });
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    const distinct = new Set(deliveries.map((d) => d.event.id)).size;
    expect(deliveries).toHaveLength(distinct * 2);

    const after = await browser.get(billingPath(owner.organizationId));
    expect(after.body).toMatchObject({
      source: 'subscription',
      plan: 'starter',
      tier: 100_000,
      interval: 'monthly',
      status: 'active',
      locked: null,
      cancelAtPeriodEnd: false,
      currentPeriodEnd: new Date(sub.items.data[0]!.current_period_end * 1000).toISOString(),
    });
    const { rows } = await b.t.stores.postgres.pool.query(
      'SELECT count(*)::int AS n FROM stripe_event WHERE organization_id = $1',
      [owner.organizationId],
    );
    expect(rows[0].n).toBe(distinct);
  });

  it('when a signature is wrong, the body tampered with or the timestamp old, then 400 and nothing is recorded', async () => {
    const before = await eventRows();
    const owner = await seedUser(b.t.stores.postgres.pool);
    const payload = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'customer.subscription.updated',
      data: { object: { id: 'sub_x', object: 'subscription', metadata: { organization_id: owner.organizationId } } },
    });
    const post = (body: string, signature: string | undefined) =>
      fetch(`${b.server.url}/api/v1/billing/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
        body,
      });
    const cases = [
      ['wrong secret', payload, b.stripe.sign(payload, 'whsec_wrong')],
      ['tampered body', payload.replace('sub_x', 'sub_y'), b.stripe.sign(payload, WEBHOOK_SECRET)],
      ['old timestamp', payload, b.stripe.sign(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600)],
      ['no signature', payload, undefined],
    ] as const;
    for (const [, body, signature] of cases) {
      const response = await post(body, signature);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid Stripe signature', field: 'stripe-signature' });
    }
    expect(await eventRows()).toEqual(before);

    // Correctly signed, about a subscription Stripe does not know: recorded and ignored, not retried forever.
    const signed = await post(payload, b.stripe.sign(payload, WEBHOOK_SECRET));
    expect([signed.status, await signed.json()]).toEqual([200, { id: 'evt_forged', outcome: 'ignored' }]);
    const again = await post(payload, b.stripe.sign(payload, WEBHOOK_SECRET));
    expect(await again.json()).toEqual({ id: 'evt_forged', outcome: 'duplicate' });
  });

  it('when a viewer or a member of another organization calls any billing route, then every answer is 404', async () => {
    const owner = await seedUser(b.t.stores.postgres.pool);
    const viewer = await seedUser(b.t.stores.postgres.pool);
    await seedMember(b.t.stores.postgres.pool, owner.organizationId, viewer.id, 'viewer');
    const stranger = await seedUser(b.t.stores.postgres.pool);
    await b.resetRateLimits();
    const routes = [
      ['GET', ''],
      ['POST', '/checkout'],
      ['POST', '/portal'],
      ['POST', '/preview'],
      ['POST', '/change'],
      ['POST', '/cancel'],
      ['POST', '/resume'],
    ] as const;
    const body = { plan: 'business', tier: 200_000, interval: 'monthly' };
    for (const who of [viewer, stranger]) {
      const browser = await b.login(who.email);
      const answers = [];
      for (const [method, action] of routes)
        answers.push(
          (
            await browser.request(
              method,
              billingPath(owner.organizationId, action),
              method === 'GET' ? undefined : body,
            )
          ).status,
        );
      expect(answers).toEqual(routes.map(() => 404));
    }
    expect(await findAccount(b.t.stores.postgres.pool, owner.organizationId)).toMatchObject({
      stripe_customer_id: null,
    });
  });

  it('when a webhook was dropped, then reconciliation repairs the mirror and records the drift', async () => {
    const owner = await seedUser(b.t.stores.postgres.pool);
    b.resetClock();
    const browser = await b.login(owner.email);
    const reply = await browser.post(billingPath(owner.organizationId, '/checkout'), {
      plan: 'business',
      tier: 10_000,
      interval: 'yearly',
    });
    b.stripe.completeCheckout(new URL(reply.body.url).pathname.split('/').pop()!);
    b.stripe.state.undelivered = []; // every webhook of this checkout is lost
    expect(await findAccount(b.t.stores.postgres.pool, owner.organizationId)).toMatchObject({
      stripe_subscription_id: null,
      billing_interval: null,
    });
    const result = await reconcileSubscriptions(b.billing);
    expect(result.repaired.filter((r) => r.organizationId === owner.organizationId)).toEqual([
      {
        organizationId: owner.organizationId,
        fields: expect.arrayContaining(['stripe_subscription_id', 'billing_interval']),
      },
    ]);
    expect(await findAccount(b.t.stores.postgres.pool, owner.organizationId)).toMatchObject({
      plan: 'business',
      tier: 10_000,
      billing_interval: 'yearly',
      status: 'trialing',
    });
    // A second run finds nothing to repair.
    const again = await reconcileSubscriptions(b.billing);
    expect(again.repaired).toEqual([]);
  });
});

describe('plan changes', () => {
  async function activeOrganization(choice: { plan: string; tier: number; interval: string }) {
    const owner = await seedUser(b.t.stores.postgres.pool);
    await b.t.stores.postgres.pool.query(
      `UPDATE billing_account SET trial_end = now() - interval '1 day' WHERE organization_id = $1`,
      [owner.organizationId],
    );
    b.resetClock();
    const browser = await b.login(owner.email);
    const reply = await browser.post(billingPath(owner.organizationId, '/checkout'), choice);
    const sub = b.stripe.completeCheckout(new URL(reply.body.url).pathname.split('/').pop()!);
    await b.stripe.deliverWebhooks({ shuffle: true });
    return { owner, browser, sub };
  }

  it('when upgrading, then the preview shows the proration and the change charges exactly that; a downgrade below the usage is refused with the reason', async () => {
    const { owner, browser, sub } = await activeOrganization({ plan: 'starter', tier: 10_000, interval: 'monthly' });
    b.stripe.state.now += 10 * DAY; // a third of a 30- or 31-day period used
    const item = sub.items.data[0]!;
    const left = (item.current_period_end - b.stripe.state.now) / (item.current_period_end - item.current_period_start);
    const upgrade = { plan: 'business', tier: 100_000, interval: 'monthly' };
    const preview = await browser.post(billingPath(owner.organizationId, '/preview'), upgrade);
    expect(preview.status).toBe(200);
    const credit = -Math.round(600 * left);
    const charge = Math.round(2_400 * left);
    expect(preview.body).toEqual({
      amountDue: credit + charge,
      currency: 'eur',
      prorationDate: b.stripe.state.now,
      lines: [
        { description: 'Unused time on Starter 10000 page views, monthly', amount: credit },
        { description: 'Remaining time on Business 100000 page views, monthly', amount: charge },
      ],
    });
    b.stripe.state.now += 5; // the customer reads the preview for a few seconds
    const changed = await browser.post(billingPath(owner.organizationId, '/change'), {
      ...upgrade,
      proration_date: preview.body.prorationDate,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ plan: 'business', tier: 100_000, interval: 'monthly', status: 'active' });
    const invoices = [...b.stripe.state.invoices.values()].filter(
      (i) => i.parent.subscription_details.subscription === sub.id,
    );
    expect(invoices.at(-1)!.amount_paid).toBe(preview.body.amountDue);

    // 20k page views were counted this cycle: the 10k tier cannot hold them.
    await b.t.stores.postgres.pool.query(
      `INSERT INTO billing_usage_day (organization_id, site_id, day, page_views, events) VALUES ($1, 1, $2::date, 20000, 0)`,
      [owner.organizationId, new Date(b.stripe.state.now * 1000).toISOString().slice(0, 10)],
    );
    const refused = await browser.post(billingPath(owner.organizationId, '/preview'), {
      plan: 'business',
      tier: 10_000,
      interval: 'monthly',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'your sites used 20000 page views and events in a cycle; the 10k tier includes 10000',
      field: 'tier',
      reason: 'usage',
      usage: 20_000,
      limit: 10_000,
    });
    const fits = await browser.post(billingPath(owner.organizationId, '/preview'), {
      plan: 'business',
      tier: 200_000,
      interval: 'monthly',
    });
    expect(fits.status).toBe(200);
    // Starter allows 3 members: the owner, two colleagues and a pending invitation are 4 (a downgrade
    // accepted now would let the invitation take the organization past the limit later).
    for (const email of ['one@example.com', 'two@example.com']) {
      const member = await seedUser(b.t.stores.postgres.pool, { email: `${Date.now()}-${email}` });
      await seedMember(b.t.stores.postgres.pool, owner.organizationId, member.id, 'viewer');
    }
    const invited = await browser.post(`/api/v1/organizations/${owner.organizationId}/invitations`, {
      email: 'pending@example.com',
      role: 'viewer',
    });
    expect(invited.status).toBe(201);
    const starter = { plan: 'starter', tier: 200_000, interval: 'monthly' };
    const tooMany = await browser.post(billingPath(owner.organizationId, '/preview'), starter);
    expect([tooMany.status, tooMany.body]).toEqual([
      409,
      {
        error: 'the organization has 4 members and pending invitations; Starter allows 3',
        field: 'plan',
        reason: 'members',
        usage: 4,
        limit: 3,
      },
    ]);
    await b.t.stores.postgres.pool.query('DELETE FROM invitation WHERE organization_id = $1', [owner.organizationId]);
    expect((await browser.post(billingPath(owner.organizationId, '/preview'), starter)).status).toBe(200);
    const bad = await browser.post(billingPath(owner.organizationId, '/change'), {
      plan: 'gold',
      tier: 1,
      interval: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('plan');
  });

  it('when cancelled at period end and resumed, then the mirror follows; at the period end a cancelled subscription locks statistics; the portal opens for the customer', async () => {
    const { owner, browser, sub } = await activeOrganization({ plan: 'business', tier: 10_000, interval: 'yearly' });
    const cancel = await browser.post(billingPath(owner.organizationId, '/cancel'));
    expect(cancel.body).toMatchObject({ cancelAtPeriodEnd: true, status: 'active', locked: null });
    expect((await browser.post(billingPath(owner.organizationId, '/cancel'))).status).toBe(409);
    const resume = await browser.post(billingPath(owner.organizationId, '/resume'));
    expect(resume.body).toMatchObject({ cancelAtPeriodEnd: false, status: 'active' });
    const portal = await browser.post(billingPath(owner.organizationId, '/portal'));
    expect(portal.body).toEqual({ url: `${b.stripe.url}/portal/${sub.customer}` });
    expect(b.stripe.callsTo('POST', '/v1/billing_portal/sessions').at(-1)!.params.return_url).toBe(
      `http://app.spur.test/organizations/${owner.organizationId}/billing`,
    );

    await browser.post(billingPath(owner.organizationId, '/cancel'));
    b.stripe.advance(366 * DAY, sub.id);
    await b.stripe.deliverWebhooks({ shuffle: true, twice: true });
    const ended = await browser.get(billingPath(owner.organizationId));
    expect(ended.body).toMatchObject({ status: 'canceled', locked: 'subscription_ended', source: 'none' });
    const account = await findAccount(b.t.stores.postgres.pool, owner.organizationId);
    expect(account!.ingest_stop_at!.getTime() - account!.lapsed_at!.getTime()).toBe(30 * DAY * 1000);
  });

  it('when a payment fails, then past_due keeps access with a banner, unpaid locks, and paying again restores it, whatever order the events arrive in', async () => {
    const { owner, browser, sub } = await activeOrganization({ plan: 'starter', tier: 10_000, interval: 'monthly' });
    b.stripe.state.now = sub.items.data[0]!.current_period_end;
    b.stripe.failPayment(sub.id);
    await b.stripe.deliverWebhooks({ shuffle: true, twice: true });
    const pastDue = await browser.get(billingPath(owner.organizationId));
    expect(pastDue.body).toMatchObject({ status: 'past_due', locked: null });
    expect(pastDue.body.banners).toEqual([{ kind: 'payment_failed' }]);

    b.stripe.markUnpaid(sub.id);
    await b.stripe.deliverWebhooks();
    expect((await browser.get(billingPath(owner.organizationId))).body).toMatchObject({
      status: 'unpaid',
      locked: 'payment_overdue',
    });
    b.stripe.recoverPayment(sub.id);
    // The late `past_due` update arrives after the recovery: re-reading Stripe keeps `active`.
    const events = b.stripe.state.undelivered;
    b.stripe.state.undelivered = [...events].reverse();
    await b.stripe.deliverWebhooks({ twice: true });
    expect(await findAccount(b.t.stores.postgres.pool, owner.organizationId)).toMatchObject({
      status: 'active',
      lapsed_at: null,
      ingest_stop_at: null,
    });
  });

  it('when a subscription moves to a price outside the plan table, then the old limits stay', async () => {
    const { owner, sub } = await activeOrganization({ plan: 'starter', tier: 10_000, interval: 'monthly' });
    const odd = await b.billing.stripe.prices.create({
      product: 'spur_business',
      currency: 'eur',
      unit_amount: 99_900,
      recurring: { interval: 'month' },
    });
    await b.billing.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: odd.id }] });
    const deliveries = await b.stripe.deliverWebhooks();
    expect(deliveries.map((d) => d.status)).toEqual(deliveries.map(() => 200));
    expect(await findAccount(b.t.stores.postgres.pool, owner.organizationId)).toMatchObject({
      plan: 'starter',
      tier: 10_000,
      status: 'active',
    });
  });
});

describe('plan limits', () => {
  it('when a Starter organization adds an 11th site, a 4th member, a funnel or a custom metric, or reads sessions, then 402 names the plan and the limit', async () => {
    const owner = await seedUser(b.t.stores.postgres.pool);
    await b.t.stores.postgres.pool.query(
      `UPDATE billing_account SET plan = 'starter', tier = 10000 WHERE organization_id = $1`,
      [owner.organizationId],
    );
    b.resetClock();
    const { seedSite } = await import('@spur/accounts/testing');
    const sites = [];
    for (let i = 0; i < 10; i++) sites.push(await seedSite(b.t.stores.postgres.pool, owner.organizationId));
    for (const email of ['m1@example.com', 'm2@example.com']) {
      const member = await seedUser(b.t.stores.postgres.pool, { email: `${Date.now()}-${email}` });
      await seedMember(b.t.stores.postgres.pool, owner.organizationId, member.id, 'viewer');
    }
    const browser = await b.login(owner.email);
    const site = await browser.post(`/api/v1/organizations/${owner.organizationId}/sites`, {
      hostname: 'eleventh.example.com',
      timezone: 'UTC',
    });
    expect([site.status, site.body]).toEqual([
      402,
      { error: 'the Starter plan allows 10 sites', reason: 'limit', limit: 'sites', max: 10, plan: 'starter' },
    ]);
    const invite = await browser.post(`/api/v1/organizations/${owner.organizationId}/invitations`, {
      email: 'fourth@example.com',
      role: 'viewer',
    });
    expect([invite.status, invite.body]).toEqual([
      402,
      { error: 'the Starter plan allows 3 members', reason: 'limit', limit: 'members', max: 3, plan: 'starter' },
    ]);
    const funnel = await browser.post('/api/v1/funnel', {
      domain_id: sites[0]!.id,
      name: 'Buy',
      steps: [
        { name: 'Cart', filter: { path: '/cart' } },
        { name: 'Paid', filter: { path: '/thanks' } },
      ],
    });
    expect([funnel.status, funnel.body]).toEqual([
      402,
      {
        error: 'Not included in the Starter plan: Funnels of up to eight steps',
        reason: 'feature',
        feature: 'funnels',
        plan: 'starter',
      },
    ]);
    const metric = await browser.post('/api/v1/goal', {
      domain_id: sites[0]!.id,
      name: 'Revenue',
      event_name: 'Purchase',
      custom_metric_key: 'amount',
      custom_metric_type: 'float',
    });
    expect([metric.status, metric.body.reason, metric.body.feature]).toEqual([402, 'feature', 'custom-metrics']);
    const plainGoal = await browser.post('/api/v1/goal', {
      domain_id: sites[0]!.id,
      name: 'Signup',
      path_pattern: '/signup',
    });
    expect(plainGoal.status).toBe(201);
    const day = new Date(b.stripe.state.now * 1000).toISOString().slice(0, 10);
    const sessions = await browser.get(`/api/v1/statistics/session/list?id=${sites[0]!.id}&from=${day}&to=${day}`);
    expect([sessions.status, sessions.body.reason, sessions.body.feature]).toEqual([402, 'feature', 'sessions']);
    const total = await browser.get(`/api/v1/statistics/total?id=${sites[0]!.id}&from=${day}&to=${day}`);
    expect(total.status).toBe(200);
    // Rollup views are a Business feature: creating one is refused as a feature (not as an 11th site),
    // and one made before a move to Starter answers 402 instead of its statistics.
    const rollup = await browser.post(`/api/v1/organizations/${owner.organizationId}/rollups`, {
      name: 'All',
      site_ids: [sites[0]!.id, sites[1]!.id],
    });
    expect([rollup.status, rollup.body.reason, rollup.body.feature]).toEqual([402, 'feature', 'rollups']);
    const { rows } = await b.t.stores.postgres.pool.query<{ id: string }>(
      `INSERT INTO site (organization_id, kind, hostname, name, identification_code)
       VALUES ($1, 'rollup', 'rollup-made-on-business.invalid', 'All', repeat('r', 32)) RETURNING id::text`,
      [owner.organizationId],
    );
    const old = await browser.get(`/api/v1/statistics/total?id=${rows[0]!.id}&from=${day}&to=${day}`);
    // `upgrade`: the dashboard shows its lock screen (with Choose a plan) rather than a refusal per panel.
    expect([old.status, old.body.reason, old.body.feature, old.body.upgrade]).toEqual([
      402,
      'feature',
      'rollups',
      true,
    ]);
  });
});

describe('billing off', () => {
  it('when STRIPE_SECRET_KEY is unset, then billing says so, the webhook is 404 and nothing is gated', async () => {
    const { createApp } = await import('../src/app.ts');
    const { createMetricsRegistry, listen } = await import('@spur/runtime');
    const config = { ...b.t.config, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined };
    const app = createApp({
      stores: b.t.stores,
      log: b.t.log,
      registry: createMetricsRegistry('backend'),
      isStopping: () => false,
      config,
    });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const owner = await seedUser(b.t.stores.postgres.pool);
      // Even an organization whose trial ended long ago is not locked when billing is off.
      await b.t.stores.postgres.pool.query(
        `UPDATE billing_account SET trial_end = now() - interval '100 days' WHERE organization_id = $1`,
        [owner.organizationId],
      );
      const { seedSite } = await import('@spur/accounts/testing');
      const site = await seedSite(b.t.stores.postgres.pool, owner.organizationId);
      await b.resetRateLimits();
      const { Browser } = await import('./accounts-client.ts');
      const browser = new Browser(server.url);
      expect(
        (await browser.post('/api/v1/auth/login', { email: owner.email, password: 'seeded-Password-4711' })).status,
      ).toBe(200);
      expect((await browser.get(billingPath(owner.organizationId))).body).toEqual({ enabled: false });
      expect((await browser.post(billingPath(owner.organizationId, '/checkout'), {})).status).toBe(404);
      const day = new Date().toISOString().slice(0, 10);
      expect((await browser.get(`/api/v1/statistics/total?id=${site.id}&from=${day}&to=${day}`)).status).toBe(200);
      const webhook = await fetch(`${server.url}/api/v1/billing/webhook`, { method: 'POST', body: '{}' });
      expect(webhook.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('operator commands', () => {
  it('when an operator grants a plan, then the organization is entitled to it until the date, whatever Stripe says; status shows it; bad options are refused', async () => {
    const owner = await seedUser(b.t.stores.postgres.pool);
    await b.t.stores.postgres.pool.query(
      `UPDATE billing_account SET trial_end = now() - interval '1 day' WHERE organization_id = $1`,
      [owner.organizationId],
    );
    b.resetClock();
    const deps = {
      db: b.t.stores.postgres.pool,
      config: b.t.config,
      mailer: b.billing.mailer,
      log: b.t.log,
      now: b.billing.now,
      stripe: b.billing.stripe,
    };
    const status = (await runBillingCommand(deps, 'billing:status', ['--org', owner.organizationId])) as {
      overview: { locked: string | null; source: string };
      events: number;
      drifts: number;
    };
    expect(status).toMatchObject({ overview: { locked: 'trial_ended', source: 'none' }, events: 0, drifts: 0 });
    const until = new Date(b.stripe.state.now * 1000 + 40 * DAY * 1000).toISOString().slice(0, 10);
    expect(
      await runBillingCommand(deps, 'billing:grant', [
        '--org',
        owner.organizationId,
        '--plan',
        'business',
        '--tier',
        '200000',
        '--until',
        until,
      ]),
    ).toEqual({
      granted: {
        organization_id: owner.organizationId,
        plan: 'business',
        tier: 200_000,
        until: `${until}T00:00:00.000Z`,
      },
    });
    const granted = (await runBillingCommand(deps, 'billing:status', ['--org', owner.organizationId])) as typeof status;
    expect(granted.overview).toMatchObject({ locked: null, source: 'grant', plan: 'business', tier: 200_000 });
    expect((await findAccount(b.t.stores.postgres.pool, owner.organizationId))!.ingest_stop_at).toBeNull();
    await expect(
      runBillingCommand(deps, 'billing:grant', [
        '--org',
        owner.organizationId,
        '--plan',
        'starter',
        '--tier',
        '12345',
        '--until',
        until,
      ]),
    ).rejects.toThrow('the Starter plan has no 12345 tier');
    await expect(runBillingCommand(deps, 'billing:status', ['--org', 'abc'])).rejects.toThrow(
      'must be an organization id',
    );
    expect(await runBillingCommand(deps, 'billing:sync-prices', [])).toEqual({ changes: [] });
    expect(await runBillingCommand(deps, 'billing:reconcile', [])).toMatchObject({ repaired: [] });
  });
});
