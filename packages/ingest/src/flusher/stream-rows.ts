import type { StreamTable } from '../stream/stream.ts';

/** One row to insert: its table, its JSONEachRow line, and the id of the stream entry it came from. */
export type Entry = { id: string; table: StreamTable; row: string };

/** A stream entry as XREADGROUP and XCLAIM return it: id and flat field/value list. */
export type StreamEntry = [id: string, fields: string[]];

/**
 * The rows a batch of stream entries stands for. Two kinds of entry share the stream:
 *   `{ t: <table>, r: <row> }` — a finished row (dropped requests, anything appended by appendRows);
 *   `{ t: 'h', ... }` — a hit as session.lua leaves it: the pieces of its page view or event row and
 *   of its session's cancel/state pair (fields below), assembled here instead of inside Redis.
 *
 * A session's rows collapse within the batch: the cancel row of version v meets the state row of
 * version v written by the visitor's previous hit, and the two would only cancel out in ClickHouse,
 * so neither is inserted. A visit of ten page views flushed in one batch becomes one session row
 * instead of nineteen; what ClickHouse ends up with after collapsing is the same. Within one session
 * the stream holds its versions in order (session.lua runs atomically and XADD ids only grow), and
 * the result depends on the entries alone, so a batch taken over after a crash yields the same rows
 * and the same deduplication tokens.
 */
export function rowsOf(entries: readonly StreamEntry[]): Entry[] {
  const rows: (Entry | undefined)[] = [];
  // State rows of this batch not yet cancelled, by session identity and version: their index in `rows`.
  const open = new Map<string, number>();
  for (const [id, fields] of entries) {
    const f = fieldsOf(fields);
    if (f.t !== 'h') {
      rows.push({ id, table: f.t as StreamTable, row: f.r ?? '{}' });
      continue;
    }
    const hit = parseHit(f);
    if (!hit) {
      // Not something session.lua writes: kept whole so the dead-letter stream shows it as it was.
      rows.push({ id, table: 'h' as StreamTable, row: JSON.stringify(f) });
      continue;
    }
    const identity = `${siteOf(hit.fixed)}:${hit.visitorId}:${hit.sessionId}:${hit.start}`;
    if (hit.before) {
      const cancelled = `${identity}:${hit.version - 1}`;
      const at = open.get(cancelled);
      if (at === undefined) rows.push({ id, table: 'session', row: sessionRow(hit, hit.before, hit.version - 1, -1) });
      else {
        rows[at] = undefined;
        open.delete(cancelled);
      }
    }
    open.set(`${identity}:${hit.version}`, rows.length);
    rows.push({ id, table: 'session', row: sessionRow(hit, hit.after, hit.version, 1) });
    if (hit.row !== '') rows.push({ id, table: hit.kind, row: hitRow(hit) });
  }
  return rows.filter((row): row is Entry => row !== undefined);
}

/** The site a row or a session's fixed columns belong to: the value of its first `"site_id"` key. */
export function siteOf(json: string): string {
  const at = json.indexOf('"site_id":"');
  if (at === -1) return '';
  const from = at + 11;
  const end = json.indexOf('"', from);
  return end === -1 ? '' : json.slice(from, end);
}

type SessionState = {
  pageViews: string;
  events: string;
  interactive: string;
  last: number;
  time: string;
  exitPath: string;
  exitTitle: string;
};

type Hit = {
  kind: 'page_view' | 'event' | 'session';
  fixed: string;
  sessionId: string;
  visitorId: string;
  version: number;
  start: number;
  after: SessionState;
  before: SessionState | undefined;
  previousPageSeconds: string;
  /** A page view's first_in_visit: '1' the first view of its path in its visit, '0' a later one, '2' not known. */
  firstInVisit: '0' | '1' | '2' | undefined;
  row: string;
};

const KINDS = new Set(['page_view', 'event', 'session']);

/**
 * Fields of a hit entry (session.lua): s the session's fixed columns; n "kind, session id, visitor
 * id, version, page views, events, interactive, start ms, last ms, time, seconds on the previous
 * page" then the exit path and title after the hit; o "page views, events, interactive, last ms,
 * time" then exit path and title before it ('' for a new session); r the row's own columns; f, page
 * views only, first_in_visit: '1' the first view of its path in its visit, '0' a later one, '2' not
 * known. Paths and titles are JSON strings, set apart by unit separators, which JSON escapes inside
 * strings. A page view's entry of the release before has no f and, like any f but '0' or '1', is
 * written 2: a 0 or 1 is only ever what the sessionizer said (statistics count the ones as visits).
 */
function parseHit(f: Record<string, string | undefined>): Hit | undefined {
  const [counts, exitPath, exitTitle] = (f.n ?? '').split('\u001f');
  const n = counts!.split(',');
  if (!f.s || n.length !== 11 || !KINDS.has(n[0]!) || exitTitle === undefined) return undefined;
  const [kind, sessionId, visitorId, version, pageViews, events, interactive, start, last, time, previousPageSeconds] =
    n as string[];
  let before: SessionState | undefined;
  if (f.o) {
    const [was, wasPath, wasTitle] = f.o.split('\u001f');
    const o = was!.split(',');
    if (o.length !== 5 || wasTitle === undefined) return undefined;
    before = {
      pageViews: o[0]!,
      events: o[1]!,
      interactive: o[2]!,
      last: Number(o[3]),
      time: o[4]!,
      exitPath: wasPath!,
      exitTitle: wasTitle,
    };
  }
  return {
    kind: kind as Hit['kind'],
    fixed: f.s,
    sessionId: sessionId!,
    visitorId: visitorId!,
    version: Number(version),
    start: Number(start),
    after: {
      pageViews: pageViews!,
      events: events!,
      interactive: interactive!,
      last: Number(last),
      time: time!,
      exitPath: exitPath!,
      exitTitle,
    },
    before,
    previousPageSeconds: previousPageSeconds!,
    firstInVisit: kind !== 'page_view' ? undefined : f.f === '0' || f.f === '1' ? f.f : '2',
    row: f.r ?? '',
  };
}

function sessionRow(hit: Hit, state: SessionState, version: number, sign: 1 | -1): string {
  // One page view and nothing interactive; a visit of events only viewed no page, so it cannot bounce off one.
  const bounce = state.pageViews === '1' && state.interactive === '0' ? 1 : 0;
  return (
    `{${hit.fixed},"session_id":${hit.sessionId},"version":${version},"page_views":${state.pageViews},"events":${state.events}` +
    `,"exit_path":${state.exitPath},"exit_title":${state.exitTitle},"time":"${state.time}"` +
    `,"duration_seconds":${Math.floor((state.last - hit.start) / 1000)},"is_bounce":${bounce},"sign":${sign}}`
  );
}

/**
 * A page view or event is attributed to its visit: the columns the session started with (site,
 * referrer, channel, UTM, hostname, device, location), not the hit's own. A second page reached by
 * an internal link has no referrer of its own and would count as Direct, so filtering the pages of
 * visits from Google would show only their landing pages. Those columns are the fixed ones up to
 * the first `,"visitor_id":`, which cannot occur inside a JSON string (quotes there are escaped).
 */
function hitRow(hit: Hit): string {
  const end = hit.fixed.indexOf(',"visitor_id":');
  const shared = end === -1 ? '' : hit.fixed.slice(0, end);
  const duration = hit.kind === 'page_view' ? `,"duration_seconds":${hit.previousPageSeconds}` : '';
  const first = hit.firstInVisit === undefined ? '' : `,"first_in_visit":${hit.firstInVisit}`;
  return `{"session_id":${hit.sessionId},"visitor_id":"${hit.visitorId}"${duration}${first}${shared === '' ? '' : ','}${shared},${hit.row}}`;
}

/** A flat `field, value, field, value, …` reply of Redis (stream entries, XINFO) as a record. */
export function fieldsOf<T>(list: readonly T[]): Record<string, T | undefined> {
  const map: Record<string, T> = {};
  for (let i = 0; i + 1 < list.length; i += 2) map[String(list[i])] = list[i + 1]!;
  return map;
}
