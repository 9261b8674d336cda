import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findAccount,
  ingestStopJob,
  measureUsageJob,
  quotaNoticesJob,
  trialRemindersJob,
  type BillingJobDeps,
} from '@spur/billing';
import { deleteSite } from '@spur/accounts';
import { seedSite, seedUser } from '@spur/accounts/testing';
import {
  createFlusher,
  createIngestPipeline,
  createSiteDirectory,
  ingestBacklog,
  openGeo,
  type Flusher,
} from '@spur/ingest';
import { query } from '@spur/testkit';
import { createBackendAccounts } from '../src/api.ts';
import { startBillingBackend, type BillingBackend } from './billing-harness.ts';

/**
 * Usage, quotas, locks and the ingest stop, driven through the real ingest pipeline, the flusher,
 * ClickHouse, the job functions (as the jobs worker calls them) and the local SES server.
 */
let b: BillingBackend;
let flusher: Flusher;
let jobs: BillingJobDeps;
beforeAll(async () => {
  b = await startBillingBackend();
  flusher = createFlusher({
    redis: b.t.stores.redis,
    postgres: b.t.stores.postgres.pool,
    clickhouse: b.t.stores.clickhouse.client,
    batchRows: 5_000,
    intervalMs: 50,
    claimIdleMs: 2_000,
    log: b.t.log,
  });
  flusher.start();
  jobs = {
    enabled: true,
    db: b.t.stores.postgres.pool,
    clickhouse: b.t.stores.clickhouse.client,
    mailer: b.billing.mailer,
    log: b.t.log,
    now: b.billing.now,
    dashboardUrl: 'http://app.spur.test',
  };
});
afterAll(async () => {
  await flusher?.stop();
  await b?.close();
});

const DAY = 86_400;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/** A fresh pipeline (and so a fresh site cache) that sends page views or events as the site's own script. */
async function ingestFor(site: { identification_code: string; hostname: string }) {
  const pipeline = createIngestPipeline({
    redis: b.t.stores.redis,
    sites: createSiteDirectory(b.t.stores.postgres.pool),
    geo: await openGeo(),
    trustedProxies: [],
    maxBacklog: 1_000_000,
    log: b.t.log,
  });
  return (time: Date, i: number, event?: string) =>
    pipeline.ingest({
      kind: event ? 'event' : 'page_view',
      payload: {
        url: `https://${site.hostname}/p${i}`,
        title: 'Page',
        referrer: '',
        screen_width: 1280,
        screen_height: 800,
        tags: {},
        ...(event ? { event_name: event, event_meta: {}, event_duration: 0, non_interactive: false } : {}),
      } as never,
      auth: { type: 'code', code: site.identification_code },
      remoteAddress: `10.1.${Math.floor(i / 200)}.${i % 200}`,
      headers: { 'user-agent': CHROME, 'accept-language': 'en' },
      time,
    });
}

async function flushed() {
  for (let i = 0; i < 400; i++) {
    const pending = (await ingestBacklog(b.t.stores.redis)).total;
    if (pending === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('ingest stream not flushed');
}

const statistics = (browser: Awaited<ReturnType<BillingBackend['login']>>, siteId: string) => {
  const day = new Date(b.stripe.state.now * 1000).toISOString().slice(0, 10);
  return browser.get(`/api/v1/statistics/total?id=${siteId}&from=${day}&to=${day}`);
};

describe('usage', () => {
  it('when hits are ingested on two days, then the daily job stores page views and events per day, and a deleted site still counts', async () => {
    b.resetClock();
    const owner = await seedUser(b.t.stores.postgres.pool);
    const site = await seedSite(b.t.stores.postgres.pool, owner.organizationId);
    const send = await ingestFor(site);
    const today = new Date(b.stripe.state.now * 1000);
    const yesterday = new Date(today.getTime() - DAY * 1000);
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await send(yesterday, i));
    for (let i = 0; i < 3; i++) outcomes.push(await send(today, i));
    outcomes.push(await send(today, 0, 'signup'), await send(today, 1, 'signup'));
    expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill('accepted'));
    await flushed();

    await measureUsageJob(jobs);
    const usage = async () =>
      (
        await b.t.stores.postgres.pool.query(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, page_views::int, events::int FROM billing_usage_day
            WHERE organization_id = $1 ORDER BY day`,
          [owner.organizationId],
        )
      ).rows;
    const expected = [
      { day: yesterday.toISOString().slice(0, 10), page_views: 5, events: 0 },
      { day: today.toISOString().slice(0, 10), page_views: 3, events: 2 },
    ];
    expect(await usage()).toEqual(expected);

    const accounts = createBackendAccounts(b.t.config, b.t.stores, b.t.log);
    await deleteSite(accounts, owner.id, site.id);
    expect(
      await query(b.t.stores.clickhouse.client, 'SELECT count() AS n FROM page_view WHERE site_id = {s:UInt64}', {
        s: site.id,
      }),
    ).toEqual([{ n: '0' }]);
    await measureUsageJob(jobs);
    expect(await usage()).toEqual(expected);
  });
});

describe('quotas', () => {
  async function subscribed(tier: number) {
    b.resetClock();
    const owner = await seedUser(b.t.stores.postgres.pool);
    const site = await seedSite(b.t.stores.postgres.pool, owner.organizationId);
    const browser = await b.login(owner.email);
    // Past the trial: a subscription paid from the start, so its cycles are the subscription's.
    await b.t.stores.postgres.pool.query(
      `UPDATE billing_account SET trial_end = now() - interval '1 day' WHERE organization_id = $1`,
      [owner.organizationId],
    );
    const reply = await browser.post(`/api/v1/organizations/${owner.organizationId}/billing/checkout`, {
      plan: 'starter',
      tier,
      interval: 'monthly',
    });
    expect(reply.status).toBe(200);
    b.stripe.completeCheckout(new URL(reply.body.url).pathname.split('/').pop()!);
    await b.stripe.deliverWebhooks();
    const account = await findAccount(b.t.stores.postgres.pool, owner.organizationId);
    expect(account).toMatchObject({ status: 'active', plan: 'starter', tier });
    return { owner, site, browser, account: account! };
  }

  async function setUsage(organizationId: string, day: Date, pageViews: number) {
    await b.t.stores.postgres.pool.query(
      `INSERT INTO billing_usage_day (organization_id, site_id, day, page_views, events) VALUES ($1, 1, $2::date, $3, 0)
       ON CONFLICT (organization_id, day, site_id) DO UPDATE SET page_views = EXCLUDED.page_views`,
      [organizationId, day.toISOString().slice(0, 10), pageViews],
    );
  }

  it('when usage passes 80 % and then 100 % of the quota, then the owners get one email each per cycle', async () => {
    const { owner, account } = await subscribed(10_000);
    const start = account.current_period_start!;
    await setUsage(owner.organizationId, start, 8_100);
    expect((await quotaNoticesJob(jobs)).sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([
      { organizationId: owner.organizationId, kind: 'quota_80' },
    ]);
    expect((await quotaNoticesJob(jobs)).sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([]);
    await setUsage(owner.organizationId, start, 10_400);
    await quotaNoticesJob(jobs);
    await quotaNoticesJob(jobs);
    const mails = await b.ses.emailsTo(owner.email);
    expect(mails.map((m) => m.subject)).toEqual([
      'Personal has used 80 % of its monthly page views',
      'Personal has used its monthly page views',
    ]);
    expect(mails[1]!.body.text).toContain('counted 10400 page views and events of the 10000');
  });

  it('when two cycles were more than 10 % over, then a 7-day grace, then statistics answer 402 while ingest counts, and upgrading unlocks at once', async () => {
    const { owner, site, browser, account } = await subscribed(10_000);
    const start = account.current_period_start!;
    await setUsage(owner.organizationId, new Date(start.getTime() - 40 * DAY * 1000), 11_500);
    await setUsage(owner.organizationId, new Date(start.getTime() - 10 * DAY * 1000), 11_200);
    const { sent } = await quotaNoticesJob(jobs);
    expect(sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([
      { organizationId: owner.organizationId, kind: 'over_quota_grace' },
    ]);
    const graceMail = await b.ses.waitForEmail(owner.email, /two cycles over the plan/);
    const lockAt = (await findAccount(b.t.stores.postgres.pool, owner.organizationId))!.quota_lock_at!;
    expect(lockAt.getTime()).toBe(b.stripe.state.now * 1000 + 7 * DAY * 1000);
    expect(graceMail.body.text).toContain(`before ${lockAt.toISOString().slice(0, 10)}`);
    expect((await statistics(browser, site.id)).status).toBe(200);
    const billing = await browser.get(`/api/v1/organizations/${owner.organizationId}/billing`);
    expect(billing.body.banners).toContainEqual({
      kind: 'over_quota',
      usage: 0,
      quota: 10_000,
      lockAt: lockAt.toISOString(),
    });

    b.stripe.state.now += 8 * DAY;
    const locked = await statistics(browser, site.id);
    expect(locked.status).toBe(402);
    expect(locked.body).toMatchObject({ reason: 'over_quota', plan: 'starter', upgrade: true });
    // Ingest keeps counting while locked.
    const send = await ingestFor(site);
    expect(await send(new Date(b.stripe.state.now * 1000), 1)).toEqual({ status: 'accepted' });

    const upgrade = await browser.post(`/api/v1/organizations/${owner.organizationId}/billing/change`, {
      plan: 'starter',
      tier: 100_000,
      interval: 'monthly',
    });
    expect(upgrade.status).toBe(200);
    expect(upgrade.body).toMatchObject({ tier: 100_000, locked: null });
    expect((await statistics(browser, site.id)).status).toBe(200);
  });
});

describe('billing off', () => {
  it('when billing is off, then the daily jobs measure nothing, send nothing and never set an ingest stop', async () => {
    b.resetClock();
    const owner = await seedUser(b.t.stores.postgres.pool);
    const trialEnd = (await findAccount(b.t.stores.postgres.pool, owner.organizationId))!.trial_end;
    b.stripe.state.now = Math.ceil(trialEnd.getTime() / 1000) + 10 * DAY; // trial long over
    const off = { ...jobs, enabled: false };
    const skipped = 'billing is off (STRIPE_SECRET_KEY unset)';
    expect(await measureUsageJob(off)).toEqual({ rows: 0, skipped });
    expect(await quotaNoticesJob(off)).toEqual({ sent: [], skipped });
    expect(await trialRemindersJob(off)).toEqual({ sent: [], skipped });
    expect(await ingestStopJob(off)).toEqual({ updated: 0, sent: [], skipped });
    expect((await findAccount(b.t.stores.postgres.pool, owner.organizationId))!.ingest_stop_at).toBeNull();
    expect(await b.ses.emailsTo(owner.email)).toEqual([]);
  });
});

describe('lapse', () => {
  it('when the trial ends without a subscription, then statistics lock at once, ingest stops after 14 days with a reason, and subscribing restores everything', async () => {
    b.resetClock();
    const owner = await seedUser(b.t.stores.postgres.pool);
    const site = await seedSite(b.t.stores.postgres.pool, owner.organizationId);
    const browser = await b.login(owner.email);
    const trialEnd = (await findAccount(b.t.stores.postgres.pool, owner.organizationId))!.trial_end;
    const at = (days: number) => {
      b.stripe.state.now = Math.ceil(trialEnd.getTime() / 1000) + days * DAY;
      return new Date(b.stripe.state.now * 1000);
    };

    at(-7);
    expect((await trialRemindersJob(jobs)).sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([
      { organizationId: owner.organizationId, kind: 'trial_7d' },
    ]);
    expect((await statistics(browser, site.id)).status).toBe(200);
    at(-1);
    expect((await trialRemindersJob(jobs)).sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([
      { organizationId: owner.organizationId, kind: 'trial_1d' },
    ]);

    at(1);
    const locked = await statistics(browser, site.id);
    expect(locked.status).toBe(402);
    expect(locked.body).toMatchObject({ reason: 'trial_ended', upgrade: true });
    await ingestStopJob(jobs);
    const stopAt = new Date(trialEnd.getTime() + 14 * DAY * 1000);
    expect((await findAccount(b.t.stores.postgres.pool, owner.organizationId))!.ingest_stop_at).toEqual(stopAt);

    at(7);
    expect((await ingestStopJob(jobs)).sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([
      { organizationId: owner.organizationId, kind: 'ingest_stop_7d' },
    ]);
    const counted = await (await ingestFor(site))(at(13), 1);
    expect((await ingestStopJob(jobs)).sent.filter((s) => s.organizationId === owner.organizationId)).toEqual([
      { organizationId: owner.organizationId, kind: 'ingest_stop_1d' },
    ]);
    expect(counted).toEqual({ status: 'accepted' });
    const dropped = await (await ingestFor(site))(at(15), 2);
    expect(dropped).toEqual({ status: 'dropped', reason: 'billing_lapsed' });
    await flushed();
    expect(
      await query(
        b.t.stores.clickhouse.client,
        'SELECT reason, path FROM request WHERE site_id = {s:UInt64} ORDER BY time',
        { s: site.id },
      ),
    ).toEqual([{ reason: 'billing_lapsed', path: '/p2' }]);
    expect((await b.ses.emailsTo(owner.email)).map((m) => m.subject)).toEqual([
      'Your Spur trial ends in 7 days',
      'Your Spur trial ends tomorrow',
      'Spur stops counting Personal in 7 days',
      'Spur stops counting Personal tomorrow',
    ]);

    const reply = await browser.post(`/api/v1/organizations/${owner.organizationId}/billing/checkout`, {
      plan: 'business',
      tier: 10_000,
      interval: 'monthly',
    });
    b.stripe.completeCheckout(new URL(reply.body.url).pathname.split('/').pop()!);
    await b.stripe.deliverWebhooks({ shuffle: true });
    expect(await findAccount(b.t.stores.postgres.pool, owner.organizationId)).toMatchObject({
      status: 'active',
      ingest_stop_at: null,
    });
    expect((await statistics(browser, site.id)).status).toBe(200);
    expect(await (await ingestFor(site))(at(16), 3)).toEqual({ status: 'accepted' });
  });
});
