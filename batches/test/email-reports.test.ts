import { makeWorkerUtils } from 'graphile-worker';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedApiClient, seedSite, seedUser } from '@spur/accounts/testing';
import { createMailer } from '@spur/email';
import { formatChange, formatValue, growth } from '@spur/reports';
import { openObjectStore } from '@spur/storage';
import {
  linkIn,
  startIngestHarness,
  startLocalS3,
  startLocalSes,
  type IngestHarness,
  type LocalS3,
  type LocalSes,
} from '@spur/testkit';
import { writeVisits } from '../../backend/test/statistics-fixture.ts';
import { allJobs } from '../src/jobs/index.ts';
import { startJobRunner } from '../src/runner/job-runner.ts';

/**
 * A weekly report of a Berlin site for the week of the October DST change (Mon 19 – Sun 25 Oct
 * 2026; the Sunday has 25 hours), sent through the real runner, read back from the local SES.
 */
let h: IngestHarness;
let ses: LocalSes;
let s3: LocalS3;
let runner: Awaited<ReturnType<typeof startJobRunner>>;
let token: string;
const OWNER = 'owner@example.com';

beforeAll(async () => {
  [ses, s3] = await Promise.all([startLocalSes(), startLocalS3()]);
  h = await startIngestHarness({ env: { ...s3.env, SES_ENDPOINT: ses.endpoint, JOBS_WORKER_STALE_MS: '2000' } });
  runner = await startJobRunner({
    // Links in the mail point at the backend the harness started (its config says port 0).
    config: { ...h.config, backendUrl: h.backend.url },
    stores: h.stores,
    log: h.log,
    registry: new Registry(),
    jobs: allJobs,
    services: { mailer: createMailer(h.config, h.log), objects: openObjectStore(h.config) },
  });
});
afterAll(async () => {
  await runner?.stop();
  await h?.stop();
  await Promise.all([ses?.stop(), s3?.stop()]);
});

const db = () => h.stores.postgres.pool;

async function api(path: string, query: Record<string, string>) {
  const response = await fetch(`${h.backend.url}${path}?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** Queues a job as `jobs:run` does and waits until the queue is empty again. */
async function runJob(name: string, payload: Record<string, unknown>) {
  const utils = await makeWorkerUtils({ pgPool: db(), schema: 'graphile_worker' });
  await utils.addJob(name, payload, { maxAttempts: 1 });
  await utils.release();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rows } = await db().query('SELECT count(*)::int AS n FROM graphile_worker._private_jobs');
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`jobs still queued after ${name}`);
}

describe('email reports', () => {
  it('when the weekly report of a Berlin site goes out after the DST week, then its numbers are the statistics API numbers, once, with working links', async () => {
    const user = await seedUser(db(), { email: OWNER });
    const client = await seedApiClient(db(), user.organizationId);
    const exchange = await h.post('/api/v1/token', {
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    token = ((await exchange.json()) as { access_token: string }).access_token;
    const site = await seedSite(db(), user.organizationId, { hostname: 'berlin.example', timezone: 'Europe/Berlin' });
    const target = { id: site.id, hostname: site.hostname, organizationId: user.organizationId, accessKey: '' };
    await writeVisits(h, target, [
      // The reported week, Berlin time.
      {
        pages: [
          ['2026-10-19T06:00:00Z', '/'],
          ['2026-10-19T06:02:00Z', '/pricing'],
        ],
        country: 'de',
      }, // Mon 08:00 CEST
      { pages: [['2026-10-21T10:00:00Z', '/']], country: 'de' },
      { pages: [['2026-10-25T00:30:00Z', '/docs']], country: 'at' }, // 02:30 CEST
      {
        pages: [
          ['2026-10-25T01:30:00Z', '/docs'],
          ['2026-10-25T01:31:30Z', '/'],
        ],
        country: 'at',
      }, // 02:30 CET, again
      { pages: [['2026-10-25T22:59:00Z', '/pricing']], country: 'ch' }, // Sun 23:59 CET: still the week
      // Outside: Sunday 18 Oct 23:30 CEST belongs to the week before; Monday 26 Oct 00:30 CET to the next.
      { pages: [['2026-10-18T21:30:00Z', '/']], country: 'de' },
      { pages: [['2026-10-25T23:30:00Z', '/']], country: 'de' },
      // The week before.
      { pages: [['2026-10-14T12:00:00Z', '/']], country: 'de' },
    ]);
    await db().query(
      // left@example.com is no member of the organization (any more): it gets nothing.
      `INSERT INTO email_report (site_id, email, interval) VALUES ($1, $2, 'weekly'), ($1, $3, 'monthly'), ($1, $4, 'weekly')`,
      [site.id, OWNER, 'monthly@example.com', 'left@example.com'],
    );

    // Monday 26 Oct, 09:00 in Berlin is 08:00 UTC (winter time since Sunday).
    await runJob('email-reports', { slot: '2026-10-26T07:00Z' });
    expect(await ses.emails()).toEqual([]);
    await runJob('email-reports', { slot: '2026-10-26T08:00Z' });
    const mail = await ses.waitForEmail(OWNER, /^Weekly report for berlin\.example: 19 Oct – 25 Oct 2026$/);
    expect((await ses.emails()).length).toBe(1); // the monthly one is due on 1 November

    const query = { id: site.id, from: '2026-10-19', to: '2026-10-25' };
    const previous = { id: site.id, from: '2026-10-12', to: '2026-10-18' };
    const [total, before, days, duration] = await Promise.all([
      api('/api/v1/statistics/total', query),
      api('/api/v1/statistics/total', previous),
      api('/api/v1/statistics/visitor', { ...query, scale: 'day' }),
      api('/api/v1/statistics/duration/session', { ...query, scale: 'year' }),
    ]);
    // Counted by hand from the visits above.
    expect([total.visitors, total.views, total.sessions, before.visitors]).toEqual([5, 7, 5, 2]);
    expect(days.map((d: { visitors: number }) => d.visitors)).toEqual([1, 0, 1, 0, 0, 0, 3]);
    expect(duration[0].average_time_spent_seconds).toBe(105); // (120 + 90) / 2 visits that lasted

    const text = mail.body.text!;
    const line = (label: string, key: 'visitors' | 'views' | 'sessions' | 'bounce_rate', value: number, prev: number) =>
      `${label}: ${formatValue({ key }, value)} (${formatChange({ key, label, value, previous: prev, change: growth(value, prev) })})`;
    expect(text).toContain(line('Visitors', 'visitors', total.visitors, before.visitors));
    expect(text).toContain('Visitors: 5 (+150 % vs 2)');
    expect(text).toContain(line('Page views', 'views', total.views, before.views));
    expect(text).toContain(line('Sessions', 'sessions', total.sessions, before.sessions));
    expect(text).toContain(line('Bounce rate', 'bounce_rate', total.bounce_rate, before.bounce_rate));
    expect(text).toContain('Bounce rate: 60.0 % (−40 % vs 100.0 %)');
    expect(text).toContain('Visit duration: 1m 45s (+100 % vs 0s)');
    expect(text).toMatch(/^Sun 25 +#{30} 3$/m);
    expect(text).toContain('Top countries (Visitors)\n  AT: 2\n  DE: 2\n  CH: 1');
    expect(mail.body.html).toContain('Visitors per day');

    // View in browser: the stored copy, served from S3 through the backend, without a login.
    const view = await fetch(linkIn(mail, `${h.backend.url}/api/v1/email-reports/view/`));
    expect(view.status).toBe(200);
    expect(await view.text()).toBe(mail.body.html);

    // A rerun of the hour, and the very send job again: no second mail.
    await runJob('email-reports', { slot: '2026-10-26T08:00Z' });
    const { rows: sent } = await db().query(
      `SELECT slot, status, attempts, detail->>'sent' AS sent FROM job_run WHERE job = 'send-email-report'`,
    );
    expect(sent).toEqual([
      { slot: expect.stringMatching(/^\d+:weekly:2026-10-19$/), status: 'succeeded', attempts: 1, sent: 'true' },
    ]);
    await runJob('send-email-report', { slot: sent[0].slot, reportId: '0', period: {} });
    expect((await ses.emailsTo(OWNER)).length).toBe(1);

    // One-click unsubscribe (RFC 8058): a form POST to the signed link, no cookie, no login.
    const unsubscribe = linkIn(mail, `${h.backend.url}/api/v1/email-reports/unsubscribe`);
    expect((await fetch(unsubscribe)).status).toBe(200); // a GET only asks
    const forged = unsubscribe.replace(/email=[^&]+/, 'email=monthly%40example.com');
    const refused = await fetch(forged, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect([refused.status, (await refused.json()).field]).toEqual([400, 'sig']);
    const done = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(await done.json()).toEqual({ unsubscribed: true });
    const { rows: left } = await db().query('SELECT email FROM email_report WHERE site_id = $1', [site.id]);
    expect(left.map((r) => r.email).sort()).toEqual(['left@example.com', 'monthly@example.com']);
  });
});
