import type { Redis } from 'ioredis';
import { RAW_PARTITIONS, RAW_STREAM_PREFIX as RAW_PREFIX } from '@spur/accounts';
import { INGEST_STREAM } from '../stream/stream.ts';

/**
 * Raw partition streams: where the request path holds a hit until a sessionizer applies it to its
 * visitor's session (sessionizer.ts). A visitor's hits always land in the same partition, in the
 * order Redis received them, so one sessionizer at a time applies them in order; partitions are
 * what sessionizers share out. The number is fixed (backends and sessionizers must agree) and
 * bounds how many sessionizers can work at once.
 */
export { RAW_PARTITIONS } from '@spur/accounts';

export const rawStreamKey = (partition: number) => `${RAW_PREFIX}${partition}`;
export const leaseKey = (partition: number) => `${RAW_PREFIX}${partition}:lease`;
export const fenceKey = (partition: number) => `${RAW_PREFIX}${partition}:fence`;
export const RAW_STREAMS = Array.from({ length: RAW_PARTITIONS }, (_, p) => rawStreamKey(p));
/** The sessionizers alive, a sorted set scored by the time their heartbeat runs out. */
export const SESSIONIZERS_KEY = 'spur:ingest:sessionizers';

/**
 * FNV-1a over its parts (site and visitor, or site, address and user agent): cheap, and spreads
 * ids that differ in their last digits.
 */
export function partitionOf(...parts: string[]): number {
  let hash = 0x811c9dc5;
  for (const text of parts) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0x3a, 0x01000193);
  }
  return (hash >>> 0) % RAW_PARTITIONS;
}

/**
 * A visitor's partition as the request path picks it: from site, address and user agent, not from
 * the visitor id, which changes with the daily salt. At midnight a visit goes on under yesterday's
 * id (session-rules.lua); were the partition the id's, its last hit before midnight and its first
 * after could sit in two partitions, and a sessionizer applying the second before another applied
 * the first would split the visit. Four bits of an address's hash, never stored beyond the stream's
 * key, say nothing about anyone.
 */
export const visitorPartition = (siteId: string, ip: string, userAgent: string): number =>
  partitionOf(siteId, ip, userAgent);

/**
 * Everything that waits between a 202 and ClickHouse: raw hits not yet sessionized plus the ingest
 * stream's entries, read in one MULTI so that an entry moving from one to the other between two
 * reads is neither missed nor counted twice.
 */
export async function ingestBacklog(redis: Redis): Promise<{ raw: number; stream: number; total: number }> {
  const multi = redis.multi();
  for (const key of RAW_STREAMS) multi.xlen(key);
  multi.xlen(INGEST_STREAM);
  const replies = (await multi.exec()) ?? [];
  const lengths = replies.map(([error, n]) => {
    if (error) throw error;
    return Number(n);
  });
  const stream = lengths.pop() ?? 0;
  const raw = lengths.reduce((a, b) => a + b, 0);
  return { raw, stream, total: raw + stream };
}
