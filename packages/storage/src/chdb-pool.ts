import type { createChdbConnection } from 'chdb/connection';

type ChdbConnection = ReturnType<typeof createChdbConnection>;
export type ChdbSessionPool = ChdbConnection & {
  /** Runs a statement on every session (`USE <database>` sticks to the session that ran it). */
  everySession: (query: string) => Promise<void>;
};

/**
 * Several chdb sessions on one data directory behind the one connection the official client
 * takes. A chdb session runs one statement at a time, so on one session an insert waits behind
 * whatever statement runs before it; sessions of one process share the engine, its caches and its
 * data, and run statements without query parameters side by side. (chdb itself runs statements
 * with query parameters one at a time across the whole process, whatever the session.)
 *
 * Each call goes to the session with the fewest statements in flight (ties: the lowest index).
 * A client's settings travel with every statement as `SET`s, so every session gets them.
 */
export function chdbSessionPool(open: () => ChdbConnection, size: number): ChdbSessionPool {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chdb session pool: size must be ≥ 1, got ${size}`);
  const sessions = Array.from({ length: size }, open);
  const busy = sessions.map(() => 0);
  const first = sessions[0]!;
  async function on<T>(run: (session: ChdbConnection) => Promise<T>): Promise<T> {
    let pick = 0;
    for (let i = 1; i < size; i++) if (busy[i]! < busy[pick]!) pick = i;
    busy[pick]!++;
    try {
      return await run(sessions[pick]!);
    } finally {
      busy[pick]!--;
    }
  }
  const pool = {
    connectionName: first.connectionName,
    supportsZeroCopyStreaming: first.supportsZeroCopyStreaming,
    get chdb() {
      return first.chdb;
    },
    query: (params: Parameters<ChdbConnection['query']>[0]) => on((s) => s.query(params)),
    exec: (params: Parameters<ChdbConnection['exec']>[0]) => on((s) => s.exec(params)),
    command: (params: Parameters<ChdbConnection['command']>[0]) => on((s) => s.command(params)),
    insert: (params: Parameters<ChdbConnection['insert']>[0]) => on((s) => s.insert(params)),
    ping: (params: Parameters<ChdbConnection['ping']>[0]) => on((s) => s.ping(params)),
    close: async () => {
      await Promise.all(sessions.map((s) => s.close()));
    },
    get serverVersion() {
      return first.serverVersion;
    },
    get serverTimezone() {
      return first.serverTimezone;
    },
    mapError: (err: unknown) => first.mapError(err),
    everySession: async (query: string) => {
      await Promise.all(sessions.map((s) => s.command({ query })));
    },
  };
  // The class's private fields make its type nominal; the client only calls the members above.
  return pool as unknown as ChdbSessionPool;
}
