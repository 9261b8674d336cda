import type { Redis } from 'ioredis';
import { activeDeletions, isDeletedEntry } from '@spur/accounts';
import { fieldsOf, siteOf, type Entry, type StreamEntry } from './stream-rows.ts';

/**
 * Drops the rows of stream entries that a statistics deletion covers (accounts'
 * statistics-deletion.service.ts): entries written before its cutoff, of its site, whose visit
 * started in its period. Their visits were deleted from ClickHouse and forgotten in Redis;
 * inserting them afterwards would bring back pieces of a deleted visit, such as a cancel row whose
 * state row is gone (a negative count). Asked before every insert attempt, like the site gate.
 */
export function createDeletionGate(redis: Redis) {
  return async function withoutDeleted(entries: readonly StreamEntry[], rows: Entry[]): Promise<Entry[]> {
    const deletions = await activeDeletions(redis);
    if (deletions.length === 0) return rows;
    const facts = entryFacts(entries);
    return rows.filter((row) => {
      const fact = facts.get(row.id);
      return !fact || !isDeletedEntry(deletions, { id: row.id, ...fact });
    });
  };
}

type Fact = { siteId: string; start: number };

/** Each entry's site and the start of its visit (a hit, see session.lua's `n`) or its own time (a finished row). */
function entryFacts(entries: readonly StreamEntry[]): Map<string, Fact> {
  const facts = new Map<string, Fact>();
  for (const [id, list] of entries) {
    const f = fieldsOf(list);
    if (f.t === 'h') {
      const start = Number((f.n ?? '').split('\u001f', 1)[0]!.split(',')[7]);
      facts.set(id, { siteId: siteOf(f.s ?? ''), start });
    } else {
      const time = /"time":"([^"]+)"/.exec(f.r ?? '')?.[1];
      facts.set(id, { siteId: siteOf(f.r ?? ''), start: time ? Date.parse(`${time.replace(' ', 'T')}Z`) : NaN });
    }
  }
  return facts;
}
