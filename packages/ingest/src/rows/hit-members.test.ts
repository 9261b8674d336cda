import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../contract/payload.schema.ts';
import { emptyDimensions, formatTime, type IngestContext } from '../contract/ingest-context.ts';
import { hitMembers } from './hit-members.ts';

const time = new Date('2026-11-23T18:04:05.123Z');
const ctx = {
  site: { id: '42' },
  visitorId: '18446744073709551615',
  dims: {
    ...emptyDimensions(),
    hostname: 'example.com',
    path: '/pricing "plans"',
    title: 'Prices \u00e9 \u2028 <b>',
    country_code: 'DE',
    referrer: 'https://news.ycombinator.com/',
    utm_campaign: 'winter',
  },
} as Pick<IngestContext, 'site' | 'dims' | 'visitorId'>;

// The rows as objects, column by column as the ClickHouse tables name them: what the members must spell.
// These are built from the same dimensions as the code, so they check values, not completeness: that
// the rows carry every column of the real tables is test/hit-members-columns.test.ts's job.
type Ctx = Pick<IngestContext, 'site' | 'dims' | 'visitorId'>;
const base = (c: Ctx, at: Date) => {
  const { path: _path, title: _title, ...dims } = c.dims;
  return { site_id: c.site.id, time: formatTime(at), ...dims };
};
const pageViewRow = (c: Ctx & { time: Date; tags: Record<string, string> }) => ({
  ...base(c, c.time),
  path: c.dims.path,
  title: c.dims.title,
  tag_keys: Object.keys(c.tags),
  tag_values: Object.values(c.tags),
});
const eventRow = (
  c: Ctx & { time: Date },
  event: Pick<EventPayload, 'event_name' | 'event_duration' | 'event_meta' | 'non_interactive'>,
) => ({
  ...base(c, c.time),
  path: c.dims.path,
  title: c.dims.title,
  event_name: event.event_name,
  event_meta_keys: Object.keys(event.event_meta),
  event_meta_values: Object.values(event.event_meta),
  duration_seconds: Math.round(event.event_duration),
  non_interactive: event.non_interactive ? 1 : 0,
});
const sessionTemplate = (c: Ctx) => {
  const { path, title, ...dims } = c.dims;
  return { site_id: c.site.id, visitor_id: c.visitorId, ...dims, entry_path: path, entry_title: title };
};

const object = (...members: string[]) => JSON.parse(`{${members.join(',')}}`) as Record<string, unknown>;

describe('hit members', () => {
  it('when a page view is serialized, then shared + row members are exactly the pageViewRow', () => {
    const tags = { plan: 'pro', 'a"b': 'c\\d' };
    const members = hitMembers(ctx, formatTime(time), { kind: 'page_view', tags });
    expect(object(members.shared, members.row)).toEqual(pageViewRow({ ...ctx, time, tags }));
  });

  it('when a page view has no tags, then its tag columns are empty arrays', () => {
    const members = hitMembers(ctx, formatTime(time), { kind: 'page_view', tags: {} });
    expect(object(members.shared, members.row)).toMatchObject({ tag_keys: [], tag_values: [] });
  });

  it('when an event is serialized, then shared + row members are exactly the eventRow', () => {
    const event = {
      event_name: 'Sign up',
      event_duration: 2.6,
      event_meta: { plan: 'pro', seats: '3' },
      non_interactive: true,
    };
    const members = hitMembers(ctx, formatTime(time), { kind: 'event', event });
    expect(object(members.shared, members.row)).toEqual(eventRow({ ...ctx, time }, event));
  });

  it('when a session starts, then shared + session members are the sessionTemplate with its start', () => {
    const members = hitMembers(ctx, formatTime(time), { kind: 'session' });
    expect(members.row).toBe('');
    expect(object(members.shared, members.session)).toEqual({
      ...sessionTemplate(ctx),
      start: '2026-11-23 18:04:05.123',
    });
    // The exit page session.lua keeps, as JSON strings: quotes escaped, other characters as they are.
    expect([members.path, members.title]).toEqual(['"/pricing \\"plans\\""', '"Prices \u00e9 \u2028 <b>"']);
    expect([JSON.parse(members.path), JSON.parse(members.title)]).toEqual([ctx.dims.path, ctx.dims.title]);
  });
});
