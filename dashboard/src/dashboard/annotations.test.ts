import { describe, expect, it } from 'vitest';
import type { Annotation } from '../api/annotations.api.ts';
import { annotationsByPoint } from './annotations.ts';

const note = (id: string, day: string): Annotation => ({ id, domain_id: '1', day, text: id, created_at: '' });

describe('annotations on the chart', () => {
  it('when notes fall on days of a daily chart, then each sits on its day', () => {
    const byPoint = annotationsByPoint(['2026-03-01', '2026-03-02', '2026-03-03'], [note('a', '2026-03-02')]);
    expect([...byPoint.entries()].map(([i, notes]) => [i, notes.map((n) => n.id)])).toEqual([[1, ['a']]]);
  });

  it('when the chart counts weeks, then a note sits on the week holding its day, and one before the chart on none', () => {
    const weeks = ['2026-03-02', '2026-03-09', '2026-03-16'];
    const byPoint = annotationsByPoint(weeks, [
      note('early', '2026-02-20'),
      note('wed', '2026-03-11'),
      note('sun', '2026-03-15'),
      note('last', '2026-03-20'),
    ]);
    expect([...byPoint.entries()].map(([i, notes]) => [i, notes.map((n) => n.id)])).toEqual([
      [1, ['wed', 'sun']],
      [2, ['last']],
    ]);
  });
});
