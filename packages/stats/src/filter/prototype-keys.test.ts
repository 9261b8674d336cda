import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { orderAndPage } from '../sql/paging.ts';
import { QueryParams } from '../sql/query-params.ts';
import { querySchema } from './filter-query.schema.ts';
import { parseStatsQuery } from './stats-filter.ts';
import { conditionsFromRecord } from './step-filter.ts';
import { parseValue } from './value-syntax.ts';

/** Issue 13: names and values that are keys of Object.prototype reached it through `obj[name]`. */
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const parse = (query: Record<string, unknown>) =>
  parseStatsQuery(querySchema(), { id: '7', from: '2025-01-01', to: '2025-01-31', ...query });

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof StatsError) return [error.status, error.param, error.message];
    throw error;
  }
  return 'no error';
}

describe('allow-lists are looked up by own property only', () => {
  it('when sort names a property of Object.prototype, then it is a 400 naming sort, never SQL', () => {
    for (const sort of PROTOTYPE_KEYS) {
      const run = () => orderAndPage({ sort, limit: 10, offset: 0 }, new QueryParams(), { visitors: 'visitors' }, []);
      expect(refusal(run)).toEqual([400, 'sort', 'sort: must be one of visitors']);
    }
  });

  it('when a parameter is named __proto__ or constructor, then it is an unknown parameter named as such', () => {
    // What node:querystring (Express's parser) hands over: a prototype-free object with an own `__proto__`.
    const query = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(query, '__proto__', { value: 'x', enumerable: true });
    expect(refusal(() => parse(query))).toEqual([400, '__proto__', '__proto__: is not a known parameter']);
    expect(refusal(() => parse({ constructor: 'x' }))).toEqual([
      400,
      'constructor',
      'constructor: is not a known parameter',
    ]);
  });

  it('when a tag or meta key is a prototype key, then it is an ordinary condition on that key', () => {
    const query: Record<string, unknown> = { tag_constructor: 'x', meta_toString: ['a', 'b'] };
    Object.defineProperty(query, 'meta___proto__', { value: 'y', enumerable: true });
    const f = parse(query);
    expect(Object.entries(f.tags)).toEqual([['constructor', [{ op: 'eq', value: 'x' }]]]);
    expect(Object.entries(f.meta)).toEqual([
      [
        'toString',
        [
          { op: 'eq', value: 'a' },
          { op: 'eq', value: 'b' },
        ],
      ],
      ['__proto__', [{ op: 'eq', value: 'y' }]],
    ]);
  });

  it('when a stored funnel step names constructor or tag___proto__, then no prototype is reached', () => {
    const record: Record<string, string> = { constructor: 'x', path: '/a' };
    Object.defineProperty(record, 'tag___proto__', { value: 'v', enumerable: true });
    const c = conditionsFromRecord(record);
    expect(c.fields).toEqual({ path: [{ op: 'eq', value: '/a' }] });
    expect(Object.entries(c.tags)).toEqual([['__proto__', [{ op: 'eq', value: 'v' }]]]);
  });

  it('when a value starts with a character that is no operator, then it is compared as it is', () => {
    expect(['_x', '~x', 'x'].map(parseValue)).toEqual([
      { op: 'eq', value: '_x' },
      { op: 'contains', value: 'x' },
      { op: 'eq', value: 'x' },
    ]);
  });
});

describe('time zones', () => {
  it('when tz is a zone Node knows but ClickHouse cannot load, then it is a 400 naming tz; a case difference is canonicalized', () => {
    expect([parse({ tz: 'utc' }).tz, parse({ tz: 'Utc' }).tz, parse({ tz: 'europe/berlin' }).tz]).toEqual([
      'UTC',
      'UTC',
      'Europe/Berlin',
    ]);
    for (const tz of ['US/Pacific-New', 'SystemV/AST4', 'Mars/Olympus', ''])
      expect(refusal(() => parse({ tz }))).toEqual([400, 'tz', 'tz: must be an IANA time zone, e.g. Europe/Berlin']);
  });
});
