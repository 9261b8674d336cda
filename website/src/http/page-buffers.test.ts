import { describe, expect, it } from 'vitest';
import { pageBytes } from './page-buffers.ts';

describe('pooled page buffers', () => {
  it('when a page is copied in, then the bytes are exactly its text', () => {
    const { bytes, release } = pageBytes('<p>caf&#233;</p>');
    expect(bytes.toString('latin1')).toBe('<p>caf&#233;</p>');
    expect(bytes.length).toBe(16);
    release();
  });

  it('when a buffer is still in use, then the next page gets another one; after release it is reused', () => {
    const first = pageBytes('first page');
    const second = pageBytes('second page');
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer);
    expect(first.bytes.toString('latin1')).toBe('first page');
    second.release();
    const third = pageBytes('third');
    expect(third.bytes.buffer).toBe(second.bytes.buffer);
    expect(first.bytes.toString('latin1')).toBe('first page');
    first.release();
    third.release();
  });

  it('when a page is larger than a pooled buffer, then it gets its own', () => {
    const big = 'x'.repeat(70_000);
    const { bytes } = pageBytes(big);
    expect(bytes.length).toBe(70_000);
  });
});
