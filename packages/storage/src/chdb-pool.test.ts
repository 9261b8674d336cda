import { describe, expect, it } from 'vitest';
import { chdbSessionPool } from './chdb-pool.ts';

/** Sessions that record what they ran and answer when told (the real engine is in clickhouse-reader.test.ts). */
function recordingSessions() {
  const ran: { session: number; query: string; answer: (fail?: boolean) => void }[] = [];
  let opened = 0;
  const open = () => {
    const session = opened++;
    const run = (params: { query: string }) =>
      new Promise((resolve, reject) =>
        ran.push({
          session,
          query: params.query,
          answer: (fail) => (fail ? reject(new Error(`failed: ${params.query}`)) : resolve({ query_id: params.query })),
        }),
      );
    return { query: run, command: run, exec: run, insert: run, ping: run, close: async () => undefined } as never;
  };
  return { ran, open };
}

describe('chdb session pool', () => {
  it('when statements are sent together, then each goes to the session with the fewest in flight, and a failed statement frees its session', async () => {
    const { ran, open } = recordingSessions();
    const pool = chdbSessionPool(open, 3);
    const sent: Promise<unknown>[] = ['a', 'b', 'c', 'd'].map((query) =>
      pool.query({ query } as never).catch((e: Error) => e.message),
    );
    expect(ran.map((r) => [r.query, r.session])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 0],
    ]);
    ran[2]!.answer(true); // c fails on session 2
    await expect(sent[2]).resolves.toBe('failed: c');
    sent.push(pool.command({ query: 'e' } as never));
    expect(ran.at(-1)).toMatchObject({ query: 'e', session: 2 });
    for (const r of ran) if (r.query !== 'c') r.answer();
    await Promise.all(sent);
    sent.push(pool.insert({ query: 'f' } as never));
    expect(ran.at(-1)).toMatchObject({ query: 'f', session: 0 });
    ran.at(-1)!.answer();
    await Promise.all(sent);
  });

  it('when a statement must hold for every session (USE), then every session runs it', async () => {
    const { ran, open } = recordingSessions();
    const pool = chdbSessionPool(open, 3);
    const done = pool.everySession('USE spur');
    expect(ran.map((r) => [r.query, r.session])).toEqual([
      ['USE spur', 0],
      ['USE spur', 1],
      ['USE spur', 2],
    ]);
    for (const r of ran) r.answer();
    await done;
  });

  it('when the size is not a positive whole number, then the pool refuses to open', () => {
    const { open } = recordingSessions();
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => chdbSessionPool(open, size)).toThrow(/size must be ≥ 1/);
  });
});
