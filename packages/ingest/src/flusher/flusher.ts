import { hostname } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import { Command, type Redis } from 'ioredis';
import type pg from 'pg';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';
import { createSessionizer, type Sessionizer } from '../session/sessionizer.ts';
import { FLUSH_GROUP, INGEST_STREAM } from '../stream/stream.ts';
import { batchesKey, claimFromDeadConsumers, recordBatch, takeOwnPending } from './claim.ts';
import { createDeadLetter } from './dead-letter.ts';
import { createDeletionGate } from './deletion-gate.ts';
import { insertBatch } from './insert-batch.ts';
import { openSiteGate, type SiteGate } from './site-gate.ts';
import { rowsOf, siteOf, type Entry, type StreamEntry } from './stream-rows.ts';
import { registerStreamMetrics } from './stream-metrics.ts';

export type FlusherOptions = {
  redis: Redis;
  clickhouse: ClickHouseClient;
  /**
   * Where sites live. With it, rows of sites deleted while their hits waited in the stream are
   * acknowledged and dropped instead of inserted (see site-gate.ts); every long-running flusher
   * should pass it. Without it (benchmarks, tests of the stream alone) every row is inserted.
   */
  postgres?: pg.Pool;
  batchRows: number;
  intervalMs: number;
  claimIdleMs: number;
  log: Logger;
  registry?: Registry;
  /**
   * With Redis replicas (REDIS_WAIT_REPLICAS): a batch's record and its acknowledgement are held to
   * reach this many replicas (WAIT) before the flusher goes on, so a failover can neither recut a
   * batch (new tokens, rows twice) nor lose an acknowledgement (entries left pending to this
   * consumer forever). A WAIT that fails fails the flush, which is retried whole (deduplicated).
   */
  waitReplicas?: number;
  /** Defaults to host-pid-random: a restarted process is a new consumer and its old self is "dead". */
  consumer?: string;
  /**
   * The flusher sessionizes too (session/sessionizer.ts): raw hits become the entries it flushes in
   * the same process, so no deployment, dev setup or test harness needs another service. Its leases
   * last `claimIdleMs`, like a dead flusher's claim. `false` for a flusher of the stream alone.
   */
  sessionize?: boolean;
};

export type Flusher = {
  start: () => void;
  stop: () => Promise<void>;
  consumer: string;
  sessionizer: Sessionizer | undefined;
};

/**
 * Moves rows from the Redis stream into ClickHouse. Each batch is inserted table by table with an
 * insert_deduplication_token derived from its stream ids, and only then acknowledged and deleted.
 * A flusher that dies mid-batch leaves its entries pending; a live one claims the whole batch and
 * inserts it again with the same tokens, which ClickHouse deduplicates. ClickHouse being away only
 * delays rows: the batch is retried with backoff until it lands. A row ClickHouse refuses for its
 * content is moved to the dead-letter stream (dead-letter.ts) and the rest of its batch goes in.
 */
export function createFlusher(options: FlusherOptions): Flusher {
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const log = options.log.child({ component: 'flusher', consumer });
  // Blocking reads hold their connection, so they get one of their own: acknowledgements and claims
  // must not queue behind a read of the next batch.
  const redis = options.redis.duplicate();
  const reader = options.redis.duplicate();
  const registers = options.registry ? [options.registry] : [];
  const flushed = new Counter({
    name: 'flusher_rows_total',
    help: 'Rows inserted into ClickHouse',
    labelNames: ['table'],
    registers,
  });
  const batchTime = new Histogram({
    name: 'flusher_batch_seconds',
    help: 'Time to insert and acknowledge one batch',
    registers,
  });
  const dropped = new Counter({
    name: 'flusher_dropped_rows_total',
    help: 'Rows acknowledged without inserting: their site or their visit was deleted',
    labelNames: ['table'],
    registers,
  });
  const deadLetter = createDeadLetter({ redis, log, registers });
  if (options.registry) registerStreamMetrics(options.redis, options.registry);
  const withoutDeleted = createDeletionGate(redis);
  const sessionizer =
    options.sessionize === false
      ? undefined
      : createSessionizer({
          redis: options.redis,
          log: options.log,
          leaseMs: options.claimIdleMs,
          consumer,
          ...(options.registry ? { registry: options.registry } : {}),
        });
  let stopping = false;
  let loop: Promise<void> | undefined;
  let gate: SiteGate | undefined;

  /** Rows of sites that no longer exist are left out; they are acknowledged with the rest of the batch. */
  async function keepExistingSites(_table: string, rows: Entry[]) {
    if (!gate) return rows;
    const sites = rows.map((entry) => siteOf(entry.row));
    const existing = await gate.existing(sites);
    return rows.filter((_, i) => existing.has(sites[i]!));
  }

  async function ensureGroup() {
    try {
      await redis.xgroup('CREATE', INGEST_STREAM, FLUSH_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  async function readBatch(): Promise<StreamEntry[]> {
    const batch: StreamEntry[] = [];
    const deadline = Date.now() + options.intervalMs;
    while (!stopping && batch.length < options.batchRows) {
      const wait = deadline - Date.now();
      if (wait <= 0) break;
      const reply = (await reader.xreadgroup(
        'GROUP',
        FLUSH_GROUP,
        consumer,
        'COUNT',
        options.batchRows - batch.length,
        'BLOCK',
        Math.max(1, Math.min(wait, 1_000)),
        'STREAMS',
        INGEST_STREAM,
        '>',
      )) as [string, StreamEntry[]][] | null;
      for (const entry of reply?.[0]?.[1] ?? []) batch.push(entry);
      // Hurry when the stream is busy; otherwise fill the batch until the interval ends.
      if (batch.length > 0 && (reply?.[0]?.[1].length ?? 0) === 0) break;
    }
    return batch;
  }

  async function replicated() {
    const replicas = options.waitReplicas ?? 0;
    if (replicas === 0) return;
    // A bare command, bounded: an auto-pipelined WAIT caught in a reconnect was seen never to settle.
    let timer: NodeJS.Timeout | undefined;
    const acknowledged = await Promise.race([
      redis.sendCommand(new Command('wait', [replicas, 1_000])) as Promise<number>,
      new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), 5_000))),
    ]).finally(() => clearTimeout(timer));
    if (acknowledged < replicas)
      throw new Error(`${acknowledged} of ${replicas} Redis replicas acknowledged the batch`);
  }

  async function flush(entries: StreamEntry[]) {
    const started = process.hrtime.bigint();
    const ids = entries.map(([id]) => id);
    // Recorded before anything is inserted: whoever takes these entries over after a crash flushes
    // exactly this batch again, with the same tokens (see claim.ts).
    await recordBatch(redis.multi(), consumer, entries).exec();
    await replicated();
    await insertBatch(options.clickhouse, rowsOf(entries), {
      onInserted: (table, rows) => flushed.inc({ table }, rows),
      keep: async (table, rows) => withoutDeleted(entries, await keepExistingSites(table, rows)),
      onDropped: (table, rows) => {
        dropped.inc({ table }, rows.length);
        log.info(
          { table, rows: rows.length, sites: [...new Set(rows.map((entry) => siteOf(entry.row)))] },
          'dropped rows of deleted sites or deleted statistics',
        );
      },
      onRejected: deadLetter,
      onRetry: async (error, table, attempt, delay) => {
        log.warn({ err: error, table, attempt, delay }, 'insert failed, retrying');
        // Still alive: keep our claim fresh so nobody takes this batch over while we wait.
        await redis.xclaim(INGEST_STREAM, FLUSH_GROUP, consumer, 0, ...ids, 'JUSTID').catch(() => undefined);
      },
    });
    await redis
      .multi()
      .xack(INGEST_STREAM, FLUSH_GROUP, ...ids)
      .xdel(INGEST_STREAM, ...ids)
      .hdel(batchesKey(consumer), ids[0]!)
      .exec();
    await replicated();
    batchTime.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  async function run() {
    await ensureGroup();
    // Subscribed before the first batch, so no deletion announced from here on can be missed.
    if (options.postgres) gate = await openSiteGate(options.postgres, redis);
    let failures = 0;
    // The next batch is read while this one is inserted (the insert waits on ClickHouse, or on
    // chdb's own threads), so reading and assembling rows costs the flusher no time of its own.
    let next: Promise<StreamEntry[]> | undefined;
    let claimCheckedAt = 0;
    // Batches this consumer holds and must flush before reading more: those taken over from a
    // dead consumer, and one whose flush failed (Redis away at the acknowledgement, say). Each is
    // flushed whole, as recorded, so its tokens stay the same.
    const owed: StreamEntry[][] = [];
    // After a failure: take back what is pending to us before anything else (see takeOwnPending).
    let recover = false;
    const prefetch = () => {
      const read = readBatch();
      read.catch(() => undefined); // awaited below; a failure is handled there
      return read;
    };
    while (!stopping || next || owed.length > 0) {
      let inHand: StreamEntry[] | undefined;
      try {
        if (recover) {
          // The read in flight is let finish and its result dropped: its entries are pending to us too.
          const dropped = next;
          next = undefined;
          await dropped?.catch(() => undefined);
          const own = await takeOwnPending(redis, consumer);
          owed.splice(0, owed.length, ...own);
          recover = false;
          continue;
        }
        if (owed.length > 0) {
          await flush(owed[0]!);
          owed.shift();
          failures = 0;
          continue;
        }
        // Looked for at least every second, also while back-to-back batches keep a read in flight.
        const looked = !stopping && (!next || Date.now() - claimCheckedAt > 1_000);
        if (looked) claimCheckedAt = Date.now();
        const taken = looked ? await claimFromDeadConsumers(redis, consumer, options.claimIdleMs) : [];
        if (taken.length > 0) {
          log.warn(
            { batches: taken.length, rows: taken.reduce((n, b) => n + b.length, 0) },
            'took over the batches of a flusher that stopped',
          );
          owed.push(...taken);
          continue;
        }
        const batch = await (next ?? readBatch());
        next = undefined;
        if (batch.length > 0) {
          if (!stopping) next = prefetch();
          inHand = batch;
          await flush(batch);
        }
        failures = 0;
      } catch (error) {
        // Entries read are ours until acknowledged: the batch in hand is retried, a read in flight kept.
        if (inHand) owed.unshift(inHand);
        if (stopping) break;
        recover = true;
        failures++;
        log.error({ err: error }, 'flusher loop failed');
        await sleep(Math.min(10_000, 200 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  return {
    consumer,
    sessionizer,
    start() {
      sessionizer?.start();
      loop ??= run();
    },
    async stop() {
      // Sessionizing stops first: what it appended before stopping is flushed below.
      await sessionizer?.stop();
      stopping = true;
      await loop;
      gate?.close();
      redis.disconnect();
      reader.disconnect();
    },
  };
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
