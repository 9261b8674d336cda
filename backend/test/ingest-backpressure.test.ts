import { describe, expect, it } from 'vitest';
import { createTestSite, startIngestHarness } from '@spur/testkit';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

describe('backpressure', () => {
  it('when the unflushed backlog passes INGEST_MAX_BACKLOG, then ingest answers 503 with Retry-After until the flusher catches up', async () => {
    const small = await startIngestHarness({ env: { INGEST_MAX_BACKLOG: '7' } });
    try {
      await small.stopFlushers();
      const site = await createTestSite(small.stores.postgres.pool);
      const send = () =>
        small.post(
          '/api/v1/hit',
          { identification_code: site.identificationCode, url: `https://${site.hostname}/` },
          { 'user-agent': CHROME },
        );
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await send()).status);
        await new Promise((r) => setTimeout(r, 300)); // past the backlog gauge's cache
      }
      // One stream entry per hit: the 8th hit finds 7 waiting.
      expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 202, 503, 503, 503, 503, 503]);
      const refused = await send();
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toEqual({ error: ['ingest backlog is full, retry later'], validation: {} });

      small.startFlusher();
      await small.flushed();
      await new Promise((r) => setTimeout(r, 300));
      expect((await send()).status).toBe(202);
    } finally {
      await small.stop();
    }
  });
});
