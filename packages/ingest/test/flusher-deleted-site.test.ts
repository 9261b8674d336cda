import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountsContext, deleteSite, type AccountsContext } from '@spur/accounts';
import { seedSite, seedUser } from '@spur/accounts/testing';
import { appendRows, createFlusher, FLUSH_GROUP, formatTime, INGEST_STREAM } from '@spur/ingest';
import { query, startTestStores, type TestStores } from '@spur/testkit';

/**
 * Deleting a site deletes its ClickHouse rows, but its hits may still be queued in the stream (or
 * flushed while the deletion runs). None of them may bring its statistics back, and none may be
 * left in the stream to be retried forever; the neighbours' rows must all arrive.
 */
let t: TestStores;
let accounts: AccountsContext;
beforeAll(async () => {
  t = await startTestStores();
  accounts = accountsOver(t.stores.clickhouse.client);
});
afterAll(() => t?.close());

const TABLES = ['page_view', 'event', 'session', 'request'] as const;
const PER_TABLE = 25;

function accountsOver(client: ClickHouseClient): AccountsContext {
  return createAccountsContext({
    config: t.config,
    db: t.stores.postgres.pool,
    redis: t.stores.redis,
    clickhouse: { ...t.stores.clickhouse, client },
    mailer: { send: async () => ({ messageId: 'unused' }), close: () => undefined },
    log: t.log,
  });
}

/** What the ingest pipeline queues for one visit per row: a page view, an event, a session row and a bot-log row. */
async function queueHits(siteId: string) {
  const time = formatTime(new Date());
  await appendRows(
    t.stores.redis,
    Array.from({ length: PER_TABLE }, (_, i) => [
      {
        table: 'page_view' as const,
        row: { site_id: siteId, visitor_id: String(i), session_id: i, time, path: `/${i}` },
      },
      {
        table: 'event' as const,
        row: { site_id: siteId, visitor_id: String(i), session_id: i, time, event_name: 'signup' },
      },
      {
        table: 'session' as const,
        row: { sign: 1, version: 1, site_id: siteId, visitor_id: String(i), session_id: i, start: time, time },
      },
      {
        table: 'request' as const,
        row: {
          site_id: siteId,
          time,
          reason: 'bot',
          hostname: 'x.example',
          path: `/${i}`,
          user_agent: 'bot',
          referrer: '',
        },
      },
    ]).flat(),
  );
}

async function rowsOf(siteId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await query<{ n: string }>(
      t.stores.clickhouse.client,
      `SELECT count() AS n FROM ${table} WHERE site_id = {s:UInt64}`,
      { s: siteId },
    );
    out[table] = Number(row!.n);
  }
  return out;
}

const each = (n: number) => Object.fromEntries(TABLES.map((table) => [table, n]));

/** The stream is empty and nothing is pending: every entry was acknowledged, none waits for a retry. */
async function drained(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const length = await t.stores.redis.xlen(INGEST_STREAM);
    // Until the flusher has created its group there is nothing to ask.
    const summary = (await t.stores.redis.xpending(INGEST_STREAM, FLUSH_GROUP).catch(() => [Infinity])) as [number];
    const pending = summary[0];
    if (length === 0 && pending === 0) return;
    if (Date.now() > deadline) throw new Error(`stream holds ${length} entries, ${pending} pending`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const startFlusher = () => {
  const flusher = createFlusher({
    redis: t.stores.redis,
    clickhouse: t.stores.clickhouse.client,
    postgres: t.stores.postgres.pool,
    batchRows: 1_000,
    intervalMs: 20,
    claimIdleMs: 5_000,
    log: t.log,
  });
  flusher.start();
  return flusher;
};

describe('flushing after a site was deleted', () => {
  it('when hits of a deleted site are still queued, then the flusher acknowledges and drops them, and the neighbour gets all of its rows', async () => {
    const owner = await seedUser(t.stores.postgres.pool);
    const gone = await seedSite(t.stores.postgres.pool, owner.organizationId);
    const neighbour = await seedSite(t.stores.postgres.pool, owner.organizationId);
    await queueHits(gone.id);
    await queueHits(neighbour.id);
    await deleteSite(accounts, owner.id, gone.id);

    const flusher = startFlusher();
    await drained();
    await flusher.stop();
    expect(await rowsOf(gone.id)).toEqual(each(0));
    expect(await rowsOf(neighbour.id)).toEqual(each(PER_TABLE));
  });

  it('when a running flusher already knew the site, then the deletion announcement reaches its cache at once', async () => {
    const owner = await seedUser(t.stores.postgres.pool);
    const gone = await seedSite(t.stores.postgres.pool, owner.organizationId);
    const neighbour = await seedSite(t.stores.postgres.pool, owner.organizationId);
    const flusher = startFlusher();
    try {
      await queueHits(gone.id);
      await queueHits(neighbour.id);
      await drained();
      const cachedAt = Date.now();
      expect(await rowsOf(gone.id)).toEqual(each(PER_TABLE)); // the flusher has seen the site: it is in its cache

      await deleteSite(accounts, owner.id, gone.id);
      await queueHits(gone.id); // the last hits of live sessions, for example
      await queueHits(neighbour.id);
      await drained();
      // Well within the cache's 10-second lifetime, so only the announcement can have told it.
      expect(Date.now() - cachedAt).toBeLessThan(10_000);
    } finally {
      await flusher.stop();
    }
    expect(await rowsOf(gone.id)).toEqual(each(0));
    expect(await rowsOf(neighbour.id)).toEqual(each(2 * PER_TABLE));
  });

  it('when rows are flushed between the first delete and the removal of the site, then the second pass removes them', async () => {
    const owner = await seedUser(t.stores.postgres.pool);
    const site = await seedSite(t.stores.postgres.pool, owner.organizationId);
    const real = t.stores.clickhouse.client;
    let injected = false;
    // A flusher's insert landing right after the first pass over page_view, while the site still exists.
    const racing = new Proxy(real, {
      get(target, prop) {
        if (prop === 'command') {
          return async (params: Parameters<ClickHouseClient['command']>[0]) => {
            const result = await target.command(params);
            if (!injected && params.query.includes('.page_view')) {
              injected = true;
              await target.insert({
                table: 'page_view',
                values: [{ site_id: site.id, visitor_id: '1', time: formatTime(new Date()), path: '/late' }],
                format: 'JSONEachRow',
              });
            }
            return result;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await deleteSite(accountsOver(racing), owner.id, site.id);
    expect(injected).toBe(true);
    expect(await rowsOf(site.id)).toEqual(each(0));
  });
});
