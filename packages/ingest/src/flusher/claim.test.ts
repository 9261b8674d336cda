import { describe, expect, it } from 'vitest';
import { splitBatches } from './claim.ts';
import type { StreamEntry } from './stream-rows.ts';

const entry = (id: string): StreamEntry => [id, ['t', 'request', 'r', '{}']];
const ids = (batches: StreamEntry[][]) => batches.map((batch) => batch.map(([id]) => id));

describe('batches taken over', () => {
  it('when entries are claimed, then they are cut along the recorded batches and the unrecorded rest is one more, in stream order', () => {
    const entries = ['5-0', '5-1', '9-0', '10-0', '10-1', '12-3'].map(entry);
    // Records are by first id; the hash gives them in no particular order.
    expect(ids(splitBatches(entries, { '10-0': '10-1', '5-0': '9-0' }))).toEqual([
      ['5-0', '5-1', '9-0'],
      ['10-0', '10-1'],
      ['12-3'],
    ]);
    expect(ids(splitBatches(entries, {}))).toEqual([['5-0', '5-1', '9-0', '10-0', '10-1', '12-3']]);
  });

  it('when a record comes from a flusher of the earlier format (last id and count), then it cuts the same', () => {
    const entries = ['5-0', '5-1', '9-0', '10-0'].map(entry);
    expect(ids(splitBatches(entries, { '5-0': '5-1 2' }))).toEqual([
      ['5-0', '5-1'],
      ['9-0', '10-0'],
    ]);
  });
});
