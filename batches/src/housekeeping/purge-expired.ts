import type pg from 'pg';
import type { Logger } from '@spur/runtime';
import type { Redis } from '@spur/storage';

/**
 * Nightly clean-up of what has run out: expired login sessions, one-time tokens, API access
 * tokens and invitations, old alert deliveries; Redis rate-limit counters left without an expiry;
 * and a check that no daily salt outlives its 48 hours (ingest sets the expiry when it creates a
 * salt; one still there would let visitor ids be linked across days, so it is deleted and logged).
 */
export async function purgeExpired(deps: { db: pg.Pool; redis: Redis; log: Logger; now: Date }) {
  const { db, now } = deps;
  const count = async (sql: string) => (await db.query(sql, [now])).rowCount ?? 0;
  const postgres = {
    sessions: await count('DELETE FROM auth_session WHERE expires_at < $1::timestamptz'),
    one_time_tokens: await count(
      `DELETE FROM one_time_token WHERE expires_at < $1::timestamptz - interval '1 day' OR used_at < $1::timestamptz - interval '1 day'`,
    ),
    access_tokens: await count('DELETE FROM api_access_token WHERE expires_at < $1::timestamptz'),
    invitations: await count(
      `DELETE FROM invitation WHERE accepted_at IS NULL AND expires_at < $1::timestamptz - interval '30 days'`,
    ),
    alert_deliveries: await count(`DELETE FROM alert_delivery WHERE created_at < $1::timestamptz - interval '90 days'`),
  };
  const staleSalts: string[] = [];
  let rateLimitKeys = 0;
  for await (const keys of deps.redis.scanStream({ match: 'spur:salt:*', count: 200 }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      const day = key.slice('spur:salt:'.length);
      const expires = Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000;
      if (Number.isNaN(expires) || expires <= now.getTime()) staleSalts.push(key);
    }
  }
  if (staleSalts.length > 0) {
    await deps.redis.del(...staleSalts);
    deps.log.error({ keys: staleSalts }, 'daily salts older than 48 hours were still in Redis; deleted');
  }
  for (const pattern of ['ratelimit:*', 'login:*']) {
    for await (const keys of deps.redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        // -1: no expiry (a counter whose EXPIRE was lost); such a key would block forever.
        if ((await deps.redis.pttl(key)) === -1) rateLimitKeys += await deps.redis.del(key);
      }
    }
  }
  return { ...postgres, stale_salts: staleSalts.length, rate_limit_keys: rateLimitKeys };
}
