import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeWorkerUtils } from 'graphile-worker';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMember, seedSite, seedUser, SEED_PASSWORD } from '@spur/accounts/testing';
import { signWebhook } from '@spur/alerts';
import { createMailer } from '@spur/email';
import { openObjectStore } from '@spur/storage';
import { startIngestHarness, startLocalSes, type IngestHarness, type LocalSes } from '@spur/testkit';
import { Browser } from '../../backend/test/accounts-client.ts';
import { writeVisits } from '../../backend/test/statistics-fixture.ts';
import { allJobs } from '../src/jobs/index.ts';
import { startJobRunner } from '../src/runner/job-runner.ts';

let h: IngestHarness;
let ses: LocalSes;
let runner: Awaited<ReturnType<typeof startJobRunner>>;
let hook: http.Server;
let hookUrl: string;
const received: { body: string; signature: string; status: number }[] = [];
let failNext = 1; // the first webhook call answers 500: the delivery is retried

beforeAll(async () => {
  ses = await startLocalSes();
  // The test's webhook receiver listens on 127.0.0.1.
  h = await startIngestHarness({ env: { SES_ENDPOINT: ses.endpoint, ALERT_WEBHOOK_PRIVATE_TARGETS: 'true' } });
  runner = await startJobRunner({
    config: h.config,
    stores: h.stores,
    log: h.log,
    registry: new Registry(),
    jobs: allJobs,
    services: { mailer: createMailer(h.config, h.log), objects: openObjectStore(h.config) },
  });
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = failNext-- > 0 ? 500 : 200;
      received.push({ body, signature: String(req.headers['x-spur-signature']), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await runner?.stop();
  await h?.stop();
  await ses?.stop();
  hook?.close();
});

const db = () => h.stores.postgres.pool;

async function login(email: string) {
  const browser = new Browser(h.backend.url);
  expect((await browser.post('/api/v1/auth/login', { email, password: SEED_PASSWORD })).status).toBe(200);
  return browser;
}

/** Runs check-alerts as of `at` and waits until every job it queued (retries included) is done. */
async function checkAt(at: Date) {
  const utils = await makeWorkerUtils({ pgPool: db(), schema: 'graphile_worker' });
  await utils.addJob('check-alerts', { slot: at.toISOString().slice(0, 16) + 'Z' }, { maxAttempts: 1 });
  await utils.release();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rows } = await db().query('SELECT count(*)::int AS n FROM graphile_worker._private_jobs');
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('alert jobs still queued');
}

const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

describe('traffic alerts', () => {
  it('when admins set spike and drop alerts, then others get 404, and each fires once per 12 h, by email and signed webhook, retried, and recovers', async () => {
    const owner = await seedUser(db(), { email: 'owner@alerts.example' });
    const viewer = await seedUser(db(), { email: 'viewer@alerts.example' });
    await seedMember(db(), owner.organizationId, viewer.id, 'viewer');
    const outsider = await seedUser(db(), { email: 'outsider@alerts.example' });
    const site = await seedSite(db(), owner.organizationId, { hostname: 'alerts.example' });
    const path = `/api/v1/sites/${site.id}/alerts`;
    const [o, v, x] = await Promise.all([login(owner.email), login(viewer.email), login(outsider.email)]);

    const spike = await o.post(path, { kind: 'spike', threshold: 3, emails: [owner.email], webhook_url: hookUrl });
    expect(spike.status).toBe(201);
    expect(spike.body).toMatchObject({ kind: 'spike', threshold: 3, state: 'normal', webhook_format: 'json' });
    expect(spike.body.webhook_secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const drop = await o.post(path, {
      kind: 'drop',
      threshold: 1,
      window_hours: 1,
      webhook_url: hookUrl,
      webhook_format: 'slack',
    });
    expect(drop.status).toBe(201);

    expect((await o.post(path, { kind: 'spike', threshold: 5, emails: [owner.email] })).status).toBe(409);
    const bad = await o.post(path, { kind: 'spike', threshold: 0, emails: [owner.email] });
    expect([bad.status, bad.body.field]).toEqual([400, 'threshold']);
    const stranger = await o.patch(`${path}/${spike.body.id}`, { emails: [outsider.email] });
    expect([stranger.status, stranger.body.field]).toEqual([400, 'emails']);
    expect((await v.get(path)).body.map((a: { kind: string }) => a.kind)).toEqual(['drop', 'spike']);
    expect((await v.patch(`${path}/${spike.body.id}`, { threshold: 9 })).status).toBe(403);
    expect((await x.get(path)).status).toBe(404);
    expect((await x.patch(`${path}/${spike.body.id}`, { threshold: 9 })).status).toBe(404);
    expect((await x.get(`/api/v1/sites/${site.id}/alert-deliveries`)).status).toBe(404);
    expect((await x.delete(`${path}/${spike.body.id}`)).status).toBe(404);

    // Spike: 3 visitors in the 10 minutes before T0; one more an hour before.
    const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const target = { id: site.id, hostname: site.hostname, organizationId: owner.organizationId, accessKey: '' };
    const visit = (at: Date) => ({ pages: [[at.toISOString(), '/']] as [string, string][] });
    await writeVisits(h, target, [
      visit(minutes(t0, -5)),
      visit(minutes(t0, -4)),
      visit(minutes(t0, -3)),
      visit(minutes(t0, -50)),
    ]);

    await checkAt(t0);
    const mail = await ses.waitForEmail(
      owner.email,
      /^Traffic spike on alerts\.example: 3 visitors in the last 10 minutes$/,
    );
    expect(mail.body.text).toContain('Your alert fires at at least 3 visitors in the last 10 minutes.');
    // The webhook failed once, then took it; both tries carry a valid signature.
    expect(received.map((r) => r.status)).toEqual([500, 200]);
    const first = JSON.parse(received[1]!.body);
    expect(first).toMatchObject({
      type: 'traffic_alert',
      notice: 'fired',
      visitors: 3,
      site: { hostname: 'alerts.example' },
    });
    const [, ts] = /^t=(\d+),/.exec(received[1]!.signature)!;
    expect(received[1]!.signature).toBe(signWebhook(spike.body.webhook_secret, Number(ts), received[1]!.body));
    const log = await o.get(`/api/v1/sites/${site.id}/alert-deliveries?alert=${spike.body.id}`);
    expect(
      log.body.map((d: Record<string, unknown>) => [d.notice, d.channel, d.status, d.attempts, d.response_status]),
    ).toEqual([
      ['fired', 'webhook', 'delivered', 2, 200],
      ['fired', 'email', 'delivered', 1, null],
    ]);

    // Still above the threshold five minutes later: no second notice.
    await checkAt(minutes(t0, 5));
    // Ten quiet minutes: back to normal, announced once.
    await checkAt(minutes(t0, 15));
    await ses.waitForEmail(owner.email, /^alerts\.example is back to normal \(0 visitors in the last 10 minutes\)$/);
    // A new spike within 12 hours of the last notice fires silently.
    await writeVisits(h, target, [visit(minutes(t0, 21)), visit(minutes(t0, 22)), visit(minutes(t0, 23))]);
    await checkAt(minutes(t0, 25));
    const { rows: state } = await db().query('SELECT kind, state, last_value FROM traffic_alert ORDER BY kind');
    expect(state).toEqual([
      { kind: 'drop', state: 'normal', last_value: 6 }, // the 6 visitors of the last hour
      { kind: 'spike', state: 'firing', last_value: 3 },
    ]);

    // Drop: no visitor at all in the hour before T0 + 2h (Slack-shaped body).
    await checkAt(minutes(t0, 120));
    expect(JSON.parse(received.at(-1)!.body)).toEqual({
      text: `Traffic drop on alerts.example: 0 visitors in the last hour <http://127.0.0.1:5173/sites/${site.id}|Open dashboard>`,
    });
    expect((await ses.emailsTo(owner.email)).map((m) => m.subject)).toEqual([
      'Traffic spike on alerts.example: 3 visitors in the last 10 minutes',
      'alerts.example is back to normal (0 visitors in the last 10 minutes)',
    ]);
    expect(received.map((r) => JSON.parse(r.body).notice ?? 'slack')).toEqual(['fired', 'fired', 'recovered', 'slack']);
  });
});
