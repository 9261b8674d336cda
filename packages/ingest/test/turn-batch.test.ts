import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStores, type TestStores } from '@spur/testkit';
import { loadScript } from '../src/session/scripts.ts';
import { createTurnBatcher } from '../src/session/turn-batch.ts';

/**
 * The request path's batching of raw appends (turn-batch.ts): one script call per event-loop turn,
 * and with `holdBelow` a turn of few items waits one more turn for the next turn's.
 */
let t: TestStores;
const SCRIPT = loadScript('raw-append.lua');
beforeAll(async () => {
  t = await startTestStores({ migrate: false });
  // Loaded beforehand: a first call answered NOSCRIPT is sent again (EVAL), which would count twice.
  await t.stores.redis.script('LOAD', SCRIPT.lua);
});
afterAll(() => t?.close());

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A batcher over the real raw-append script; `calls` lists the items of each script call it sent. */
function batcher(options: { holdBelow?: number; flushAt?: number }) {
  const calls: string[][] = [];
  const add = createTurnBatcher<string, (number | string)[], string>({
    redis: t.stores.redis,
    ack: undefined,
    script: SCRIPT,
    ...options,
    call: (items) => {
      calls.push(items);
      return { keys: items.map(() => 'test:turn-batch'), args: items };
    },
    settle: (reply, i) => (reply[i] === 1 ? `stored ${String(i)}` : new Error(String(reply[i]))),
  });
  return { add, calls };
}

describe('the turn batcher', () => {
  it('when two turns each bring one item, then without a hold they are two calls and with one they are one, each item answered from it', async () => {
    for (const [holdBelow, expected] of [
      [0, [['a'], ['b']]],
      [8, [['a', 'b']]],
    ] as const) {
      const { add, calls } = batcher({ holdBelow });
      const first = add('a');
      await nextTurn();
      const second = add('b');
      expect(await Promise.all([first, second])).toEqual(
        holdBelow ? ['stored 0', 'stored 1'] : ['stored 0', 'stored 0'],
      );
      expect(calls).toEqual(expected);
    }
  });

  it('when a turn brings as many items as the hold asks for, then they leave at its end; a held turn waits one turn, not two', async () => {
    const { add, calls } = batcher({ holdBelow: 3 });
    const full = Promise.all([add('a'), add('b'), add('c')]);
    await nextTurn();
    expect(calls).toEqual([['a', 'b', 'c']]);
    await full;

    const held = add('d');
    await nextTurn();
    const joined = add('e');
    await nextTurn();
    const alone = add('f');
    await Promise.all([held, joined, alone]);
    expect(calls).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f']]);
  });

  it('when flushAt items arrive within a held turn, then they leave at once', async () => {
    const { add, calls } = batcher({ holdBelow: 8, flushAt: 2 });
    const answers = Promise.all([add('a'), add('b'), add('c')]);
    expect(calls).toEqual([['a', 'b']]);
    expect(await answers).toEqual(['stored 0', 'stored 1', 'stored 0']);
    expect(calls).toEqual([['a', 'b'], ['c']]);
  });
});
