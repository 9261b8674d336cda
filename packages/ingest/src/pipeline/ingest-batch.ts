import type { Logger } from '@spur/runtime';
import type { IngestInput } from '../contract/ingest-context.ts';
import type { IngestOutcome } from './pipeline.ts';

/** A validated `/batch` request: items of one kind, each with its own time. */
export type IngestBatch = Omit<IngestInput, 'payload' | 'time'> & {
  items: ({ time: string } & Record<string, unknown>)[];
};

/** What a batch came to: refused whole, or taken, with the fate of each item. */
export type BatchOutcome =
  | { status: 'refused'; httpStatus: 400 | 503; error: string; field?: string }
  | {
      status: 'taken';
      summary: { accepted: number; dropped: number; rejected: { index: number; error: string }[] };
    };

const DAY_MS = 86_400_000;

/**
 * The rules of a batch, whoever delivers it (the HTTP handler today, a queue or gRPC entry point
 * tomorrow). `ingest` runs one item through the pipeline without checking the backlog again.
 */
export function batchIngest(deps: {
  /** A plain answer while the cached backlog length is fresh (stream.ts). */
  backlogFull: () => boolean | Promise<boolean>;
  ingest: (input: IngestInput) => Promise<IngestOutcome>;
  log: Logger;
}) {
  return async function ingestBatch(batch: IngestBatch): Promise<BatchOutcome> {
    const { items, ...common } = batch;
    // Visitor ids need the salt of the hit's day; only today's and yesterday's still exist.
    const now = Date.now();
    const oldest = Date.parse(new Date(now - DAY_MS).toISOString().slice(0, 10));
    for (const [index, item] of items.entries()) {
      const time = Date.parse(item.time);
      if (time < oldest || time > now + 60_000) {
        return {
          status: 'refused',
          httpStatus: 400,
          error: `items[${index}].time must be between yesterday 00:00 UTC and now`,
          field: `items[${index}].time`,
        };
      }
    }
    // All or nothing: clients resend a refused batch whole, so a 503 may only come before the
    // first item is taken. Once admitted, a batch is taken whole even if it fills the backlog
    // (it holds at most MAX_BATCH items, a bounded overshoot).
    if (await deps.backlogFull())
      return { status: 'refused', httpStatus: 503, error: 'ingest backlog is full, retry later' };
    // In order: hits of one visitor in a batch build on each other's session.
    const summary = { accepted: 0, dropped: 0, rejected: [] as { index: number; error: string }[] };
    for (const [index, item] of items.entries()) {
      let outcome: IngestOutcome;
      try {
        outcome = await deps.ingest({ ...common, payload: item as never, time: new Date(item.time) });
      } catch (error) {
        // Nothing taken yet: the error goes up (a 503), and the client resends the whole batch.
        // Later, the items before this one are counted and a resent batch would count them twice:
        // the answer names the items not taken (a failed item changed nothing), and the rest wait,
        // to stay in order.
        if (index === 0) throw error;
        deps.log.error({ err: error, kind: common.kind, index }, 'ingest failed mid-batch');
        for (let rest = index; rest < items.length; rest++)
          summary.rejected.push({ index: rest, error: 'temporarily unavailable, resend this item' });
        break;
      }
      if (outcome.status === 'accepted') summary.accepted++;
      else if (outcome.status === 'dropped') summary.dropped++;
      else summary.rejected.push({ index, error: outcome.error });
    }
    return { status: 'taken', summary };
  };
}
