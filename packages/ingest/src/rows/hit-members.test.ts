import { describe, expect, it } from 'vitest';
import { emptyDimensions, type IngestContext } from '../pipeline/context.ts';
import { formatTime } from '../session/session-store.ts';
import { hitMembers } from './hit-members.ts';
import { eventRow, pageViewRow, sessionTemplate } from './rows.ts';

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
    const event = { event_name: 'Sign up', event_duration: 2.6, event_meta: { plan: 'pro', seats: '3' }, non_interactive: true };
    const members = hitMembers(ctx, formatTime(time), { kind: 'event', event });
    expect(object(members.shared, members.row)).toEqual(eventRow({ ...ctx, time }, event));
  });

  it('when a session starts, then shared + session members are the sessionTemplate with its start', () => {
    const members = hitMembers(ctx, formatTime(time), { kind: 'session' });
    expect(members.row).toBe('');
    expect(object(members.shared, members.session)).toEqual({ ...sessionTemplate(ctx), start: '2026-11-23 18:04:05.123' });
  });
});
