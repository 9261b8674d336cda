import { Command, type Redis } from 'ioredis';

/** How many replicas must hold a write before it is acknowledged, and how long to wait for them. */
export type ReplicaAcknowledgement = { replicas: number; timeoutMs: number };

/**
 * A write that may or may not have been applied: no replica confirmed it in time, or the connection
 * dropped with the write in flight. The caller answers 503 + Retry-After; a client that resends may
 * count the hit twice, which is the price of never answering 202 for a hit a failover could lose.
 */
export class UnacknowledgedWriteError extends Error {
  override name = 'UnacknowledgedWriteError';
}

/**
 * Sends writes that a client is told are stored, holding each reply until Redis confirms that
 * `replicas` replicas have it (WAIT). One WAIT covers every write sent on the connection before it,
 * so the session store sends all writes of an event-loop turn and then calls `seal()` once.
 *
 * On a connection that does not resend (storage's `openAcknowledgedWriter`) a write that was on the
 * wire when the connection dropped is failed here: ioredis would otherwise leave it unsettled.
 * Writes still in the offline queue go out after the reconnect, which is safe: they never ran.
 */
export function createAcknowledgedWrites(redis: Redis, ack: ReplicaAcknowledgement | undefined) {
  type Cover = { resolve: () => void; reject: (error: unknown) => void };
  type InFlight = { sent: boolean; reject: (error: unknown) => void };
  const replicas = ack?.replicas ?? 0;
  let uncovered: Cover[] = [];
  const inFlight = new Set<InFlight>();
  const tracking = redis.options.autoResendUnfulfilledCommands === false;
  if (tracking) {
    // The offline queue is written out right after 'ready'.
    redis.on('ready', () => inFlight.forEach((item) => (item.sent = true)));
    redis.on('close', () => {
      for (const item of inFlight) {
        if (!item.sent) continue;
        inFlight.delete(item);
        item.reject(new UnacknowledgedWriteError('the connection to Redis dropped with the write in flight'));
      }
    });
  }

  function sendTracked<T>(command: Command): Promise<T> {
    const reply = redis.sendCommand(command) as Promise<T>;
    if (!tracking) return reply;
    return new Promise<T>((resolve, reject) => {
      const item: InFlight = { sent: redis.status === 'ready', reject };
      inFlight.add(item);
      reply.then(
        (value) => {
          inFlight.delete(item);
          resolve(value);
        },
        (error: unknown) => {
          inFlight.delete(item);
          reject(error);
        },
      );
    });
  }

  return {
    /** Sends a write; resolves with its reply once the WAIT after it (see `seal`) is satisfied. */
    send<T>(command: Command): Promise<T> {
      const reply = sendTracked<T>(command);
      if (replicas === 0) return reply;
      const covered = new Promise<void>((resolve, reject) => uncovered.push({ resolve, reject }));
      return Promise.all([reply, covered]).then(([value]) => value);
    },
    /** One WAIT for every write sent since the last one; call it after the last write of a turn. */
    seal(): void {
      if (uncovered.length === 0) return;
      const waiting = uncovered;
      uncovered = [];
      const wait = new Command('wait', [replicas, ack!.timeoutMs]);
      sendTracked<number>(wait).then(
        (acknowledged) => {
          if (acknowledged >= replicas) return waiting.forEach((w) => w.resolve());
          const error = new UnacknowledgedWriteError(
            `${acknowledged} of ${replicas} Redis replicas acknowledged within ${ack!.timeoutMs} ms`,
          );
          waiting.forEach((w) => w.reject(error));
        },
        (error: unknown) => waiting.forEach((w) => w.reject(error)),
      );
    },
  };
}
