import type { ClickHouseClient } from '@clickhouse/client';
import type { StreamTable } from '../stream/stream.ts';
import type { Entry } from './claim.ts';

const TABLES: StreamTable[] = ['page_view', 'event', 'session', 'request'];

type Hooks = {
  onInserted: (table: StreamTable, rows: number) => void;
  onRetry: (error: unknown, table: StreamTable, attempt: number, delayMs: number) => Promise<void>;
};

/**
 * Inserts one batch of stream entries, table by table, retrying each insert with backoff until it
 * lands. The token names the exact entries (first id, last id, count per table): whoever inserts
 * the same batch again, after a crash or a takeover, sends the same token and ClickHouse keeps the
 * first copy only.
 */
export async function insertBatch(clickhouse: ClickHouseClient, entries: Entry[], hooks: Hooks): Promise<void> {
  for (const table of TABLES) {
    const own = entries.filter((e) => e.table === table);
    if (own.length === 0) continue;
    const rows = own.map((e) => JSON.parse(e.row) as unknown);
    const token = `${table}:${own[0]!.id}:${own.at(-1)!.id}:${own.length}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await clickhouse.insert({
          table,
          values: rows,
          format: 'JSONEachRow',
          clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1 },
        });
        hooks.onInserted(table, rows.length);
        break;
      } catch (error) {
        const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
        await hooks.onRetry(error, table, attempt, delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
