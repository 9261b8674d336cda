import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePathPattern } from './path-glob.ts';

/** The semantics the glob must keep: `*` any run of characters, all else literal, whole path. */
const reference = (pattern: string, path: string) => {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's').test(path);
};

describe('path patterns of traffic filters', () => {
  it('when a pattern has stars, then each matches any run of characters, slashes included', () => {
    const admin = compilePathPattern('/admin*');
    expect([admin('/admin'), admin('/admin/users'), admin('/administrator'), admin('/x/admin')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const mid = compilePathPattern('/blog/*/edit');
    expect([mid('/blog/a/edit'), mid('/blog/a/b/edit'), mid('/blog//edit'), mid('/blog/edit')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const exact = compilePathPattern('/a.b?(c)');
    expect([exact('/a.b?(c)'), exact('/aXb?(c)')]).toEqual([true, false]);
    // Head and tail may not overlap: `/ab*ba` needs at least `/abba`.
    const pinned = compilePathPattern('/ab*ba');
    expect([pinned('/aba'), pinned('/abba'), pinned('/ab-ba')]).toEqual([false, true, true]);
  });

  it('when a pathological pattern meets a maximal path, then it answers right away (a backtracking regex never returned)', () => {
    // With the former RegExp this line did not return within the test timeout (hours, by extrapolation).
    const match = compilePathPattern('/*a*a*a*a*a*a*b');
    const path = `/${'a'.repeat(2_047)}`;
    expect(path).toHaveLength(2_048);
    expect(match(path)).toBe(false);
    expect(match(`${path.slice(0, -1)}b`)).toBe(true);
    expect(compilePathPattern('/*a*a*a*a*a*a*b')(`/${'ab'.repeat(1_023)}c`)).toBe(false);
  });

  it('when patterns and paths are generated, then the glob agrees with an anchored regex of the same pattern', () => {
    // Small alphabet so that matches are common; short strings keep the reference regex fast.
    const text = (max: number) => fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '*'), maxLength: max });
    fc.assert(
      fc.property(text(8), text(14), (pattern, rawPath) => {
        const path = rawPath.replaceAll('*', 'c');
        expect(compilePathPattern(pattern)(path)).toBe(reference(pattern, path));
      }),
      { numRuns: 2_000 },
    );
  });
});
