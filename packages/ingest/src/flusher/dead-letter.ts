import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';
import type { RejectedEntry } from './insert-batch.ts';

/**
 * Where rows ClickHouse refuses go, so one bad row neither stops the stream behind it nor
 * vanishes: `{ t, r }` as in the ingest stream, plus the entry's original `id`, the `error` and the
 * time it was moved (`at`). Inspect with `XRANGE spur:ingest:dead-letter - +`; after fixing the
 * cause, a row can be replayed by XADDing its `t` and `r` to `spur:ingest`.
 */
export const DEAD_LETTER_STREAM = 'spur:ingest:dead-letter';

/**
 * Bounded (approximately, `MAXLEN ~`) so a flood of bad rows, say from a faulty release, cannot
 * fill Redis and stop ingest that way instead; the oldest are trimmed first. Every move is also
 * logged and counted, so trimmed rows still left a trace.
 */
export const DEAD_LETTER_MAX_LENGTH = 100_000;

/**
 * The flusher's `onRejected` hook. It runs before the batch is acknowledged, so a crash in between
 * moves the rows again on the retry: an entry may appear twice here (same `id`), never zero times.
 */
export function createDeadLetter(options: { redis: Redis; log: Logger; registers: Registry[] }) {
  const moved = new Counter({
    name: 'flusher_dead_letter_rows_total',
    help: 'Rows ClickHouse refused for their content, moved to the dead-letter stream',
    labelNames: ['table'],
    registers: options.registers,
  });
  return async (rejected: RejectedEntry[]) => {
    const pipeline = options.redis.multi();
    const at = new Date().toISOString();
    for (const { entry, error } of rejected) {
      pipeline.xadd(
        DEAD_LETTER_STREAM,
        'MAXLEN',
        '~',
        DEAD_LETTER_MAX_LENGTH,
        '*',
        't',
        entry.table,
        'r',
        entry.row,
        'id',
        entry.id,
        'error',
        error,
        'at',
        at,
      );
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error('dead-letter transaction was discarded');
    for (const { entry, error } of rejected) {
      moved.inc({ table: String(entry.table) });
      options.log.error(
        { table: entry.table, id: entry.id, error, stream: DEAD_LETTER_STREAM },
        'row refused by ClickHouse, moved to the dead-letter stream',
      );
    }
  };
}
