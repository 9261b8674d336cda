import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresHa, type PostgresHa } from '@spur/testkit';
import { resetRateLimits, signUpAndLogin, startAccountsBackend, type AccountsBackend } from './accounts-client.ts';

const run = promisify(execFile);
const PROMOTE = path.resolve(import.meta.dirname, '../../deploy/postgres/pg-promote.sh');
/** Requests after the promotion, per kind, before the load stops (bounded: the whole test takes seconds). */
const AFTER = 8;

let ha: PostgresHa;
let b: AccountsBackend;
beforeAll(async () => {
  ha = await startPostgresHa();
  // The backend knows only pgbouncer's address, as in production.
  b = await startAccountsBackend({ DATABASE_URL: ha.url });
}, 120_000);
afterAll(async () => {
  try {
    await b?.close();
  } finally {
    await ha?.stop();
  }
});

type Outcome = { kind: 'signup' | 'settings'; value: string; status: number; at: number; body: unknown };

describe('Postgres failover', () => {
  it('when the primary is SIGKILLed during sign-ups and settings changes, then requests in flight get a JSON 503, the standby is promoted with one command, pgbouncer follows it, every committed change is there and the backend goes on without a restart', async () => {
    const owner = await signUpAndLogin(b, 'owner@failover.test');
    const orgs = await owner.get('/api/v1/organizations');
    const orgId = (orgs.body as { id: string }[])[0]!.id;
    const created = await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'failover.example' });
    expect(created.status).toBe(201);
    const siteId = (created.body as { id: string }).id;

    const outcomes: Outcome[] = [];
    let promotedAt = Infinity;
    let stop = false;
    const record = (kind: Outcome['kind'], value: string, reply: { status: number; body: unknown }) =>
      outcomes.push({ kind, value, status: reply.status, at: Date.now(), body: reply.body });
    const after = (kind: Outcome['kind']) =>
      outcomes.filter((o) => o.kind === kind && o.at > promotedAt && o.status < 300).length;

    const signUps = (async () => {
      for (let n = 0; !stop && n < 400; n++) {
        await resetRateLimits(b); // every request comes from 127.0.0.1: keep the per-IP sign-up limit out of the way
        const email = `user${n}@failover.test`;
        const reply = await owner.post('/api/v1/auth/signup', {
          email,
          password: 'a-Sound-passphrase-42',
          accept_terms: true,
        });
        record('signup', email, reply);
        if (after('signup') >= AFTER) break;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const settings = (async () => {
      for (let n = 0; !stop && n < 400; n++) {
        const name = `Failover site ${n}`;
        record('settings', name, await owner.patch(`/api/v1/sites/${siteId}`, { name }));
        if (after('settings') >= AFTER) break;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();

    const ok = () => outcomes.filter((o) => o.status < 300).length;
    while (ok() < 16) await new Promise((r) => setTimeout(r, 20));
    const killedAt = Date.now();
    await ha.killPrimary();
    // Requests go on against the dead primary for a moment: they must fail cleanly.
    while (!outcomes.some((o) => o.at > killedAt && o.status === 503)) await new Promise((r) => setTimeout(r, 20));
    const promoted = await run('bash', [PROMOTE], { env: { ...process.env, ...ha.promoteEnv } });
    promotedAt = Date.now();
    expect(promoted.stdout).toMatch(/^promoted 127\.0\.0\.1:\d+\npgbouncer reloaded: /);
    const deadline = Date.now() + 30_000;
    await Promise.race([
      Promise.all([signUps, settings]),
      new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()))),
    ]);
    stop = true;
    await Promise.all([signUps, settings]);

    const summary = (kind: Outcome['kind']) => {
      const mine = outcomes.filter((o) => o.kind === kind);
      return `${mine.filter((o) => o.status < 300).length} ok, ${mine.filter((o) => o.status === 503).length} 503`;
    };
    console.info(
      `postgres failover: sign-ups ${summary('signup')}; settings ${summary('settings')}; ` +
        `promotion took ${promotedAt - killedAt} ms after the kill (incl. waiting for a 503)`,
    );
    // Only success or a clear 503 — never a 500.
    expect(outcomes.filter((o) => o.status >= 300 && o.status !== 503).map((o) => [o.kind, o.status, o.body])).toEqual(
      [],
    );
    const refused = outcomes.filter((o) => o.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) expect(o.body).toEqual({ error: 'database temporarily unavailable, retry later' });
    // The same backend process serves both kinds again after the promotion.
    expect([after('signup'), after('settings')]).toEqual([AFTER, AFTER]);

    // Every committed change is on the promoted standby.
    const promotedDb = new pg.Client({ connectionString: ha.standbyUrl.replace(/\/postgres$/, '/spur') });
    await promotedDb.connect();
    try {
      const accepted = outcomes.filter((o) => o.kind === 'signup' && o.status === 202).map((o) => o.value);
      const { rows: users } = await promotedDb.query<{ email: string }>(
        'SELECT email FROM app_user WHERE email = ANY($1::text[])',
        [accepted],
      );
      expect(users.map((u) => u.email).sort()).toEqual([...accepted].sort());
      const lastName = outcomes.filter((o) => o.kind === 'settings' && o.status === 200).at(-1)!.value;
      const { rows: sites } = await promotedDb.query<{ name: string }>('SELECT name FROM site WHERE id = $1', [siteId]);
      expect(sites).toEqual([{ name: lastName }]);
      const { rows: role } = await promotedDb.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      expect(role).toEqual([{ standby: false }]);
    } finally {
      await promotedDb.end();
    }
  }, 120_000);
});
