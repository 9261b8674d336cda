import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSite, seedUser } from '@spur/accounts/testing';
import { startIngestHarness, type IngestHarness } from '@spur/testkit';
import { writeVisits } from '../../backend/test/statistics-fixture.ts';
import { purgeExpired } from '../src/housekeeping/purge-expired.ts';
import { enforceRetention } from '../src/housekeeping/statistics-retention.ts';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(() => h?.stop());

const NOW = new Date('2026-12-05T04:10:00Z');
const db = () => h.stores.postgres.pool;

describe('housekeeping', () => {
  it('when statistics are older than the plan keeps them, then exactly those go (starter 3 years, business 5)', async () => {
    const starter = await seedUser(db());
    const business = await seedUser(db());
    await db().query(
      `INSERT INTO billing_account (organization_id, plan, trial_end) VALUES ($1, 'starter', $3), ($2, 'business', $3)
       ON CONFLICT (organization_id) DO UPDATE SET plan = excluded.plan, trial_end = excluded.trial_end`,
      [starter.organizationId, business.organizationId, new Date('2027-01-01T00:00:00Z')],
    );
    const a = await seedSite(db(), starter.organizationId, { hostname: 'starter.example' });
    const b = await seedSite(db(), business.organizationId, { hostname: 'business.example' });
    const site = (s: { id: string; hostname: string }, org: string) => ({ ...s, organizationId: org, accessKey: '' });
    const visit = (time: string) => ({ pages: [[time, '/']] as [string, string][] });
    // The starter cut-off is 2023-12-05 00:00 UTC.
    await writeVisits(h, site(a, starter.organizationId), [
      visit('2023-12-04T23:59:00Z'),
      visit('2023-06-01T10:00:00Z'),
      visit('2023-12-05T00:00:00Z'),
      visit('2026-12-01T10:00:00Z'),
    ]);
    await writeVisits(h, site(b, business.organizationId), [
      visit('2022-06-01T10:00:00Z'),
      visit('2021-06-01T10:00:00Z'),
    ]);

    const deleted = await enforceRetention({ db: db(), clickhouse: h.stores.clickhouse, log: h.log, now: NOW });
    expect(deleted).toEqual([
      {
        organization: starter.organizationId,
        cutoff: '2023-12-05T00:00:00.000Z',
        sites: 1,
      },
      { organization: business.organizationId, cutoff: '2021-12-05T00:00:00.000Z', sites: 1 },
    ]);
    const left = async (table: string, column: string, final = '') =>
      (
        await h.query<{ site: string; t: string }>(
          `SELECT toString(site_id) AS site, toString(${column}) AS t FROM ${table} ${final} ORDER BY site_id, ${column}`,
        )
      ).map((r) => `${r.site} ${r.t}`);
    expect(await left('page_view', 'time')).toEqual([
      `${a.id} 2023-12-05 00:00:00.000`,
      `${a.id} 2026-12-01 10:00:00.000`,
      `${b.id} 2022-06-01 10:00:00.000`,
    ]);
    expect(await left('session', 'start', 'FINAL')).toEqual([
      `${a.id} 2023-12-05 00:00:00.000`,
      `${a.id} 2026-12-01 10:00:00.000`,
      `${b.id} 2022-06-01 10:00:00.000`,
    ]);
    // Nothing left to delete: the next night issues no mutation.
    expect(await enforceRetention({ db: db(), clickhouse: h.stores.clickhouse, log: h.log, now: NOW })).toEqual([]);
  });

  it('when sessions, tokens and Redis keys have run out, then they are purged and live ones stay', async () => {
    const user = await seedUser(db());
    const hash = (n: number) => Buffer.from([n]);
    await db().query(`INSERT INTO auth_session (token_hash, user_id, expires_at) VALUES ($1, $3, $4), ($2, $3, $5)`, [
      hash(1),
      hash(2),
      user.id,
      new Date('2026-12-05T04:00:00Z'),
      new Date('2026-12-06T00:00:00Z'),
    ]);
    await db().query(
      `INSERT INTO one_time_token (token_hash, purpose, user_id, expires_at, used_at)
       VALUES ($1, 'reset_password', $4, $5, NULL), ($2, 'reset_password', $4, $6, $7), ($3, 'verify_email', $4, $6, NULL)`,
      [
        hash(3),
        hash(4),
        hash(5),
        user.id,
        new Date('2026-12-03T00:00:00Z'), // expired two days ago
        new Date('2026-12-09T00:00:00Z'),
        new Date('2026-12-03T12:00:00Z'), // used two days ago
      ],
    );
    const redis = h.stores.redis;
    await redis.set('spur:salt:2026-12-02', 'x'); // day start + 48 h = 12-04: must be gone
    // A live salt, with the expiry the salt store gives it (Redis counts it on its own clock, not NOW's).
    await redis.set('spur:salt:2026-12-04', 'y', 'PX', 86_400_000);
    await redis.set('ratelimit:login:stuck', '9');
    await redis.set('ratelimit:login:live', '1', 'EX', 600);

    const result = await purgeExpired({ db: db(), redis, log: h.log, now: NOW });
    expect(result).toEqual({
      sessions: 1,
      one_time_tokens: 2,
      access_tokens: 0,
      invitations: 0,
      alert_deliveries: 0,
      stale_salts: 1,
      rate_limit_keys: 1,
    });
    const { rows } = await db().query(`SELECT encode(token_hash, 'hex') AS h FROM one_time_token ORDER BY 1`);
    expect(rows).toEqual([{ h: '05' }]);
    expect((await redis.keys('spur:salt:*')).sort()).toEqual(['spur:salt:2026-12-04']);
    expect(await redis.exists('ratelimit:login:stuck', 'ratelimit:login:live')).toBe(1);
  });
});
