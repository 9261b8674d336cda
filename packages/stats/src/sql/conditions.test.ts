import { describe, expect, it } from 'vitest';
import { parseValue } from '../filter/value-syntax.ts';
import { filterConditions, whereFor, type Conditions, type Scope } from './conditions.ts';
import { QueryParams } from './query-params.ts';

const scope = (): Scope => ({
  siteId: '42',
  from: new Date('2025-01-01T00:00:00Z'),
  to: new Date('2025-01-02T00:00:00Z'),
  tz: 'UTC',
  params: new QueryParams(),
});
const filter = (
  fields: Record<string, string[]>,
  tags: Record<string, string[]> = {},
  meta: Record<string, string[]> = {},
): Conditions => ({
  fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.map(parseValue)])),
  tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, v.map(parseValue)])),
  meta: Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, v.map(parseValue)])),
});

describe('filter SQL builder', () => {
  it('when a visit property is filtered, then rows are matched directly with typed parameters', () => {
    const s = scope();
    const sql = whereFor('session', s, filter({ country: ['de', 'fr'], browser: ['!Chrome', '^Edge'] }));
    expect(sql).toBe(
      'site_id = {p0:UInt64} AND toDate(start) >= {p1:Date} AND toDate(start) <= {p2:Date} AND start >= {p3:DateTime64(3)} AND start < {p4:DateTime64(3)} AND ((country_code = {p5:String} OR country_code = {p6:String})) AND (browser != {p7:String} AND positionCaseInsensitiveUTF8(browser, {p8:String}) = 0)',
    );
    // The UTC days of the period (its last millisecond's day) as well: the tables are sorted by day.
    expect(s.params.values).toEqual({
      p0: '42',
      p1: '2025-01-01',
      p2: '2025-01-01',
      p3: '2025-01-01 00:00:00.000',
      p4: '2025-01-02 00:00:00.000',
      p5: 'DE',
      p6: 'FR',
      p7: 'Chrome',
      p8: 'Edge',
    });
  });

  it('when the period has not ended, then only its first day is named (nothing is stored after now)', () => {
    const from = new Date(Date.now() - 86_400_000);
    const running: Scope = { ...scope(), from, to: new Date(Date.now() + 86_400_000) };
    expect(whereFor('page_view', running, filter({}))).toBe(
      'site_id = {p0:UInt64} AND toDate(time) >= {p1:Date} AND time >= {p2:DateTime64(3)} AND time < {p3:DateTime64(3)}',
    );
    expect(running.params.values.p1).toBe(from.toISOString().slice(0, 10));
  });

  it('when values try to break out of the SQL, then they only ever reach the parameters', () => {
    const s = scope();
    const evil = "x') OR 1=1 --";
    const sql = filterConditions(
      'page_view',
      s,
      filter({ path: [evil], pattern: [evil] }, { [evil]: [evil] }, { [evil]: [evil] }),
    ).join(' ');
    expect(sql).not.toContain('OR 1=1');
    expect(Object.values(s.params.values)).toContain(evil);
  });

  it('when counting visits by a page, event or exit condition, then each becomes a semi-join on the visit', () => {
    const sql = filterConditions(
      'session',
      scope(),
      filter({ path: ['/pricing'], event: ['Signup'], exit_path: ['/thanks'] }),
    ).join('\n');
    expect(sql).toContain('(visitor_id, session_id) IN (SELECT visitor_id, session_id FROM page_view WHERE');
    expect(sql).toContain('(visitor_id, session_id) IN (SELECT visitor_id, session_id FROM event WHERE');
    expect(sql).toContain('HAVING sum(sign) > 0 AND ((argMax(exit_path, version) = ');
  });

  it('when only negated event names are given, then visits without such an event are meant', () => {
    const sql = filterConditions('page_view', scope(), filter({ event: ['!Signup', '!Download'] })).join(' ');
    expect(sql).toMatch(
      /^\(visitor_id, session_id\) NOT IN \(SELECT .* FROM event WHERE .* AND \(event_name = \{p\d+:String\} OR event_name = \{p\d+:String\}\)\)$/,
    );
  });

  it('when events are counted, then their own path applies directly but page tags need the page views', () => {
    const sql = filterConditions('event', scope(), filter({ path: ['/a'] }, { author: ['alice'] })).join(' | ');
    expect(sql.startsWith('((path = {p0:String}))')).toBe(true);
    expect(sql).toContain('FROM page_view WHERE');
    expect(sql).toContain('tag_values[indexOf(tag_keys, {p');
  });
});

describe('rollup scope', () => {
  it('when a rollup view is read, then its member sites replace the site id, and a single site keeps `site_id =`', () => {
    const rollup: Scope = { ...scope(), siteIds: [7, 9] };
    expect(whereFor('page_view', rollup, filter({}))).toBe(
      'site_id IN {p0:Array(UInt64)} AND toDate(time) >= {p1:Date} AND toDate(time) <= {p2:Date} AND time >= {p3:DateTime64(3)} AND time < {p4:DateTime64(3)}',
    );
    const semi = filterConditions('page_view', rollup, filter({ entry_path: ['/'] }));
    // The semi-join over visits reads the same sites.
    expect(semi[0]).toContain('FROM session WHERE site_id IN {p6:Array(UInt64)}');
    expect(rollup.params.values.p0).toEqual([7, 9]);
    expect(whereFor('event', scope(), filter({}))).toMatch(/^site_id = \{p0:UInt64\} AND /);
  });
});
