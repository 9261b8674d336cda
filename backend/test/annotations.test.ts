import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedMember } from '@spur/accounts/testing';
import {
  type Browser,
  resetRateLimits,
  signUpAndLogin,
  startAccountsBackend,
  type AccountsBackend,
} from './accounts-client.ts';

/** Annotations of a site's chart: days and texts in, the same out as JSON and CSV, only for the site's people. */
let b: AccountsBackend;
let owner: Browser;
let siteId: string;
beforeAll(async () => {
  b = await startAccountsBackend();
  owner = await signUpAndLogin(b, 'owner@notes.example');
  const orgId = (await owner.get('/api/v1/organizations')).body[0].id;
  siteId = (await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'notes.example' })).body.id;
});
afterAll(() => b?.close());
// The test client parses every answer as JSON; a CSV is read as text with the owner's cookie.
const csvOf = async (path: string) => {
  const answer = await fetch(`${owner.base}${path}`, { headers: { cookie: owner.cookie! } });
  return { type: answer.headers.get('content-type'), text: await answer.text() };
};
beforeEach(() => resetRateLimits(b));

describe('annotations', () => {
  it('when an admin marks days, then the period that holds them lists exactly those, as JSON and as CSV', async () => {
    for (const [day, text] of [
      ['2026-03-20', 'Newsletter sent'],
      ['2026-03-10', '  v2 released  '],
      ['2026-04-02', '=SUM(A1) is not a formula here'],
    ]) {
      expect((await owner.post('/api/v1/annotation', { domain_id: siteId, day, text })).status).toBe(201);
    }
    const march = await owner.get(`/api/v1/annotation?id=${siteId}&from=2026-03-01&to=2026-03-31`);
    expect(march.body.map((a: { day: string; text: string }) => [a.day, a.text])).toEqual([
      ['2026-03-10', 'v2 released'],
      ['2026-03-20', 'Newsletter sent'],
    ]);
    expect(Object.keys(march.body[0]).sort()).toEqual(['created_at', 'day', 'domain_id', 'id', 'text']);
    expect(await csvOf(`/api/v1/annotation?id=${siteId}&from=2026-03-15&format=csv`)).toEqual({
      type: 'text/csv; charset=utf-8',
      text: "day,text\r\n2026-03-20,Newsletter sent\r\n2026-04-02,'=SUM(A1) is not a formula here\r\n",
    });
    expect((await csvOf(`/api/v1/annotation?id=${siteId}&from=2027-01-01&format=csv`)).text).toBe('day,text\r\n');

    const [first] = march.body as { id: string }[];
    expect((await owner.delete(`/api/v1/annotation?id=${first!.id}`)).status).toBe(204);
    const left = await owner.get(`/api/v1/annotation?id=${siteId}`);
    expect(left.body.map((a: { day: string }) => a.day)).toEqual(['2026-03-20', '2026-04-02']);
  });

  it('when the input is wrong, then the answer is a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ day: '2026-02-30', text: 'x' }, 'day'],
      [{ day: '2026-03-01', text: '   ' }, 'text'],
      [{ day: '2026-03-01', text: 'x'.repeat(201) }, 'text'],
    ];
    for (const [body, field] of cases) {
      const answer = await owner.post('/api/v1/annotation', { domain_id: siteId, ...body });
      expect([answer.status, answer.body.field]).toEqual([400, field]);
    }
    const range = await owner.get(`/api/v1/annotation?id=${siteId}&from=2026-05-01&to=2026-04-01`);
    expect([range.status, range.body.field]).toEqual([400, 'to']);
  });

  it('when someone of another organization or a viewer tries, then foreign sites are 404 and a viewer only reads', async () => {
    const created = await owner.post('/api/v1/annotation', { domain_id: siteId, day: '2026-06-01', text: 'Sale' });
    const stranger = await signUpAndLogin(b, 'stranger@notes.example');
    expect((await stranger.get(`/api/v1/annotation?id=${siteId}`)).status).toBe(404);
    expect(
      (await stranger.post('/api/v1/annotation', { domain_id: siteId, day: '2026-06-02', text: 'x' })).status,
    ).toBe(404);
    expect((await stranger.delete(`/api/v1/annotation?id=${created.body.id}`)).status).toBe(404);

    const viewer = await signUpAndLogin(b, 'viewer@notes.example');
    const orgId = (await owner.get('/api/v1/organizations')).body[0].id;
    await seedMember(
      b.t.stores.postgres.pool,
      orgId,
      (await viewer.get('/api/v1/auth/session')).body.user.id,
      'viewer',
    );
    expect((await viewer.get(`/api/v1/annotation?id=${siteId}&from=2026-06-01&to=2026-06-01`)).body).toEqual([
      created.body,
    ]);
    expect((await viewer.post('/api/v1/annotation', { domain_id: siteId, day: '2026-06-02', text: 'x' })).status).toBe(
      403,
    );
    expect((await viewer.delete(`/api/v1/annotation?id=${created.body.id}`)).status).toBe(403);
    expect((await owner.get(`/api/v1/annotation?id=${siteId}&from=2026-06-01&to=2026-06-01`)).body).toHaveLength(1);
  });
});

describe('money goals', () => {
  it('when a goal counts revenue, then it keeps its currency code; a code that is not one is a 400 naming the field', async () => {
    const goal = { domain_id: siteId, name: 'Purchase', event_name: 'Purchase', custom_metric_key: 'amount' };
    const created = await owner.post('/api/v1/goal', { ...goal, custom_metric_type: 'float', currency: 'eur' });
    expect([created.status, created.body.currency]).toEqual([201, 'EUR']);
    const plain = await owner.post('/api/v1/goal', { ...goal, name: 'Score', custom_metric_type: 'integer' });
    expect(plain.body.currency).toBe('');
    const bad = await owner.post('/api/v1/goal', {
      ...goal,
      name: 'Bad',
      custom_metric_type: 'float',
      currency: 'EURO',
    });
    expect([bad.status, bad.body.field]).toEqual([400, 'currency']);
  });
});
