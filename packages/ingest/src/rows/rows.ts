import type { EventPayload } from '../contract/payload.schema.ts';
import type { DropReason, Dimensions, IngestContext } from '../pipeline/context.ts';
import { formatTime } from '../session/session-store.ts';

/**
 * Builders for every row Spur writes to ClickHouse. The pipeline and the demo-data seeder both
 * use them, so seeded and real rows can never differ in shape. Column names match the
 * ClickHouse tables (packages/storage/migrations/clickhouse).
 */
type Base = { site_id: string; time: string } & Omit<Dimensions, 'path' | 'title'>;

function base(ctx: Pick<IngestContext, 'site' | 'dims'> & { time: Date }): Base {
  const { path: _path, title: _title, ...dims } = ctx.dims;
  return { site_id: ctx.site.id, time: formatTime(ctx.time), ...dims };
}

/** session_id, visitor_id and duration_seconds are added atomically with the session update. */
export function pageViewRow(ctx: Pick<IngestContext, 'site' | 'dims'> & { time: Date; tags: Record<string, string> }) {
  const tags = Object.entries(ctx.tags);
  return {
    ...base(ctx),
    path: ctx.dims.path,
    title: ctx.dims.title,
    tag_keys: tags.map(([k]) => k),
    tag_values: tags.map(([, v]) => v),
  };
}

/** session_id and visitor_id are added atomically with the session update. */
export function eventRow(
  ctx: Pick<IngestContext, 'site' | 'dims'> & { time: Date },
  event: Pick<EventPayload, 'event_name' | 'event_duration' | 'event_meta' | 'non_interactive'>,
) {
  const meta = Object.entries(event.event_meta);
  return {
    ...base(ctx),
    path: ctx.dims.path,
    title: ctx.dims.title,
    event_name: event.event_name,
    event_meta_keys: meta.map(([k]) => k),
    event_meta_values: meta.map(([, v]) => v),
    duration_seconds: Math.round(event.event_duration),
    non_interactive: event.non_interactive ? 1 : 0,
  };
}

/**
 * The columns of a session fixed when it starts. Exit page, counters, times and bounce are kept by
 * session.lua, which appends them when it writes the row.
 */
export function sessionTemplate(ctx: Pick<IngestContext, 'site' | 'dims' | 'visitorId'>) {
  const { path, title, ...dims } = ctx.dims;
  return { site_id: ctx.site.id, visitor_id: ctx.visitorId, ...dims, entry_path: path, entry_title: title };
}

export function requestRow(input: {
  siteId: string;
  time: Date;
  reason: DropReason;
  hostname: string;
  path: string;
  userAgent: string;
  referrer: string;
}) {
  return {
    site_id: input.siteId,
    time: formatTime(input.time),
    reason: input.reason,
    hostname: input.hostname.slice(0, 253),
    path: input.path.slice(0, 2_048),
    user_agent: input.userAgent.slice(0, 1_000),
    referrer: input.referrer.slice(0, 2_048),
  };
}
