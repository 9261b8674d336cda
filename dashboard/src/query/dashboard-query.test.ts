import { describe, expect, it } from 'vitest';
import { dashboardQueryToLocation, parseDashboardQuery, resolveDashboardQuery } from './dashboard-query.ts';
import { addFilter, describeFilter, filtersFromQuery, filtersToParams, removeFilter, type Filter } from './filters.ts';

describe('filters in the URL', () => {
  it('when the URL carries operator prefixes, then each becomes is / is not / contains / does not contain', () => {
    expect(
      filtersFromQuery({ referrer_name: 'Google', path: ['!/about', '~blog'], country: '^d', nonsense: 'x', city: '' }),
    ).toEqual([
      { field: 'path', op: 'is_not', value: '/about' },
      { field: 'path', op: 'contains', value: 'blog' },
      { field: 'referrer_name', op: 'is', value: 'Google' },
      { field: 'country', op: 'not_contains', value: 'd' },
    ]);
  });

  it('when a page pattern (a regular expression) starts with ^ or ~, then that is part of it; only ! negates', () => {
    const filters = filtersFromQuery({ pattern: ['^/blog/.+$', '~x', '!^/docs'] });
    expect(filters).toEqual([
      { field: 'pattern', op: 'is', value: '^/blog/.+$' },
      { field: 'pattern', op: 'is', value: '~x' },
      { field: 'pattern', op: 'is_not', value: '^/docs' },
    ]);
    expect(filtersToParams(filters)).toEqual({ pattern: ['^/blog/.+$', '~x', '!^/docs'] });
    expect(filters.map(describeFilter)).toEqual([
      'Page pattern matches ^/blog/.+$',
      'Page pattern matches ~x',
      'Page pattern does not match ^/docs',
    ]);
  });

  it('when filters are written back, then the same parameters come out (round trip)', () => {
    const filters: Filter[] = [
      { field: 'path', op: 'is_not', value: '/about' },
      { field: 'path', op: 'contains', value: 'blog' },
      { field: 'browser', op: 'is', value: 'Firefox' },
    ];
    const params = filtersToParams(filters);
    expect(params).toEqual({ path: ['!/about', '~blog'], browser: ['Firefox'] });
    expect(filtersFromQuery(params)).toEqual(filters);
  });

  it('when a row is clicked on a field already filtered with "is", then the new value replaces it', () => {
    const start: Filter[] = [
      { field: 'referrer_name', op: 'is', value: 'Google' },
      { field: 'path', op: 'is_not', value: '/x' },
    ];
    const next = addFilter(start, { field: 'referrer_name', op: 'is', value: 'Bing' });
    expect(next).toEqual([
      { field: 'path', op: 'is_not', value: '/x' },
      { field: 'referrer_name', op: 'is', value: 'Bing' },
    ]);
    expect(addFilter(next, { field: 'path', op: 'is_not', value: '/y' })).toHaveLength(3);
    expect(addFilter(next, { field: 'path', op: 'is_not', value: '/x' })).toEqual(next);
    expect(removeFilter(next, { field: 'path', op: 'is_not', value: '/x' })).toEqual([
      { field: 'referrer_name', op: 'is', value: 'Bing' },
    ]);
  });
});

describe('the dashboard query', () => {
  it('when the URL is empty, then it is the last 30 days compared with the previous period, by visitors', () => {
    expect(parseDashboardQuery({})).toEqual({ period: '30d', compare: 'previous', metric: 'visitors', filters: [] });
    expect(dashboardQueryToLocation(parseDashboardQuery({}))).toEqual({});
  });

  it('when the URL names a custom range, a custom comparison, a scale and filters, then all survive a round trip', () => {
    const location = {
      period: 'custom',
      from: '2026-01-01',
      to: '2026-01-31',
      compare: 'custom',
      compare_from: '2025-01-01',
      compare_to: '2025-01-31',
      scale: 'week',
      metric: 'views',
      referrer_name: ['Google'],
    };
    const q = parseDashboardQuery(location);
    expect(q).toEqual({
      period: 'custom',
      custom: { from: '2026-01-01', to: '2026-01-31' },
      compare: 'custom',
      compareCustom: { from: '2025-01-01', to: '2025-01-31' },
      scale: 'week',
      metric: 'views',
      filters: [{ field: 'referrer_name', op: 'is', value: 'Google' }],
    });
    expect(dashboardQueryToLocation(q)).toEqual(location);
  });

  it('when the URL is broken (bad dates, reversed range, unknown values), then defaults are used instead', () => {
    expect(
      parseDashboardQuery({
        period: 'custom',
        from: '2026-02-30',
        to: '2026-03-01',
        compare: 'custom',
        metric: 'money',
        scale: 'minute',
      }),
    ).toEqual({
      period: '30d',
      compare: 'previous',
      metric: 'visitors',
      filters: [],
    });
    expect(parseDashboardQuery({ from: '2026-03-10', to: '2026-03-01' }).period).toBe('30d');
    expect(parseDashboardQuery({ from: '2026-03-01', to: '2026-03-10' })).toMatchObject({
      period: 'custom',
      custom: { from: '2026-03-01', to: '2026-03-10' },
    });
  });

  it('when resolved, then dates, comparison dates and a scale that fits the range come out', () => {
    const q = parseDashboardQuery({ period: '7d', scale: 'month', compare: 'year' });
    expect(resolveDashboardQuery(q, '2026-03-31')).toEqual({
      range: { from: '2026-03-25', to: '2026-03-31' },
      comparison: { from: '2025-03-25', to: '2025-03-31' },
      scale: 'day',
      filters: [],
    });
    expect(resolveDashboardQuery(parseDashboardQuery({ period: 'today', compare: 'off' }), '2026-03-31')).toEqual({
      range: { from: '2026-03-31', to: '2026-03-31' },
      scale: 'hour',
      filters: [],
    });
  });
});
