/**
 * Reusable output buffers for pages. Allocating a fresh 15-30 KB buffer (or letting node allocate
 * one to encode a string) for every response is external memory V8 must account for and collect;
 * at thousands of pages a second that garbage cost more than rendering the pages. A buffer goes
 * back to the pool once node reports the response handed to the kernel, so the pool stays about
 * as large as the number of responses in flight.
 */
const SIZE = 64 * 1024;
const KEEP = 256;
const free: Buffer[] = [];

/** The page's bytes (ASCII text, so Latin-1 is exact) in a pooled buffer, and how to return it. */
export function pageBytes(text: string): { bytes: Buffer; release: () => void } {
  if (text.length > SIZE) return { bytes: Buffer.from(text, 'latin1'), release: () => undefined };
  const buffer = free.pop() ?? Buffer.allocUnsafeSlow(SIZE);
  const length = buffer.write(text, 0, 'latin1');
  return {
    bytes: buffer.subarray(0, length),
    release: () => {
      if (free.length < KEEP) free.push(buffer);
    },
  };
}
