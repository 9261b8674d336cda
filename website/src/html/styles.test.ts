import { describe, expect, it } from 'vitest';
import { styles } from './styles.ts';

describe('inline stylesheet', () => {
  it('stays small enough to inline into every page', () => {
    // Sent with every page: past ~10 KB a cached external file would start to win.
    expect(styles.length).toBeLessThan(10_000);
  });

  it('is pure ASCII, so the pages it is inlined into stay one-byte strings', () => {
    expect(styles.match(/[\u0080-\uffff]/)).toBeNull();
  });
});
