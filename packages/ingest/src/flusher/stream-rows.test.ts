import { describe, expect, it } from 'vitest';
import { rowsOf, siteOf, type StreamEntry } from './stream-rows.ts';

const US = '\u001f';
const fixed =
  '"site_id":"9","hostname":"a.example","visitor_id":"77","entry_path":"/","entry_title":"Home","start":"2026-11-23 10:00:00.000"';
const start = Date.parse('2026-11-23T10:00:00Z');
/**
 * A page view's entry as session.lua writes it: version v with pv page views, the hit `seconds` after
 * the start, first_in_visit `f` (no field `f`, as the release before wrote them, when undefined).
 */
const hit = (id: string, v: number, pv: number, seconds: number, path: string, f?: string): StreamEntry => {
  const time = `2026-11-23 10:00:${String(seconds).padStart(2, '0')}.000`;
  const before =
    v === 1
      ? ''
      : `${pv - 1},0,0,${start + (seconds - 5) * 1000},2026-11-23 10:00:${String(seconds - 5).padStart(2, '0')}.000${US}"/prev"${US}"Prev"`;
  const n = `page_view,5,77,${v},${pv},0,0,${start},${start + seconds * 1000},${time},${v === 1 ? 0 : 5}${US}${JSON.stringify(path)}${US}"T"`;
  return [
    id,
    [
      't',
      'h',
      's',
      fixed,
      'n',
      n,
      'o',
      before,
      'r',
      `"time":"${time}","path":${JSON.stringify(path)},"title":"T","tag_keys":[],"tag_values":[]`,
      ...(f === undefined ? [] : ['f', f]),
    ],
  ];
};
/** An event's entry as session.lua writes it (never with `f`), the visit's version v after page views pv. */
const event = (id: string, v: number, pv: number, f?: string): StreamEntry => {
  const [, fields] = hit(id, v, pv, 20, '/e', f);
  const n = fields[5]!.split(',');
  n[0] = 'event';
  n[5] = '1';
  fields[5] = n.join(',');
  fields[9] = '"time":"2026-11-23 10:00:20.000","event_name":"Click"';
  return [id, fields];
};
const parsed = (entries: StreamEntry[]) =>
  rowsOf(entries).map((e) => ({ id: e.id, table: e.table, row: JSON.parse(e.row) as Record<string, unknown> }));

describe('rows of stream entries', () => {
  it('when three hits of one visit are in one batch, then only the last state row is left, with every page view', () => {
    const rows = parsed([
      hit('1-0', 1, 1, 0, '/', '1'),
      hit('2-0', 2, 2, 5, '/b', '1'),
      hit('3-0', 3, 3, 10, '/c', '1'),
    ]);
    expect(rows.map((r) => `${r.id} ${r.table} ${String(r.row.sign ?? '')}`)).toEqual([
      '1-0 page_view ',
      '2-0 page_view ',
      '3-0 session 1',
      '3-0 page_view ',
    ]);
    expect(rows[2]!.row).toEqual({
      site_id: '9',
      hostname: 'a.example',
      visitor_id: '77',
      entry_path: '/',
      entry_title: 'Home',
      start: '2026-11-23 10:00:00.000',
      session_id: 5,
      version: 3,
      page_views: 3,
      events: 0,
      exit_path: '/c',
      exit_title: 'T',
      time: '2026-11-23 10:00:10.000',
      duration_seconds: 10,
      is_bounce: 0,
      sign: 1,
    });
    // Each view carries its visit's attribution (the fixed columns before visitor_id) and the time spent on the page before it.
    expect(rows[3]!.row).toEqual({
      session_id: 5,
      visitor_id: '77',
      duration_seconds: 5,
      first_in_visit: 1,
      site_id: '9',
      hostname: 'a.example',
      time: '2026-11-23 10:00:10.000',
      path: '/c',
      title: 'T',
      tag_keys: [],
      tag_values: [],
    });
  });

  it('when a batch starts in the middle of a visit, then it cancels the earlier state with a copy of it', () => {
    const rows = parsed([hit('2-0', 2, 2, 5, '/b')]);
    expect(rows.map((r) => [r.table, r.row.sign, r.row.version])).toEqual([
      ['session', -1, 1],
      ['session', 1, 2],
      ['page_view', undefined, undefined],
    ]);
    expect(rows[0]!.row).toEqual({
      site_id: '9',
      hostname: 'a.example',
      visitor_id: '77',
      entry_path: '/',
      entry_title: 'Home',
      start: '2026-11-23 10:00:00.000',
      session_id: 5,
      version: 1,
      page_views: 1,
      events: 0,
      exit_path: '/prev',
      exit_title: 'Prev',
      time: '2026-11-23 10:00:00.000',
      duration_seconds: 0,
      is_bounce: 1,
      sign: -1,
    });
  });

  it('when a page view’s entry says f=0 or f=1, then its row carries first_in_visit as said; anything else (no f from the release before, 2) is 2 and an event never carries it', () => {
    const rows = parsed([
      hit('1-0', 1, 1, 0, '/', '1'),
      hit('2-0', 2, 2, 5, '/', '0'),
      hit('3-0', 3, 3, 10, '/c'),
      hit('4-0', 4, 4, 15, '/d', '2'),
      hit('5-0', 5, 5, 16, '/e', 'x'),
      event('6-0', 6, 5),
      event('7-0', 7, 5, '1'),
    ]);
    const hits = rows.filter((r) => r.table !== 'session');
    expect(hits.map((r) => [r.id, r.table, r.row.first_in_visit])).toEqual([
      ['1-0', 'page_view', 1],
      ['2-0', 'page_view', 0],
      ['3-0', 'page_view', 2],
      ['4-0', 'page_view', 2],
      ['5-0', 'page_view', 2],
      ['6-0', 'event', undefined],
      ['7-0', 'event', undefined],
    ]);
    expect(hits.filter((r) => r.table === 'event').every((r) => !('first_in_visit' in r.row))).toBe(true);
    // The flag is the page view's own: the session rows never carry it.
    expect(rows.filter((r) => r.table === 'session').every((r) => !('first_in_visit' in r.row))).toBe(true);
  });

  it('when finished rows and unknown entries share the stream, then rows pass as they are and the unknown entry is kept whole for the dead-letter stream', () => {
    const rows = rowsOf([
      ['1-0', ['t', 'request', 'r', '{"site_id":"4","reason":"bot"}']],
      ['2-0', ['t', 'h', 'n', 'nonsense']],
    ]);
    expect(rows).toEqual([
      { id: '1-0', table: 'request', row: '{"site_id":"4","reason":"bot"}' },
      { id: '2-0', table: 'h', row: '{"t":"h","n":"nonsense"}' },
    ]);
  });

  it('when a row names its site, then siteOf reads it, and a title quoting the key cannot fool it', () => {
    expect(siteOf('{"title":"\\"site_id\\":\\"1\\"","site_id":"42"}')).toBe('42');
    expect(siteOf('{"path":"/"}')).toBe('');
  });
});
