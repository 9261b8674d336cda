import type { Redis } from 'ioredis';
import type { ReplicaAcknowledgement } from './acknowledged-writes.ts';
import { partitionOf, rawStreamKey } from './raw-stream.ts';
import { loadScript } from './scripts.ts';
import { hitArgument, sessionKey, type SessionUpdate } from './session-store.ts';
import { createTurnBatcher } from './turn-batch.ts';

const SCRIPT = loadScript('raw-append.lua');

/**
 * The request path's write: a hit appended to its visitor's raw partition stream (raw-append.lua),
 * the hits of an event-loop turn in one call, resolved once Redis holds them (and, with `ack`, once
 * that many replicas do: one WAIT per turn). The session is computed later, by a sessionizer
 * (sessionizer.ts); nothing here reads state, so nothing here waits for another hit.
 * The entry holds what the session rules need and nothing else: the visitor id is the salted hash
 * the pipeline computed, never the address it came from.
 */
export function createHitAppender(redis: Redis, ack?: ReplicaAcknowledgement) {
  return createTurnBatcher<SessionUpdate, (number | string)[], void>({
    redis,
    ack,
    script: SCRIPT,
    // One call per event-loop turn, however many hits it holds: an append costs Redis a few µs, so
    // starting early (as the session store does) gains little, and every call is a socket write,
    // the largest single cost of a hit in Node's profile (bench:ingest, README).
    flushAt: 256,
    // ... and a turn of few hits waits for the next turn's (measured: about a tenth less CPU per hit
    // on the request path and a tenth more hits a second under load, bench:ingest, README).
    holdBelow: 8,
    call: (updates) => {
      const keys: string[] = [];
      const args: string[] = [];
      for (const u of updates) {
        keys.push(rawStreamKey(u.partition ?? partitionOf(u.siteId, u.visitorId)));
        const today = sessionKey(u.siteId, u.visitorId);
        const yesterday =
          u.previousVisitorId === undefined || u.previousVisitorId === u.visitorId
            ? ''
            : sessionKey(u.siteId, u.previousVisitorId);
        args.push(
          `${today}\u001d${yesterday}\u001d${hitArgument(u)}\u001d${u.sourceKey}\u001d${u.members.shared}\u001d${u.members.session}\u001d${u.members.row}`,
        );
      }
      return { keys, args };
    },
    settle: (results, i) => (results[i] === 1 ? undefined : new Error(`raw append failed: ${String(results[i])}`)),
  });
}
