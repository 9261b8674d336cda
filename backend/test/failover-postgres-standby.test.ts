import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresHa, type PostgresHa } from '@spur/testkit';
import { signUpAndLogin, startAccountsBackend, type AccountsBackend } from './accounts-client.ts';

const run = promisify(execFile);
const RUNBOOK = path.resolve(import.meta.dirname, '../../deploy/postgres/pg-standby-lost.sh');

let ha: PostgresHa;
let b: AccountsBackend;
beforeAll(async () => {
  ha = await startPostgresHa();
  b = await startAccountsBackend({ DATABASE_URL: ha.url });
}, 120_000);
afterAll(async () => {
  try {
    await b?.close();
  } finally {
    await ha?.stop();
  }
});

describe('Postgres standby lost', () => {
  it('when the standby is SIGKILLed, then writes wait (never a 202 or 200 the standby lacks) until the runbook script turns synchronous replication off, then they complete', async () => {
    const owner = await signUpAndLogin(b, 'standby@failover.test');
    const orgs = await owner.get('/api/v1/organizations');
    const orgId = (orgs.body as { id: string }[])[0]!.id;
    const site = await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'standby.example' });
    expect(site.status).toBe(201);

    await ha.killStandby();
    let answered = false;
    const rename = owner.patch(`/api/v1/sites/${(site.body as { id: string }).id}`, { name: 'After the standby' });
    void rename.then(() => (answered = true));
    // Reads need no standby: the same session reads its site list at once.
    expect((await owner.get(`/api/v1/organizations/${orgId}/sites`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(answered).toBe(false); // the commit waits for a standby that is gone

    const result = await run('bash', [RUNBOOK], {
      env: { ...process.env, PRIMARY_URL: ha.primaryUrl, PSQL: '/usr/bin/psql' },
    });
    expect(result.stdout).toBe('synchronous replication off on the primary\n');
    const reply = await rename;
    expect([reply.status, (reply.body as { name: string }).name]).toEqual([200, 'After the standby']);
    const again = await owner.patch(`/api/v1/sites/${(site.body as { id: string }).id}`, { name: 'And again' });
    expect(again.status).toBe(200);
  }, 60_000);
});
