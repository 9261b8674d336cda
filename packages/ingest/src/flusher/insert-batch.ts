import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { StreamTable } from '../stream/stream.ts';
import type { Entry } from './stream-rows.ts';

const TABLES: StreamTable[] = ['page_view', 'event', 'session', 'request'];

/** An entry that can never be inserted, with why; the flusher moves it to the dead-letter stream. */
export type RejectedEntry = { entry: Entry; error: string };

type Hooks = {
  onInserted: (table: StreamTable, rows: number) => void;
  onRetry: (error: unknown, table: StreamTable, attempt: number, delayMs: number) => Promise<void>;
  /**
   * Asked before every attempt, so a site deleted while an insert was being retried is still
   * caught: the rows worth inserting (rows of deleted sites left out). Throwing counts as a failed
   * attempt and is retried like one.
   */
  keep?: (table: StreamTable, rows: Entry[]) => Promise<Entry[]>;
  onDropped?: (table: StreamTable, rows: Entry[]) => void;
  /**
   * Entries ClickHouse refuses for what they contain, after every other row of the batch landed.
   * Must keep them somewhere before resolving: the batch is acknowledged right after.
   */
  onRejected: (rejected: RejectedEntry[]) => Promise<void>;
};

/**
 * ClickHouse errors a row causes by its content: the same row fails the same way on every retry,
 * so retrying it would stop the whole stream behind it. Every other error (connection refused,
 * timeouts, too many parts, a missing table before its migration ran, ...) is retried until it
 * passes: calling one of those permanent would dead-letter whole healthy batches.
 */
const ROW_ERROR_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '25', // CANNOT_PARSE_ESCAPE_SEQUENCE
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '130', // CANNOT_READ_ARRAY_FROM_TEXT
  '131', // TOO_LARGE_STRING_SIZE
  '349', // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  '386', // NO_COMMON_TYPE
  '407', // DECIMAL_OVERFLOW
  '457', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  '467', // CANNOT_PARSE_BOOL
  '691', // UNKNOWN_ELEMENT_OF_ENUM
]);

/** Duck-typed: chdb maps its errors onto its own copy of the client's ClickHouseError class. */
export function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (error as Error | null)?.constructor?.name === 'ClickHouseError' && ROW_ERROR_CODES.has(String(code));
}

/**
 * Inserts one batch of stream entries, table by table, retrying each insert with backoff until it
 * lands. The token names the exact entries (first id, last id, count per table): whoever inserts
 * the same batch again, after a crash or a takeover, sends the same token and ClickHouse keeps the
 * first copy only. It is derived from the entries as read, before `keep` leaves any out, so a
 * retry that drops more rows (a site was deleted in between) still carries the first attempt's
 * token and cannot insert the survivors twice.
 *
 * A row ClickHouse refuses (see ROW_ERROR_CODES) is found by halving the refused insert until
 * single rows remain; the halves are cut by position, so a retry of the batch cuts the same
 * halves and sends the same tokens for the parts that already landed. A refused insert wrote
 * nothing: a batch is far below max_insert_block_size, so it is one block.
 */
export async function insertBatch(clickhouse: ClickHouseClient, entries: Entry[], hooks: Hooks): Promise<void> {
  const rejected: RejectedEntry[] = entries
    .filter((e) => !TABLES.includes(e.table))
    .map((entry) => ({ entry, error: `unknown table ${JSON.stringify(entry.table)}` }));
  for (const table of TABLES) {
    const part: Entry[] = [];
    for (const entry of entries) {
      if (entry.table !== table) continue;
      // Rows go to ClickHouse as they are, unparsed; one that is not even an object is refused here.
      if (entry.row.startsWith('{') && entry.row.endsWith('}')) part.push(entry);
      else rejected.push({ entry, error: 'row is not a JSON object' });
    }
    if (part.length > 0) await insertPart(clickhouse, table, part, hooks, rejected);
  }
  if (rejected.length > 0) await hooks.onRejected(rejected);
}

async function insertPart(
  clickhouse: ClickHouseClient,
  table: StreamTable,
  part: Entry[],
  hooks: Hooks,
  rejected: RejectedEntry[],
): Promise<void> {
  const token = `${table}:${part[0]!.id}:${part.at(-1)!.id}:${part.length}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const values = hooks.keep ? await hooks.keep(table, part) : part;
      if (values.length > 0) {
        await insertLines(clickhouse, table, values, token);
        hooks.onInserted(table, values.length);
      }
      if (values.length < part.length) {
        const kept = new Set(values);
        hooks.onDropped?.(
          table,
          part.filter((r) => !kept.has(r)),
        );
      }
      return;
    } catch (error) {
      if (isRowError(error)) {
        if (part.length === 1) {
          rejected.push({ entry: part[0]!, error: String((error as Error).message).slice(0, 2_000) });
          return;
        }
        const half = Math.ceil(part.length / 2);
        await insertPart(clickhouse, table, part.slice(0, half), hooks, rejected);
        await insertPart(clickhouse, table, part.slice(half), hooks, rejected);
        return;
      }
      const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
      await hooks.onRetry(error, table, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * The rows are JSONEachRow lines already (stream-rows.ts and appendRows make them as text), so
 * they are sent as one body through `exec`: `insert` would want objects, and parsing each line only
 * for the client to stringify it again cost the flusher half its time.
 */
async function insertLines(
  clickhouse: ClickHouseClient,
  table: StreamTable,
  rows: Entry[],
  token: string,
): Promise<void> {
  let body = '';
  for (const entry of rows) body += entry.row + '\n';
  const result = await clickhouse.exec({
    query: `INSERT INTO ${table} FORMAT JSONEachRow`,
    values: Readable.from([body], { objectMode: false }),
    clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1 },
  });
  // An INSERT answers with an empty body; reading it to its end releases the connection.
  for await (const _ of result.stream) void _;
}
