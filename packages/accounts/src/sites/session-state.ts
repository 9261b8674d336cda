import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Redis } from '@spur/storage';

/**
 * What ingest keeps in Redis for a site while its statistics are deleted. Ingest depends on
 * accounts (never the other way round), so the names it shares with a deletion live here and
 * ingest imports them, like `SITE_SETTINGS_CHANNEL`.
 *
 * Deleting a site's rows from ClickHouse while Redis still held its visitors' sessions, and the
 * stream still held their unflushed entries, turned counts negative (issue 13): the next hit of a
 * visit wrote the cancel row (-1) of a state row that was gone. So a deletion first has flushers
 * drop the period's entries, deletes the rows, then forgets the period's sessions in Redis and sets
 * the cutoff up to which flushers go on dropping (see statistics-deletion.service.ts).
 */
export const INGEST_STREAM_KEY = 'spur:ingest';
/**
 * Raw partition streams `spur:ingest:raw:<p>`, p < RAW_PARTITIONS: hits answered but not yet
 * sessionized (ingest's raw-stream.ts). A deletion waits for them too.
 */
export const RAW_STREAM_PREFIX = 'spur:ingest:raw:';
export const RAW_PARTITIONS = 16;
/** A visitor's session: `spur:s:<site>:<visitor>` (a hash, see ingest's session.lua). */
export const SESSION_KEY_PREFIX = 'spur:s:';
/** Deletions whose cutoff the stream has not passed yet: field per deletion, value `site,from,to,cutoff`. */
export const STATISTICS_DELETIONS_KEY = 'spur:ingest:deletions';

/**
 * A deletion as flushers see it: entries of `siteId` whose visit started in [from, to) and whose id
 * is at most `cutoff` are dropped; while the deletion runs there is no cutoff yet (every such entry).
 */
export type StatisticsDeletion = { siteId: string; from: number; to: number; cutoff: string | undefined };

const SCRIPT = fs.readFileSync(new URL('./forget-sessions.lua', import.meta.url), 'utf8');

/** An open deletion whose owner died (it never closed) counts as closed at its start after this long. */
const OPEN_AT_MOST_MS = 15 * 60_000;

export type OpenDeletion = {
  /** The stream's last id when the deletion began: inserts of entries up to it may still be running. */
  startedAt: string;
  /** Forgets the period's live sessions and sets the cutoff; returns it and how many sessions went. */
  close: () => Promise<{ cutoff: string; forgotten: number }>;
};

/** Starts a deletion of the site's visits that started in the period (all without one): see forget-sessions.lua. */
export async function openDeletion(
  redis: Redis,
  siteId: string,
  period?: { from: Date; to: Date },
): Promise<OpenDeletion> {
  const field = `${siteId}:${randomUUID()}`;
  const [from, to] = period ? [String(period.from.getTime()), String(period.to.getTime())] : ['', ''];
  const args = [field, `${siteId},${from},${to}`, `${SESSION_KEY_PREFIX}${siteId}:`, from, to];
  const call = (mode: 'open' | 'close', ...extra: string[]) =>
    redis.eval(SCRIPT, 2, INGEST_STREAM_KEY, STATISTICS_DELETIONS_KEY, mode, ...args, ...extra);
  const startedAt = (await call('open', String(Date.now() + OPEN_AT_MOST_MS))) as string;
  return {
    startedAt,
    close: async () => {
      const [cutoff, forgotten] = (await call('close')) as [string, number];
      return { cutoff, forgotten };
    },
  };
}

/** Stream ids `ms-seq` in order. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

/**
 * The deletions flushers must still apply. A closed one whose cutoff is older than the stream's
 * oldest entry has no entry left to apply to (ids only grow; a batch in a flusher's hands stays in
 * the stream until it is acknowledged) and is removed.
 */
export async function activeDeletions(redis: Redis): Promise<StatisticsDeletion[]> {
  const recorded = await redis.hgetall(STATISTICS_DELETIONS_KEY);
  const fields = Object.keys(recorded);
  if (fields.length === 0) return [];
  const oldest = ((await redis.xrange(INGEST_STREAM_KEY, '-', '+', 'COUNT', 1)) as [string, string[]][])[0]?.[0];
  const active: StatisticsDeletion[] = [];
  const done: string[] = [];
  for (const field of fields) {
    const [siteId = '', from = '', to = '', recordedCutoff = '0-0'] = recorded[field]!.split(',');
    let cutoff: string | undefined = recordedCutoff;
    if (recordedCutoff.startsWith('open:')) {
      const [, startedAt = '0-0', deadline = '0'] = recordedCutoff.split(':');
      cutoff = Date.now() > Number(deadline) ? startedAt : undefined;
    }
    if (cutoff !== undefined && (oldest === undefined || compareStreamIds(cutoff, oldest) < 0)) done.push(field);
    else
      active.push({
        siteId,
        from: from === '' ? -Infinity : Number(from),
        to: to === '' ? Infinity : Number(to),
        cutoff,
      });
  }
  if (done.length > 0) await redis.hdel(STATISTICS_DELETIONS_KEY, ...done);
  return active;
}

/** Whether an entry (its stream id, site and the start of its visit in ms) falls under a deletion. */
export function isDeletedEntry(
  deletions: readonly StatisticsDeletion[],
  entry: { id: string; siteId: string; start: number },
): boolean {
  return deletions.some(
    (d) =>
      d.siteId === entry.siteId &&
      // Without a period, every entry of the site goes, also one whose time could not be read.
      ((d.from === -Infinity && d.to === Infinity) || (entry.start >= d.from && entry.start < d.to)) &&
      (d.cutoff === undefined || compareStreamIds(entry.id, d.cutoff) <= 0),
  );
}

/**
 * Resolves true once every stream entry up to `cutoff` is gone (inserted or dropped by a flusher),
 * false after `timeoutMs` (no flusher running, or ClickHouse away: those entries will be dropped
 * whenever a flusher reads them, since the deletion is recorded).
 */
export async function waitForStreamPast(redis: Redis, cutoff: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const oldest = ((await redis.xrange(INGEST_STREAM_KEY, '-', '+', 'COUNT', 1)) as [string, string[]][])[0]?.[0];
    if (oldest === undefined || compareStreamIds(oldest, cutoff) > 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Resolves true once no raw partition stream holds a hit Redis received up to now, that is once
 * sessionizers have turned every such hit into stream entries, false after `timeoutMs` (no
 * sessionizer running). A deletion asks this before it closes: a hit of the period still raw then
 * would otherwise reach the stream only after the cutoff and be inserted as a new visit.
 */
export async function waitForRawDrained(redis: Redis, timeoutMs: number): Promise<boolean> {
  const [seconds, micros] = (await redis.time()) as [string | number, string | number];
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const keys = Array.from({ length: RAW_PARTITIONS }, (_, p) => `${RAW_STREAM_PREFIX}${p}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.xrange(key, '-', '+', 'COUNT', 1);
    const replies = (await pipeline.exec()) ?? [];
    const waiting = replies.some(([error, entries]) => {
      if (error) throw error;
      const oldest = (entries as [string, string[]][])[0]?.[0];
      return oldest !== undefined && Number(oldest.split('-')[0]) <= now;
    });
    if (!waiting) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
