import type { Redis } from 'ioredis';
import { FLUSH_GROUP, INGEST_STREAM } from '../stream/stream.ts';
import type { StreamEntry } from './stream-rows.ts';

/**
 * Finds a consumer whose whole pending batch has been idle for `idleMs` (it died, or lost its
 * connection) and claims exactly that batch. Taking the batch whole, never a part of it, is what
 * makes the retry produce the same deduplication tokens as the original attempt.
 */
export async function claimFromDeadConsumers(redis: Redis, me: string, idleMs: number): Promise<StreamEntry[]> {
  const consumers = (await redis.xinfo('CONSUMERS', INGEST_STREAM, FLUSH_GROUP)) as unknown[][];
  for (const info of consumers) {
    const c = fieldsOf(info);
    const name = String(c.name);
    if (name === me) continue;
    if (Number(c.pending) === 0) {
      // A consumer with nothing pending that has been gone a long time is forgotten.
      if (Number(c.inactive ?? c.idle) > idleMs * 10) await redis.xgroup('DELCONSUMER', INGEST_STREAM, FLUSH_GROUP, name);
      continue;
    }
    const pending = (await redis.xpending(INGEST_STREAM, FLUSH_GROUP, '-', '+', 1_000_000, name)) as [string, string, number, number][];
    if (pending.length === 0 || pending.some(([, , idle]) => idle < idleMs)) continue;
    const ids = pending.map(([id]) => id);
    const claimed = (await redis.xclaim(INGEST_STREAM, FLUSH_GROUP, me, idleMs, ...ids)) as (StreamEntry | null)[];
    const entries: StreamEntry[] = [];
    const deleted: string[] = [];
    for (const [i, item] of claimed.entries()) {
      if (item) entries.push(item);
      else deleted.push(ids[i]!);
    }
    if (deleted.length > 0) await redis.xack(INGEST_STREAM, FLUSH_GROUP, ...deleted);
    await redis.xgroup('DELCONSUMER', INGEST_STREAM, FLUSH_GROUP, name).catch(() => undefined);
    if (entries.length > 0) return entries;
  }
  return [];
}

function fieldsOf(list: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1];
  return out;
}
