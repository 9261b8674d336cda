import type { ClickHouseClient } from '@clickhouse/client';
import type { StreamTable } from '../stream/stream.ts';
import type { Entry } from './claim.ts';

const TABLES: StreamTable[] = ['page_view', 'event', 'session', 'request'];

type Row = Record<string, unknown>;

type Hooks = {
  onInserted: (table: StreamTable, rows: number) => void;
  onRetry: (error: unknown, table: StreamTable, attempt: number, delayMs: number) => Promise<void>;
  /**
   * Asked before every attempt, so a site deleted while an insert was being retried is still
   * caught: the rows worth inserting (rows of deleted sites left out). Throwing counts as a failed
   * attempt and is retried like one.
   */
  keep?: (table: StreamTable, rows: Row[]) => Promise<Row[]>;
  onDropped?: (table: StreamTable, rows: Row[]) => void;
};

/**
 * Inserts one batch of stream entries, table by table, retrying each insert with backoff until it
 * lands. The token names the exact entries (first id, last id, count per table): whoever inserts
 * the same batch again, after a crash or a takeover, sends the same token and ClickHouse keeps the
 * first copy only. It is derived from the entries as read, before `keep` leaves any out, so a
 * retry that drops more rows (a site was deleted in between) still carries the first attempt's
 * token and cannot insert the survivors twice.
 */
export async function insertBatch(clickhouse: ClickHouseClient, entries: Entry[], hooks: Hooks): Promise<void> {
  for (const table of TABLES) {
    const own = entries.filter((e) => e.table === table);
    if (own.length === 0) continue;
    const rows = own.map((e) => JSON.parse(e.row) as Row);
    const token = `${table}:${own[0]!.id}:${own.at(-1)!.id}:${own.length}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const values = hooks.keep ? await hooks.keep(table, rows) : rows;
        if (values.length > 0) {
          await clickhouse.insert({
            table,
            values,
            format: 'JSONEachRow',
            clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1 },
          });
          hooks.onInserted(table, values.length);
        }
        if (values.length < rows.length) {
          const kept = new Set(values);
          hooks.onDropped?.(table, rows.filter((r) => !kept.has(r)));
        }
        break;
      } catch (error) {
        const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
        await hooks.onRetry(error, table, attempt, delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
