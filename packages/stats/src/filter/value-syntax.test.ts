import { describe, expect, it } from 'vitest';
import { negate, parseValue } from './value-syntax.ts';

describe('filter value syntax', () => {
  it('when a value carries a prefix, then it becomes the matching operator', () => {
    expect(['/a', '!/a', '~blog', '^blog'].map(parseValue)).toEqual([
      { op: 'eq', value: '/a' },
      { op: 'neq', value: '/a' },
      { op: 'contains', value: 'blog' },
      { op: 'not_contains', value: 'blog' },
    ]);
  });

  it('when the value is null, then it means empty; ~null still searches the text', () => {
    expect(['null', 'NULL', '!null', '~null'].map(parseValue)).toEqual([
      { op: 'eq', value: '' },
      { op: 'eq', value: '' },
      { op: 'neq', value: '' },
      { op: 'contains', value: 'null' },
    ]);
  });

  it('when a condition is negated, then each operator flips', () => {
    expect(negate({ op: 'neq', value: 'x' })).toEqual({ op: 'eq', value: 'x' });
    expect(negate({ op: 'not_contains', value: 'x' })).toEqual({ op: 'contains', value: 'x' });
  });
});
