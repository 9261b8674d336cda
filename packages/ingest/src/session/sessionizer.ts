import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';
import { INGEST_STREAM } from '../stream/stream.ts';
import { fenceKey, leaseKey, RAW_PARTITIONS, rawStreamKey, SESSIONIZERS_KEY } from './raw-stream.ts';
import { loadScript, runScript } from './scripts.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS, SESSION_TTL_MS } from './session-store.ts';

const SESSIONIZE = loadScript('sessionize.lua');
const LEASE = loadScript('lease.lua');

export type SessionizerOptions = {
  redis: Redis;
  log: Logger;
  /** A lease not renewed for this long is free for another sessionizer to take. */
  leaseMs: number;
  /** Raw entries per script call; a call holds Redis for its whole batch (~10 µs a hit). */
  batch?: number;
  /** Longest wait for new raw entries before leases are looked at again. */
  idleWaitMs?: number;
  registry?: Registry;
  consumer?: string;
};

export type Sessionizer = {
  consumer: string;
  start: () => void;
  stop: () => Promise<void>;
  /** The partitions this sessionizer holds now (tests, metrics). */
  owned: () => number[];
  /** Raw hits it sessionized since it started, by outcome (tests, the benchmark). */
  metrics: () => Promise<{ applied: number; ignored: number; failed: number }>;
};

/**
 * Applies the raw hits of the partitions it leases to their visitors' sessions, a batch per script
 * call (sessionize.lua), and appends the resulting entries to the ingest stream the flusher drains.
 * Partitions are shared out among the sessionizers alive (a heartbeat in SESSIONIZERS_KEY): each
 * takes free leases up to its share and gives back what it holds beyond it, so two split the
 * partitions and one that dies leaves its partitions to the others once their leases run out.
 * A batch is one atomic script that checks the lease's fencing token first, so a sessionizer that
 * lost its lease (stalled past it) changes nothing, and one killed mid-batch leaves each raw entry
 * either untouched or fully applied.
 */
export function createSessionizer(options: SessionizerOptions): Sessionizer {
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const log = options.log.child({ component: 'sessionizer', consumer });
  const redis = options.redis.duplicate();
  // XREAD BLOCK holds its connection; the batches must not queue behind it.
  const waiter = options.redis.duplicate();
  // Connection errors surface as failed calls, which the loop logs and retries; the events would only
  // repeat them as "unhandled".
  for (const connection of [redis, waiter]) connection.on('error', () => undefined);
  const batch = options.batch ?? 500;
  const idleWaitMs = options.idleWaitMs ?? 250;
  const tickMs = Math.max(50, Math.floor(options.leaseMs / 4));
  const registers = options.registry ? [options.registry] : [];
  const hits = new Counter({
    name: 'sessionizer_hits_total',
    help: 'Raw hits sessionized: applied, ignored (a ping without a live session) or failed',
    labelNames: ['outcome'],
    registers,
  });
  const totals = { applied: 0, ignored: 0, failed: 0 };
  /** Partition → the holder string (consumer|fencing token) this sessionizer holds its lease as. */
  const held = new Map<number, string>();
  // Where to start looking for free partitions, so that sessionizers starting together do not all
  // reach for partition 0 first.
  const offset = Math.floor(Math.random() * RAW_PARTITIONS);
  let stopping = false;
  let loop: Promise<void> | undefined;
  let leasesCheckedAt = 0;

  async function lease(partition: number, mode: 'take' | 'release'): Promise<string | null | number> {
    return runScript(redis, LEASE, [leaseKey(partition), fenceKey(partition)], [consumer, options.leaseMs, mode]);
  }

  /** Heartbeat, renewals, then taking or giving back partitions to reach this sessionizer's share. */
  async function balance() {
    const now = Date.now();
    const [, , [, alive]] = ((await redis
      .multi()
      .zadd(SESSIONIZERS_KEY, now + options.leaseMs, consumer)
      .zremrangebyscore(SESSIONIZERS_KEY, '-inf', now)
      .zcard(SESSIONIZERS_KEY)
      .exec()) ?? [[], [], [null, 1]]) as [unknown, unknown, [unknown, number]];
    const share = Math.ceil(RAW_PARTITIONS / Math.max(1, Number(alive)));
    for (const partition of [...held.keys()]) {
      const holder = await lease(partition, 'take');
      if (holder === held.get(partition)) continue;
      held.delete(partition);
      log.warn({ partition }, 'lost the lease of a partition');
    }
    // Given back between batches only (the loop is not inside one here), highest first.
    for (const partition of [...held.keys()].sort((a, b) => b - a)) {
      if (held.size <= share) break;
      await lease(partition, 'release');
      held.delete(partition);
    }
    for (let i = 0; i < RAW_PARTITIONS && held.size < share; i++) {
      const partition = (offset + i) % RAW_PARTITIONS;
      if (held.has(partition)) continue;
      const holder = await lease(partition, 'take');
      if (typeof holder !== 'string') continue;
      held.set(partition, holder);
      log.info({ partition, holder }, 'took the lease of a partition');
    }
    leasesCheckedAt = Date.now();
  }

  /** One batch of each held partition, in one round trip; returns whether any batch was full. */
  async function round(): Promise<{ moved: number; more: boolean }> {
    const partitions = [...held.entries()];
    const replies = await Promise.all(
      partitions.map(([partition, holder]) =>
        runScript<(number | string)[]>(
          redis,
          SESSIONIZE,
          [INGEST_STREAM, rawStreamKey(partition), leaseKey(partition)],
          [holder, batch, SESSION_IDLE_MS, SESSION_MAX_MS, SESSION_TTL_MS],
        ),
      ),
    );
    let moved = 0;
    let more = false;
    replies.forEach((reply, i) => {
      const [partition] = partitions[i]!;
      const [applied = 0, ignored = 0, failed = 0, ...errors] = reply.map((v, j) => (j < 3 ? Number(v) : v)) as [
        number,
        number,
        number,
        ...(string | number)[],
      ];
      if (applied === -1) {
        held.delete(partition);
        log.warn({ partition }, 'lease taken over by another sessionizer; stopped sessionizing its partition');
        return;
      }
      const count = applied + ignored + failed;
      moved += count;
      if (count >= batch) more = true;
      totals.applied += applied;
      totals.ignored += ignored;
      totals.failed += failed;
      if (applied) hits.inc({ outcome: 'applied' }, applied);
      if (ignored) hits.inc({ outcome: 'ignored' }, ignored);
      if (failed) {
        hits.inc({ outcome: 'failed' }, failed);
        log.error({ partition, errors }, 'raw hits could not be sessionized and were dropped');
      }
    });
    return { moved, more };
  }

  /** Waits until a held partition has an entry (or idleWaitMs passes). */
  async function waitForHits() {
    const keys = [...held.keys()].map(rawStreamKey);
    if (keys.length === 0) return sleep(Math.min(idleWaitMs, tickMs));
    // From 0-0: returns at once when an entry is already there, blocks otherwise.
    await waiter.xread('COUNT', 1, 'BLOCK', Math.min(idleWaitMs, tickMs), 'STREAMS', ...keys, ...keys.map(() => '0-0'));
  }

  async function run() {
    let failures = 0;
    while (!stopping) {
      try {
        if (Date.now() - leasesCheckedAt >= tickMs) await balance();
        const { more } = await round();
        if (!more && !stopping) await waitForHits();
        failures = 0;
      } catch (error) {
        if (stopping) break;
        failures++;
        log.error({ err: error }, 'sessionizer loop failed');
        await sleep(Math.min(5_000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  return {
    consumer,
    owned: () => [...held.keys()].sort((a, b) => a - b),
    metrics: () => Promise.resolve({ ...totals }),
    start() {
      loop ??= run();
    },
    async stop() {
      stopping = true;
      waiter.disconnect();
      await loop;
      // Given back at once, so another sessionizer need not wait for the leases to run out.
      await Promise.all([...held.keys()].map((p) => lease(p, 'release'))).catch(() => undefined);
      await redis.zrem(SESSIONIZERS_KEY, consumer).catch(() => undefined);
      held.clear();
      redis.disconnect();
    },
  };
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
