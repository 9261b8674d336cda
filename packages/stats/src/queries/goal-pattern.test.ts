import { describe, expect, it } from 'vitest';
import { globToRegex } from './goal-pattern.ts';

describe('goal path patterns', () => {
  it('when a glob has * and **, then * is one path segment and ** is anything', () => {
    const one = new RegExp(globToRegex('/blog/*'));
    const any = new RegExp(globToRegex('/docs/**'));
    expect(['/blog/hello', '/blog/a/b', '/blog/'].map((p) => one.test(p))).toEqual([true, false, false]);
    expect(['/docs/a', '/docs/a/b/c', '/doc'].map((p) => any.test(p))).toEqual([true, true, false]);
  });

  it('when a glob has regex characters, then they match literally', () => {
    expect(globToRegex('/a.b?(c)')).toBe('^/a\\.b\\?\\(c\\)$');
    const html = new RegExp(globToRegex('/blog/*.html'));
    expect(['/blog/a.html', '/blog/a/b.html', '/blog/axhtml'].map((p) => html.test(p))).toEqual([true, false, false]);
  });
});
