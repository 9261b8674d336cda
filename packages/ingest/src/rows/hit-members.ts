import type { EventPayload } from '../contract/payload.schema.ts';
import { wellFormed } from '../contract/well-formed.ts';
import { emptyDimensions, type Dimensions, type IngestContext } from '../contract/ingest-context.ts';

/**
 * A hit's columns, serialized straight to the JSON members that session.lua stores and the flusher
 * (stream-rows.ts) assembles into rows. A hit sends its site and dimensions once, shared by the
 * session it may start and by its own row, instead of two objects repeating the same twenty
 * columns, and no object is built and stringified per hit. The pipeline, the demo seeder and the
 * test fixtures all build hits with this, so seeded and real rows cannot differ in shape; the unit
 * test proves the members spell exactly the page view, event and session columns of the tables.
 */
export type HitMembers = {
  /** Columns a new session and the row share: site and dimensions except page. */
  shared: string;
  /** Columns only a new session has: visitor, entry page, start. */
  session: string;
  /** Columns only the page view or event row has ('' for a session ping, which has no row). */
  row: string;
  /** The hit's time as these members spell it (formatTime), which session.lua stores as the session's last time. */
  time: string;
  /** The page's path and title as JSON strings, which session.lua keeps as the session's exit page. */
  path: string;
  title: string;
};

const SHARED_KEYS = Object.keys(emptyDimensions()).filter(
  (key) => key !== 'path' && key !== 'title',
) as (keyof Dimensions)[];
const SHARED_PREFIXES = SHARED_KEYS.map((key) => `,"${key}":`);

/**
 * JSON text of a column value. Strings are made well-formed again here, whoever built the hit: a
 * lone surrogate would reach ClickHouse as an escape it refuses, and the flusher would then have
 * to dead-letter a page view whose session already counted it. The contract does this for the
 * network; this keeps the seeder, fixtures and anything added later from reintroducing it.
 */
const json = (value: string | number) => JSON.stringify(typeof value === 'string' ? wellFormed(value) : value);

export function hitMembers(
  ctx: Pick<IngestContext, 'dims' | 'visitorId'> & { site: Pick<IngestContext['site'], 'id'> },
  time: string,
  hit:
    | { kind: 'page_view'; tags: Record<string, string> }
    | { kind: 'event'; event: Pick<EventPayload, 'event_name' | 'event_duration' | 'event_meta' | 'non_interactive'> }
    | { kind: 'session' },
): HitMembers {
  const { dims } = ctx;
  let shared = `"site_id":${json(ctx.site.id)}`;
  for (let i = 0; i < SHARED_KEYS.length; i++) shared += SHARED_PREFIXES[i]! + json(dims[SHARED_KEYS[i]!]);
  const path = json(dims.path);
  const title = json(dims.title);
  const session = `"visitor_id":${json(ctx.visitorId)},"entry_path":${path},"entry_title":${title},"start":"${time}"`;
  if (hit.kind === 'session') return { shared, session, row: '', time, path, title };
  const page = `"time":"${time}","path":${path},"title":${title}`;
  if (hit.kind === 'page_view') {
    const [keys, values] = pairs(hit.tags);
    return { shared, session, row: `${page},"tag_keys":${keys},"tag_values":${values}`, time, path, title };
  }
  const { event } = hit;
  const [keys, values] = pairs(event.event_meta);
  const row =
    `${page},"event_name":${json(event.event_name)},"event_meta_keys":${keys},"event_meta_values":${values}` +
    `,"duration_seconds":${Math.round(event.event_duration)},"non_interactive":${event.non_interactive ? 1 : 0}`;
  return { shared, session, row, time, path, title };
}

function pairs(record: Record<string, string>): [string, string] {
  const keys = Object.keys(record);
  if (keys.length === 0) return ['[]', '[]'];
  return [JSON.stringify(keys.map(wellFormed)), JSON.stringify(keys.map((key) => wellFormed(record[key]!)))];
}
