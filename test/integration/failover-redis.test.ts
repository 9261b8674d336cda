import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_GROUP, INGEST_STREAM } from '@spur/ingest';
import { createTestSite, startIngestHarness, startRedisHa, type IngestHarness, type RedisHa } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const VISITORS = 30;
/** Each visitor sends a page view about every 20 ms (plus its answer), bounded by MAX_ATTEMPTS. */
const PAUSE_MS = 20;
const MAX_ATTEMPTS = 150;
/** The bound stated in the README: ingest answers 202 again at most this long after the kill. */
const RECOVERY_BOUND_MS = 15_000;

let ha: RedisHa;
let h: IngestHarness;
beforeAll(async () => {
  // Two replicas: after the failover one is left to acknowledge WAIT, so ingest resumes on its own
  // (with a single replica it would answer 503 until the dead node comes back, as it should).
  ha = await startRedisHa({ replicas: 2, downAfterMs: 1_000, failoverTimeoutMs: 5_000 });
  h = await startIngestHarness({
    env: {
      TRUSTED_PROXIES: '127.0.0.1',
      REDIS_SENTINELS: ha.sentinels,
      REDIS_MASTER_NAME: ha.masterName,
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '300',
    },
  });
}, 120_000);
afterAll(async () => {
  try {
    await h?.stop();
  } finally {
    await ha?.stop();
  }
});

/** `sent`: when the request left; `at`: when its answer came. */
type Attempt = { visitor: number; path: string; status: number; sent: number; at: number };

describe('Redis failover', () => {
  it('when the primary is SIGKILLed under load, then Sentinel promotes a replica, every hit answered 202 is in ClickHouse exactly once, no visit is split and the flusher goes on from the new primary', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'failover.example' });
    const before = await ha.primary();
    const attempts: Attempt[] = [];
    let killedAt = 0;
    let stop = false;

    const visitor = async (v: number) => {
      for (let n = 0; n < MAX_ATTEMPTS && !stop; n++) {
        const path = `/v${v}/p${n}`;
        const sent = Date.now();
        let status: number;
        try {
          const response = await fetch(`${h.backend.url}/api/v1/hit`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', 'user-agent': CHROME, 'x-forwarded-for': `100.64.9.${v + 1}` },
            body: JSON.stringify({
              identification_code: site.identificationCode,
              url: `https://failover.example${path}`,
            }),
            signal: AbortSignal.timeout(10_000),
          });
          status = response.status;
          if (status === 503) expect(response.headers.get('retry-after')).toBeTruthy();
          await response.arrayBuffer();
        } catch {
          status = -1; // no answer at all: neither counted as accepted nor as refused
        }
        attempts.push({ visitor: v, path, status, sent, at: Date.now() });
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
    };
    const load = Promise.all(Array.from({ length: VISITORS }, (_, v) => visitor(v)));

    // Kill once every visitor has a session under way.
    while (attempts.filter((a) => a.status === 202).length < VISITORS * 5) await new Promise((r) => setTimeout(r, 20));
    killedAt = Date.now();
    await ha.kill(before);
    const after = await ha.waitForFailover(before.port, { replicas: 1, timeoutMs: 20_000 });
    // Load goes on until ingest has answered 202 for a while after the failover, then stops.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const recovered = attempts.filter((a) => a.sent > killedAt && a.status === 202);
      if (recovered.length >= VISITORS * 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    stop = true;
    await load;

    expect(after.port).not.toBe(before.port);
    const accepted = attempts.filter((a) => a.status === 202);
    // Recovery: the first hit sent after the kill that was answered 202 (one answered just after the
    // kill may have been acknowledged by the replica before it).
    const firstAfter = accepted.find((a) => a.sent > killedAt);
    expect(firstAfter).toBeDefined();
    const recoveryMs = firstAfter!.at - killedAt;
    console.info(
      `redis failover: ${attempts.length} hits sent, ${accepted.length} answered 202, ` +
        `${attempts.filter((a) => a.status === 503).length} answered 503, ` +
        `${attempts.filter((a) => a.status === -1).length} unanswered; 202 again ${recoveryMs} ms after the kill`,
    );
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    // Nothing but 202 and 503 (no 500, no hang).
    expect(attempts.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([]);

    await h.flushed(60_000);
    const stored = await h.query<{ path: string; n: string; sessions: string }>(
      'SELECT path, count() AS n FROM page_view WHERE site_id = {site:UInt64} GROUP BY path',
      { site: site.siteId },
    );
    const count = new Map(stored.map((row) => [row.path, Number(row.n)]));
    // Every acknowledged hit exactly once; a refused one at most once (it may have reached a replica).
    expect(accepted.filter((a) => count.get(a.path) !== 1)).toEqual([]);
    expect(attempts.filter((a) => (count.get(a.path) ?? 0) > 1)).toEqual([]);

    // One visit per visitor across the failover: the session state travelled with the hits.
    const visits = await h.query<{ visitors: string; visits: string }>(
      `SELECT uniqExact(visitor_id) AS visitors, uniqExact(visitor_id, session_id) AS visits
       FROM page_view WHERE site_id = {site:UInt64}`,
      { site: site.siteId },
    );
    expect(visits).toEqual([{ visitors: String(VISITORS), visits: String(VISITORS) }]);
    const sessions = await h.query<{ visits: string; views: string }>(
      'SELECT sum(sign) AS visits, sum(sign * page_views) AS views FROM session WHERE site_id = {site:UInt64}',
      { site: site.siteId },
    );
    expect(sessions).toEqual([
      { visits: String(VISITORS), views: String(stored.reduce((n, r) => n + Number(r.n), 0)) },
    ]);

    // The flusher drained the stream on the new primary through the group it found there.
    const promoted = ha.connect(after);
    expect(await promoted.xlen(INGEST_STREAM)).toBe(0);
    const [group] = (await promoted.xinfo('GROUPS', INGEST_STREAM)) as unknown[][];
    const fields = Object.fromEntries(
      Array.from({ length: group!.length / 2 }, (_, i) => [group![2 * i], group![2 * i + 1]]),
    );
    expect({ name: fields.name, pending: fields.pending }).toEqual({ name: FLUSH_GROUP, pending: 0 });
    // The group there delivered hits that arrived after the failover (stream ids begin with their millisecond).
    expect(Number(String(fields['last-delivered-id']).split('-')[0])).toBeGreaterThan(killedAt);
  }, 150_000);
});
