import type { ChainableCommander, Redis } from 'ioredis';
import { FLUSH_GROUP, INGEST_STREAM } from '../stream/stream.ts';
import { fieldsOf, type StreamEntry } from './stream-rows.ts';

/**
 * Where a consumer records each batch it flushes, before inserting it: first entry id → last entry
 * id. A consumer can hold two batches at once (the one being inserted and the next, already
 * read), and a batch inserted again must be cut exactly as the first time for its deduplication
 * tokens to match; the record is how whoever takes the entries over knows the cuts.
 */
export const batchesKey = (consumer: string) => `spur:ingest:batches:${consumer}`;
/** Records of consumers that vanished between claiming and cleaning up must not stay forever. */
const RECORD_TTL_MS = 7 * 86_400_000;

export function recordBatch(multi: ChainableCommander, consumer: string, batch: StreamEntry[]): ChainableCommander {
  return multi.hset(batchesKey(consumer), batch[0]![0], batch.at(-1)![0]).pexpire(batchesKey(consumer), RECORD_TTL_MS);
}

/**
 * Finds a consumer whose pending entries have all been idle for `idleMs` (it died, or lost its
 * connection), claims all of them and returns them cut into the batches it recorded (entries it
 * had read but not started on form one more). Each batch is inserted again whole, never merged
 * with another or split, which is what makes the retry send the same deduplication tokens as the
 * original attempt. The records become the claimer's before the entries do, so a claimer dying
 * half-way leaves them recorded under one of the two names.
 */
export async function claimFromDeadConsumers(redis: Redis, me: string, idleMs: number): Promise<StreamEntry[][]> {
  const consumers = (await redis.xinfo('CONSUMERS', INGEST_STREAM, FLUSH_GROUP)) as unknown[][];
  for (const info of consumers) {
    const c = fieldsOf(info);
    const name = String(c.name);
    if (name === me) continue;
    if (Number(c.pending) === 0) {
      // A consumer with nothing pending that has been gone a long time is forgotten.
      if (Number(c.inactive ?? c.idle) > idleMs * 10)
        await redis.xgroup('DELCONSUMER', INGEST_STREAM, FLUSH_GROUP, name);
      continue;
    }
    const pending = (await redis.xpending(INGEST_STREAM, FLUSH_GROUP, '-', '+', 1_000_000, name)) as [
      string,
      string,
      number,
      number,
    ][];
    if (pending.length === 0 || pending.some(([, , idle]) => idle < idleMs)) continue;
    const ids = pending.map(([id]) => id);
    const recorded = await redis.hgetall(batchesKey(name));
    if (Object.keys(recorded).length > 0)
      await redis.multi().hset(batchesKey(me), recorded).pexpire(batchesKey(me), RECORD_TTL_MS).exec();
    const claimed = (await redis.xclaim(INGEST_STREAM, FLUSH_GROUP, me, idleMs, ...ids)) as (StreamEntry | null)[];
    const entries: StreamEntry[] = [];
    const deleted: string[] = [];
    for (const [i, item] of claimed.entries()) {
      if (item) entries.push(item);
      else deleted.push(ids[i]!);
    }
    if (deleted.length > 0) await redis.xack(INGEST_STREAM, FLUSH_GROUP, ...deleted);
    const batches = splitBatches(entries, recorded);
    const mine = redis.multi();
    for (const batch of batches) recordBatch(mine, me, batch);
    await mine.del(batchesKey(name)).exec();
    await redis.xgroup('DELCONSUMER', INGEST_STREAM, FLUSH_GROUP, name).catch(() => undefined);
    if (batches.length > 0) return batches;
  }
  return [];
}

/**
 * Everything pending to `me`, cut into the batches it recorded (the unrecorded rest is one more).
 * After a failure that may have been a lost connection (a Redis failover), a reply may have gone
 * missing: entries delivered to us that we never saw, or an acknowledgement the promoted replica
 * never got. Nobody takes entries from a live consumer, so it takes them back itself, whole as
 * recorded, to flush them again with the same tokens (ClickHouse drops what it already has).
 */
export async function takeOwnPending(redis: Redis, me: string): Promise<StreamEntry[][]> {
  const pending = (await redis.xpending(INGEST_STREAM, FLUSH_GROUP, '-', '+', 1_000_000, me)) as [
    string,
    ...unknown[],
  ][];
  if (pending.length === 0) return [];
  const ids = pending.map(([id]) => id);
  const recorded = await redis.hgetall(batchesKey(me));
  const claimed = (await redis.xclaim(INGEST_STREAM, FLUSH_GROUP, me, 0, ...ids)) as (StreamEntry | null)[];
  const entries = claimed.filter((item): item is StreamEntry => item !== null);
  const deleted = ids.filter((_, i) => claimed[i] === null);
  if (deleted.length > 0) await redis.xack(INGEST_STREAM, FLUSH_GROUP, ...deleted);
  const batches = splitBatches(entries, recorded);
  const mine = redis.multi();
  for (const batch of batches) recordBatch(mine, me, batch);
  await mine.exec();
  return batches;
}

/**
 * Entries cut along recorded batches (first id → last id); the unrecorded rest is one more batch. In
 * stream order. Records of flushers before 2026-12-02 carry a count after the last id, ignored.
 */
export function splitBatches(entries: StreamEntry[], recorded: Record<string, string>): StreamEntry[][] {
  const ranges = Object.entries(recorded).map(([first, value]) => ({ first, last: value.split(' ')[0]! }));
  const batches: StreamEntry[][] = ranges.map(() => []);
  const rest: StreamEntry[] = [];
  for (const entry of entries) {
    const at = ranges.findIndex((r) => compareIds(r.first, entry[0]) <= 0 && compareIds(entry[0], r.last) <= 0);
    (at === -1 ? rest : batches[at]!).push(entry);
  }
  return [...batches, rest].filter((batch) => batch.length > 0).sort((a, b) => compareIds(a[0]![0], b[0]![0]));
}

/** Stream ids (`<ms>-<seq>`) in stream order. */
function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aSeq - bSeq;
}
