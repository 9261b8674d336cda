import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HitMembers } from '../rows/hit-members.ts';
import { INGEST_STREAM } from '../stream/stream.ts';
import type { ReplicaAcknowledgement } from './acknowledged-writes.ts';
import { loadScript } from './scripts.ts';
import { createTurnBatcher } from './turn-batch.ts';

const SCRIPT = loadScript('session.lua');

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 24 * 60 * 60_000;
/** Session state outlives the idle time a little, so a hit just past it still finds (and ends) it. */
export const SESSION_TTL_MS = SESSION_IDLE_MS + 60_000;

export type SessionUpdate = {
  kind: 'page_view' | 'event' | 'session';
  siteId: string;
  visitorId: string;
  /** The same visitor under the previous day's salt, so a visit spanning midnight stays one. */
  previousVisitorId: string | undefined;
  /** Its raw partition (raw-stream.ts' visitorPartition); hits handed over without an address use the visitor id's. */
  partition?: number;
  time: Date;
  /** Referrer and campaign of this hit (see sourceKey); '' when it names neither. */
  sourceKey: string;
  interactive: boolean;
  /** The hit's columns, serialized (see hit-members.ts); the pipeline, the seeder and fixtures all build them so. */
  members: HitMembers;
};

/** Few long arguments (see session-rules.lua): the hit's short values and its page travel as one. */
export function hitArgument(update: SessionUpdate): string {
  const { members } = update;
  return `${update.kind}\u001f${update.time.getTime()}\u001f${members.time}\u001f${randomInt(1, 2 ** 32 - 1)}\u001f${update.interactive ? 1 : 0}\u001f${members.path}\u001f${members.title}`;
}

export function sessionKey(siteId: string, visitorId: string): string {
  return `spur:s:${siteId}:${visitorId}`;
}

/**
 * Applies one hit to its visitor's session in Redis and appends what the flusher needs for its rows
 * (session cancel/state pair, page view or event) to the ingest stream, atomically (see session.lua).
 * Returns false for a session ping without a live session. Live traffic does not come through here
 * (it is appended raw and sessionized downstream, see hit-appender.ts and sessionizer.ts): this is
 * for hits handed over whole, by the demo traffic, the seeders and test fixtures. With `ack`, an
 * update resolves only once that many replicas hold it (one WAIT per event-loop turn).
 */
export function createSessionStore(redis: Redis, ack?: ReplicaAcknowledgement) {
  return createTurnBatcher<SessionUpdate, (number | string)[], boolean>({
    redis,
    ack,
    script: SCRIPT,
    call: (updates) => {
      const keys: string[] = [INGEST_STREAM];
      const args: (string | number)[] = [SESSION_IDLE_MS, SESSION_MAX_MS, SESSION_TTL_MS];
      for (const u of updates)
        keys.push(sessionKey(u.siteId, u.visitorId), sessionKey(u.siteId, u.previousVisitorId ?? u.visitorId));
      for (const u of updates)
        args.push(hitArgument(u), u.sourceKey, u.members.shared, u.members.session, u.members.row);
      return { keys, args };
    },
    settle: (results, i) => {
      const result = results[i];
      return typeof result === 'number' ? result === 1 : new Error(`session update failed: ${String(result)}`);
    },
  });
}
