import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { querySchema } from './filter-query.schema.ts';
import { parseStatsQuery } from './stats-filter.ts';

const period = querySchema();
const parse = (query: Record<string, unknown>, schema = period) =>
  parseStatsQuery(schema, { id: '7', from: '2025-01-01', to: '2025-01-31', ...query });

function badParam(query: Record<string, unknown>, schema = period) {
  try {
    parse(query, schema);
  } catch (error) {
    if (error instanceof StatsError) return [error.status, error.param, error.message];
    throw error;
  }
  return 'no error';
}

describe('statistics query parsing', () => {
  it('when repeated and prefixed values arrive, then they become conditions per field', () => {
    const f = parse({
      path: ['/a', '!/b'],
      country: '~d',
      tag_author: 'alice',
      meta_plan: '!null',
      event_meta_seats: '3',
      event_meta_key: 'plan',
    });
    expect(f.fields).toEqual({
      path: [
        { op: 'eq', value: '/a' },
        { op: 'neq', value: '/b' },
      ],
      country: [{ op: 'contains', value: 'd' }],
      event_meta_key: [{ op: 'eq', value: 'plan' }],
    });
    expect(f.tags).toEqual({ author: [{ op: 'eq', value: 'alice' }] });
    expect(f.meta).toEqual({ plan: [{ op: 'neq', value: '' }], seats: [{ op: 'eq', value: '3' }] });
  });

  it('when pirsch-sdk sends ISO timestamps and array-style keys, then the dates and repeats are understood', () => {
    const f = parse({ from: '2025-01-01T00:00:00.000Z', to: '2025-01-07T00:00:00.000Z', 'path[]': ['/a', '/b'] });
    expect([f.fromDate, f.toDate, f.fields.path?.length]).toEqual(['2025-01-01', '2025-01-07', 2]);
  });

  it('when a regular expression starts with ^, then it stays the expression; only ! negates', () => {
    expect(parse({ pattern: ['^/blog/.+$', '!^/docs'] }).fields.pattern).toEqual([
      { op: 'eq', value: '^/blog/.+$' },
      { op: 'neq', value: '^/docs' },
    ]);
  });

  it('when a time zone alias is given, then it is accepted like its canonical name', () => {
    expect(parse({ tz: 'Asia/Kolkata' }).tz).toBe('Asia/Kolkata');
  });

  it('when options are left out, then the defaults apply', () => {
    const f = parse({});
    expect([f.scale, f.limit, f.offset, f.includeAvgTimeOnPage, f.format, f.tz]).toEqual([
      'day',
      100,
      0,
      false,
      'json',
      undefined,
    ]);
  });

  it('when a parameter is invalid, then the 400 names it', () => {
    expect(badParam({ from: '2025-02-30' })).toEqual([400, 'from', 'from: must be a date (YYYY-MM-DD)']);
    expect(badParam({ to: '2024-12-31' })).toEqual([400, 'to', 'to: must not be before from']);
    expect(badParam({ contry: 'de' })).toEqual([400, 'contry', 'contry: is not a known parameter']);
    expect(badParam({ tz: 'Mars/Olympus' })).toEqual([400, 'tz', 'tz: must be an IANA time zone, e.g. Europe/Berlin']);
    expect(badParam({ scale: 'hour' })[1]).toBe('scale');
    expect(badParam({ limit: '5000' })).toEqual([400, 'limit', 'limit: must be at most 1000']);
    expect(badParam({ limit: '-1' })[1]).toBe('limit');
    expect(badParam({ id: 'abc' })[1]).toBe('id');
    expect(badParam({ custom_metric_key: 'amount' })).toEqual([
      400,
      'custom_metric_type',
      'custom_metric_type: custom_metric_key and custom_metric_type go together',
    ]);
    expect(badParam({ [`tag_${'k'.repeat(101)}`]: 'x' })[1]).toBe(`tag_${'k'.repeat(101)}`);
    expect(badParam({ path: 'x'.repeat(1001) })[1]).toBe('path');
  });

  it('when an endpoint needs a parameter, then its absence is a 400 naming it', () => {
    expect(badParam({}, querySchema({ required: ['event', 'event_meta_key'] }))).toEqual([
      400,
      'event',
      'event: is required',
    ]);
    expect(badParam({ from: undefined, to: undefined })).toEqual([400, 'from', 'from: is required']);
    expect(parseStatsQuery(querySchema({ period: false }), { id: '7' }).fromDate).toBeUndefined();
  });
});
