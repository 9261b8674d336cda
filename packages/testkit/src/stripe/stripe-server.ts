import http from 'node:http';
import Stripe from 'stripe';
import { parseForm } from './form.ts';
import { periodEnd, type FakeEvent, type FakeSubscription } from './objects.ts';
import { ROUTES } from './stripe-routes.ts';
import { StripeApiError, StripeState } from './stripe-state.ts';

export type StripeCall = { method: string; path: string; params: Record<string, unknown> };

export type WebhookTarget = { url: string; secret: string };

export type DeliveryOptions = {
  /** Deliver in a random order (out-of-order arrival). */
  shuffle?: boolean;
  /** Deliver every event twice (redelivery). */
  twice?: boolean;
  /** Leave these event types out (a dropped webhook). */
  drop?: string[];
};

/**
 * A stateful Stripe-compatible API on node:http for the real `stripe` client: form-encoded bodies,
 * Stripe's error shape, Idempotency-Key replay, its own clock, and helpers for what happens on
 * Stripe's side (a customer pays at checkout, a trial ends, a card fails) that produce the same
 * events Stripe would, delivered to Spur signed like Stripe signs them.
 */
export class StripeTestServer {
  readonly state: StripeState;
  readonly calls: StripeCall[] = [];
  url = '';
  webhook: WebhookTarget | undefined;
  /** When set, events go to the webhook as soon as they happen (browser tests). */
  autoDeliver = false;
  private server: http.Server | undefined;
  private readonly replays = new Map<string, { status: number; body: string }>();
  private readonly signer = new Stripe('sk_test_signer', { telemetry: false });

  constructor(
    readonly secretKey = 'sk_test_spur_local',
    now = new Date(),
  ) {
    this.state = new StripeState(now);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A client for tests, configured the way Spur configures its own. */
  client(): Stripe {
    const { hostname, port } = new URL(this.url);
    return new Stripe(this.secretKey, {
      host: hostname,
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
  }

  callsTo(method: string, path: string): StripeCall[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, payload: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'request-id': this.state.id('req') });
      res.end(payload);
    };
    if (url.pathname.startsWith('/checkout/')) return this.checkoutPage(req.method!, url, send);
    if (req.headers.authorization !== `Bearer ${this.secretKey}`)
      return send(
        401,
        JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }),
      );
    const idempotencyKey = req.headers['idempotency-key'];
    const replayKey = typeof idempotencyKey === 'string' && req.method === 'POST' ? idempotencyKey : undefined;
    const replay = replayKey ? this.replays.get(replayKey) : undefined;
    if (replay) return send(replay.status, replay.body);

    const segments = url.pathname.split('/');
    // /v1/<resource>/<id>[/<action>]: the id is the third segment, except under two-word resources.
    const nested = ['checkout', 'billing_portal'].includes(segments[2] ?? '');
    const idIndex = nested ? 4 : 3;
    const id = segments[idIndex] && segments[idIndex] !== 'create_preview' ? segments[idIndex]! : '';
    const pattern = id ? segments.map((s, i) => (i === idIndex ? ':id' : s)).join('/') : url.pathname;
    const params = parseForm(req.method === 'GET' || req.method === 'DELETE' ? url.search.slice(1) : body);
    this.calls.push({ method: req.method!, path: pattern, params });
    const route = ROUTES[`${req.method} ${pattern}`];
    let status = 200;
    let answer: string;
    try {
      if (!route) throw new StripeApiError(404, `Unrecognized request URL (${req.method}: ${url.pathname}).`);
      answer = JSON.stringify(route(this.state, params, id, this.url));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      answer = JSON.stringify({
        error: { type: 'invalid_request_error', message: error.message, param: error.param, code: error.code },
      });
    }
    if (replayKey) this.replays.set(replayKey, { status, body: answer });
    send(status, answer);
    if (this.autoDeliver) void this.deliverWebhooks();
  }

  /** The hosted checkout page, reduced to one button: paying completes the session and redirects. */
  private checkoutPage(method: string, url: URL, send: (s: number, b: string, t?: string) => void): void {
    const id = url.pathname.split('/')[2] ?? '';
    const session = this.state.checkoutSessions.get(id);
    if (!session) return send(404, 'no such checkout session', 'text/plain');
    if (method === 'POST') {
      this.completeCheckout(id);
      if (this.autoDeliver) void this.deliverWebhooks();
      return send(200, `<meta http-equiv="refresh" content="0;url=${session.success_url}">paid`, 'text/html');
    }
    const price = this.state.prices.get(session.line_items_price);
    send(
      200,
      `<!doctype html><title>Stripe Checkout (test)</title><h1>Pay ${price?.nickname ?? price?.id}</h1>` +
        `<form method="post"><button type="submit">Pay</button></form>`,
      'text/html',
    );
  }

  // ---- What happens on Stripe's side -------------------------------------------------------------

  /** The customer paid (or, with a trial, confirmed a card): the subscription starts. */
  completeCheckout(sessionId: string): FakeSubscription {
    const s = this.state;
    const session = s.get(s.checkoutSessions, sessionId, 'checkout.session');
    if (session.status !== 'open') throw new Error(`checkout ${sessionId} is ${session.status}`);
    const subscription = s.createSubscription(session, session.customer as string);
    Object.assign(session, { status: 'complete', subscription: subscription.id });
    s.emit('customer.subscription.created', subscription);
    s.emit('checkout.session.completed', session);
    return subscription;
  }

  /** The newest open checkout session (the one a test's API call just created). */
  lastCheckoutSession() {
    return [...this.state.checkoutSessions.values()].at(-1);
  }

  /** The trial ends now and the first invoice is paid. */
  endTrial(subscriptionId: string): FakeSubscription {
    const s = this.state;
    const sub = s.get(s.subscriptions, subscriptionId, 'subscription');
    if (sub.status !== 'trialing') throw new Error(`subscription ${subscriptionId} is ${sub.status}`);
    s.now = Math.max(s.now, sub.trial_end ?? s.now);
    this.startPeriod(sub, 'subscription_cycle', true, { status: 'trialing', trial_end: sub.trial_end });
    return sub;
  }

  /** The renewal payment fails: the invoice stays open and the subscription goes past_due. */
  failPayment(subscriptionId: string): FakeSubscription {
    const s = this.state;
    const sub = s.get(s.subscriptions, subscriptionId, 'subscription');
    this.startPeriod(sub, 'subscription_cycle', false, { status: sub.status });
    return sub;
  }

  /** The customer fixed the card: the open invoice is paid and the subscription active again. */
  recoverPayment(subscriptionId: string): FakeSubscription {
    const s = this.state;
    const sub = s.get(s.subscriptions, subscriptionId, 'subscription');
    const open = [...s.invoices.values()].find(
      (i) => i.parent.subscription_details.subscription === sub.id && i.status === 'open',
    );
    if (!open) throw new Error(`subscription ${subscriptionId} has no open invoice`);
    Object.assign(open, { status: 'paid', amount_paid: open.amount_due, amount_remaining: 0, attempt_count: 2 });
    s.emit('invoice.paid', open);
    const previous = { status: sub.status };
    sub.status = 'active';
    s.subscriptionUpdated(sub, previous);
    return sub;
  }

  /** Retries are exhausted: Stripe marks the subscription unpaid (the account's dunning setting). */
  markUnpaid(subscriptionId: string): FakeSubscription {
    const s = this.state;
    const sub = s.get(s.subscriptions, subscriptionId, 'subscription');
    const previous = { status: sub.status };
    sub.status = 'unpaid';
    s.subscriptionUpdated(sub, previous);
    return sub;
  }

  /**
   * Moves the clock; subscriptions whose trial or period ended on the way renew (paid), or end
   * when set to cancel at period end. `only` limits that to one subscription (the others' renewals
   * would only add events a test does not look at).
   */
  advance(seconds: number, only?: string): void {
    const s = this.state;
    const target = s.now + seconds;
    for (;;) {
      const due = [...s.subscriptions.values()]
        .filter((sub) => ['active', 'trialing', 'past_due'].includes(sub.status) && (!only || sub.id === only))
        .map((sub) => ({ sub, at: sub.items.data[0]!.current_period_end }))
        .filter((x) => x.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      s.now = due.at;
      if (due.sub.cancel_at_period_end) {
        const previous = { status: due.sub.status };
        Object.assign(due.sub, { status: 'canceled', canceled_at: s.now, ended_at: s.now });
        s.emit('customer.subscription.deleted', due.sub, previous);
      } else if (due.sub.status === 'trialing') this.endTrial(due.sub.id);
      else this.startPeriod(due.sub, 'subscription_cycle', true, { status: due.sub.status });
    }
    s.now = target;
  }

  private startPeriod(
    sub: FakeSubscription,
    reason: 'subscription_cycle',
    paid: boolean,
    previous: Record<string, unknown>,
  ): void {
    const s = this.state;
    const item = sub.items.data[0]!;
    const start = Math.max(s.now, item.current_period_end);
    item.current_period_start = start;
    item.current_period_end = periodEnd(start, item.price);
    sub.status = paid ? 'active' : 'past_due';
    s.invoice(sub, [s.line(item.price, start, item.current_period_end, false)], reason, paid);
    s.subscriptionUpdated(sub, previous);
  }

  // ---- Webhooks ------------------------------------------------------------------------------------

  /** Signs a payload the way Stripe does (`Stripe-Signature: t=…,v1=…`). */
  sign(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
    return this.signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
  }

  /** POSTs the events not yet delivered to the webhook target; returns `type → HTTP status` per delivery. */
  async deliverWebhooks(options: DeliveryOptions = {}): Promise<{ event: FakeEvent; status: number }[]> {
    const target = this.webhook;
    if (!target) throw new Error('no webhook target set');
    const events = this.state.undelivered.filter((e) => !options.drop?.includes(e.type));
    this.state.undelivered = [];
    let queue = options.twice ? [...events, ...events] : events;
    if (options.shuffle) queue = shuffle(queue);
    const results: { event: FakeEvent; status: number }[] = [];
    for (const event of queue) {
      const payload = JSON.stringify(event, null, 2);
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': this.sign(payload, target.secret) },
        body: payload,
      });
      await response.arrayBuffer();
      results.push({ event, status: response.status });
    }
    return results;
  }
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  // A shuffle that happened to keep the order would not test out-of-order arrival.
  if (out.length > 1 && out.every((x, i) => x === items[i])) out.reverse();
  return out;
}

export async function startStripeTestServer(options: { secretKey?: string; now?: Date } = {}) {
  return new StripeTestServer(options.secretKey, options.now).start();
}
