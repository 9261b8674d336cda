import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, startIngestHarness, type IngestHarness } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let h: IngestHarness;
beforeAll(async () => {
  // The embedded Redis has no replica: a WAIT for one can only time out.
  h = await startIngestHarness({ env: { REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '100' } });
});
afterAll(() => h?.stop());

describe('replica acknowledgement', () => {
  it('when no replica acknowledges a hit in time, then ingest answers 503 + Retry-After, never 202', async () => {
    const site = await createTestSite(h.stores.postgres.pool, { hostname: 'lonely.example' });
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        h.post(
          '/api/v1/hit',
          { identification_code: site.identificationCode, url: `https://lonely.example/${i}` },
          { 'user-agent': CHROME },
        ),
      ),
    );
    const answers = await Promise.all(
      replies.map(async (r) => ({
        status: r.status,
        retryAfter: r.headers.get('retry-after'),
        // The error's wording and shape belong to the ingest contract (issue 13); it says to retry.
        retry: /temporarily unavailable, retry later/.test(JSON.stringify(await r.json())),
      })),
    );
    expect(answers).toEqual(Array(5).fill({ status: 503, retryAfter: '5', retry: true }));
    // Refused does not mean "not stored": the primary applied them and only the replica's answer
    // was missing, so a client that resends may count a hit twice (README: acknowledged hits). The
    // flusher, holding its acknowledgements to the same rule, leaves them in the stream for now.
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.stores.redis.xlen('spur:ingest')).toBe(5);
  });
});
