import { describe, expect, it } from 'vitest';
import { strictRe2Problem } from './re2-pattern.ts';

describe('the strict pattern check used without a ClickHouse connection', () => {
  it('when a pattern uses what RE2 lacks, then it is refused with the reason; plain expressions pass', () => {
    expect(['^/(?=pricing)', '(?!x)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>'].map(strictRe2Problem)).toEqual([
      'lookahead and lookbehind are not supported',
      'lookahead and lookbehind are not supported',
      'lookahead and lookbehind are not supported',
      'lookahead and lookbehind are not supported',
      'backreferences are not supported',
      'backreferences are not supported',
    ]);
    expect(['^/blog/[^/]+$', '^/(a|b)?$', ''].map(strictRe2Problem)).toEqual([undefined, undefined, undefined]);
    // What JavaScript cannot compile either is refused with its message.
    expect(strictRe2Problem('[')).toMatch(/Invalid regular expression/);
  });
});
