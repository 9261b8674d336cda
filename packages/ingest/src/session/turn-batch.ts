import type { Redis } from 'ioredis';
import { createAcknowledgedWrites, type ReplicaAcknowledgement } from './acknowledged-writes.ts';
import { scriptCommand, type Script } from './scripts.ts';

/**
 * A batch leaves early once this many items wait: Redis starts on them while Node is still parsing
 * the requests that arrived in the same turn (measured under load: lower p99 and more hits/s than
 * waiting for the end of the turn, and fewer writes than sending each hit alone).
 */
const FLUSH_AT = 4;

/**
 * Items of one event-loop turn sent as one script call, each settled from the script's reply, with
 * one WAIT for the whole turn when `ack` asks for replicas (acknowledged-writes.ts). ioredis'
 * auto-pipelining batches writes too, but keeps one batch in flight per connection, so concurrent
 * hits waited for each other's round trip in lock step, Redis idling while Node parsed the next
 * requests and the other way round. Here a batch goes out at the end of each turn (or at FLUSH_AT
 * items), however many are in flight.
 */
export function createTurnBatcher<Item, Reply, Result>(options: {
  redis: Redis;
  ack: ReplicaAcknowledgement | undefined;
  script: Script;
  /** Keys and arguments of the call for these items. */
  call: (items: Item[]) => { keys: string[]; args: (string | number)[] };
  /** What item `index` resolves with (or the error it is rejected with), given the reply. */
  settle: (reply: Reply, index: number) => Result | Error;
  /** Items that send a batch before the turn ends (FLUSH_AT unless given). */
  flushAt?: number;
  /**
   * A turn that gathered fewer items than this waits one more turn before its batch is sent (0:
   * never waits). Under load the next turn's poll brings the requests that arrived meanwhile, and
   * fewer, larger calls cost less per item: on the request path each call is a socket write, a
   * reply to read and a script run, and turns of one to four hits were the rule (bench:ingest,
   * README). When nothing else is waiting the next turn comes at once (the loop does not block
   * while an immediate is pending), so an idle server adds no measurable delay.
   */
  holdBelow?: number;
}) {
  const flushAt = options.flushAt ?? FLUSH_AT;
  const holdBelow = options.holdBelow ?? 0;
  const writes = createAcknowledgedWrites(options.redis, options.ack);
  type Waiting = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  const send = (how: 'evalsha' | 'eval', batch: Waiting[]) => {
    const { keys, args } = options.call(batch.map((w) => w.item));
    // A bare command: through ioredis' auto-pipelining it would wait for the batch before it to come
    // back, and an explicit pipeline costs an object, a promise and a result list per call.
    return writes.send<Reply>(scriptCommand(options.script, how, keys, args));
  };
  const settle = (batch: Waiting[]) => (reply: Reply) =>
    batch.forEach((waiting, i) => {
      const result = options.settle(reply, i);
      if (result instanceof Error) waiting.reject(result);
      else waiting.resolve(result);
    });
  const refuse = (batch: Waiting[]) => (error: unknown) => batch.forEach((waiting) => waiting.reject(error));
  const flush = () => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    send('evalsha', batch).then(settle(batch), (error: unknown) =>
      // The first call after a Redis restart (or on a new primary) loads the script.
      error instanceof Error && error.message.includes('NOSCRIPT')
        ? (send('eval', batch).then(settle(batch), refuse(batch)), writes.seal())
        : refuse(batch)(error),
    );
  };
  let turnEnds = false;
  let held = false;
  const endTurn = () => {
    if (!held && queue.length > 0 && queue.length < holdBelow) {
      held = true;
      writes.seal(); // batches sent during this turn (at flushAt) are not held back
      setImmediate(endTurn);
      return;
    }
    held = false;
    turnEnds = false;
    flush();
    writes.seal();
  };

  return function add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      if (!turnEnds) {
        turnEnds = true;
        setImmediate(endTurn);
      }
      queue.push({ item, resolve, reject });
      if (queue.length >= flushAt) flush();
    });
  };
}
