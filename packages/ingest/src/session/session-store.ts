import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import { Command, type Redis } from 'ioredis';
import type { HitMembers } from '../rows/hit-members.ts';
import { INGEST_STREAM } from '../stream/stream.ts';
import { createAcknowledgedWrites, type ReplicaAcknowledgement } from './acknowledged-writes.ts';

const LUA = fs.readFileSync(new URL('./session.lua', import.meta.url), 'utf8');
const SHA = createHash('sha1').update(LUA).digest('hex');

/**
 * A batch leaves early once this many hits wait: Redis starts on them while Node is still parsing
 * the requests that arrived in the same turn (measured under load: lower p99 and more hits/s than
 * waiting for the end of the turn, and fewer writes than sending each hit alone).
 */
const FLUSH_AT = 4;

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 24 * 60 * 60_000;

export type SessionUpdate = {
  kind: 'page_view' | 'event' | 'session';
  siteId: string;
  visitorId: string;
  /** The same visitor under the previous day's salt, so a visit spanning midnight stays one. */
  previousVisitorId: string | undefined;
  time: Date;
  /** Referrer and campaign of this hit (see sourceKey); '' when it names neither. */
  sourceKey: string;
  interactive: boolean;
  /** The hit's columns, serialized (see hit-members.ts); the pipeline, the seeder and fixtures all build them so. */
  members: HitMembers;
};

/**
 * Applies one hit to its visitor's session in Redis and appends what the flusher needs for its rows
 * (session cancel/state pair, page view or event) to the ingest stream, atomically (see session.lua).
 * Returns false for a session ping without a live session. With `ack`, an update resolves only once
 * that many replicas hold it (one WAIT per event-loop turn, see acknowledged-writes.ts).
 */
export function createSessionStore(redis: Redis, ack?: ReplicaAcknowledgement) {
  const writes = createAcknowledgedWrites(redis, ack);
  // Hits waiting for the next call: ioredis' auto-pipelining batches writes too, but keeps one
  // batch in flight per connection, so concurrent hits waited for each other's round trip in lock
  // step, Redis idling while Node parsed the next requests and the other way round. Here a batch
  // goes out at the end of each event-loop turn (or at FLUSH_AT hits), however many are in flight,
  // as one script call for all its hits.
  type Waiting = {
    keys: [string, string];
    args: string[];
    resolve: (applied: boolean) => void;
    reject: (error: unknown) => void;
  };
  let queue: Waiting[] = [];
  const call = (script: 'evalsha' | 'eval', batch: Waiting[]) => {
    const keys: string[] = [INGEST_STREAM];
    const args: (string | number)[] = [SESSION_IDLE_MS, SESSION_MAX_MS, SESSION_IDLE_MS + 60_000];
    for (const item of batch) keys.push(...item.keys);
    for (const item of batch) args.push(...item.args);
    // Sent as a bare command: through ioredis' auto-pipelining it would wait for the batch before it
    // to come back, and an explicit pipeline costs an object, a promise and a result list per call
    // (measured: ~10% more hits/s under the bench load without it).
    const command = new Command(script, [script === 'evalsha' ? SHA : LUA, keys.length, ...keys, ...args], {
      replyEncoding: 'utf8',
    });
    return writes.send<(number | string)[]>(command);
  };
  const settle = (batch: Waiting[]) => (results: (number | string)[]) =>
    batch.forEach((item, i) => {
      const result = results[i];
      if (typeof result === 'number') item.resolve(result === 1);
      else item.reject(new Error(`session update failed: ${String(result)}`));
    });
  const refuse = (batch: Waiting[]) => (error: unknown) => batch.forEach((item) => item.reject(error));
  const flush = () => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    call('evalsha', batch).then(settle(batch), (error: unknown) =>
      // The first call after a Redis restart (or on a new server) loads the script.
      error instanceof Error && error.message.includes('NOSCRIPT')
        ? (call('eval', batch).then(settle(batch), refuse(batch)), writes.seal())
        : refuse(batch)(error),
    );
  };
  let turnEnds = false;
  const endTurn = () => {
    turnEnds = false;
    flush();
    writes.seal();
  };

  return function updateSession(update: SessionUpdate): Promise<boolean> {
    const { members } = update;
    // Few long arguments (see session.lua): the hit's short values and its page travel as one.
    const hit = `${update.kind}\u001f${update.time.getTime()}\u001f${members.time}\u001f${randomInt(1, 2 ** 32 - 1)}\u001f${update.interactive ? 1 : 0}\u001f${members.path}\u001f${members.title}`;
    const args = [hit, update.sourceKey, members.shared, members.session, members.row];
    return new Promise<boolean>((resolve, reject) => {
      if (!turnEnds) {
        turnEnds = true;
        setImmediate(endTurn);
      }
      queue.push({
        keys: [
          sessionKey(update.siteId, update.visitorId),
          sessionKey(update.siteId, update.previousVisitorId ?? update.visitorId),
        ],
        args,
        resolve,
        reject,
      });
      if (queue.length >= FLUSH_AT) flush();
    });
  };
}

function sessionKey(siteId: string, visitorId: string): string {
  return `spur:s:${siteId}:${visitorId}`;
}
