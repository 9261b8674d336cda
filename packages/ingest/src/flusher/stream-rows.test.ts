import { describe, expect, it } from 'vitest';
import { rowsOf, siteOf, type StreamEntry } from './stream-rows.ts';

const US = '\u001f';
const fixed =
  '"site_id":"9","hostname":"a.example","visitor_id":"77","entry_path":"/","entry_title":"Home","start":"2026-11-23 10:00:00.000"';
const start = Date.parse('2026-11-23T10:00:00Z');
/** A hit entry as session.lua writes it: version v with pv page views, the hit `seconds` after the start. */
const hit = (id: string, v: number, pv: number, seconds: number, path: string): StreamEntry => {
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
    ],
  ];
};
const parsed = (entries: StreamEntry[]) =>
  rowsOf(entries).map((e) => ({ id: e.id, table: e.table, row: JSON.parse(e.row) as Record<string, unknown> }));

describe('rows of stream entries', () => {
  it('when three hits of one visit are in one batch, then only the last state row is left, with every page view', () => {
    const rows = parsed([hit('1-0', 1, 1, 0, '/'), hit('2-0', 2, 2, 5, '/b'), hit('3-0', 3, 3, 10, '/c')]);
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
