import { z } from 'zod';
import {
  eventListSchema,
  eventListStats,
  eventMetaSchema,
  eventMetaStats,
  eventPageStats,
  eventSchema,
  eventStats,
} from '../queries/events.stats.ts';
import { funnelSchema, funnelStats } from '../queries/funnel.stats.ts';
import { goalStatsSchema, goalsStats } from '../queries/goals.stats.ts';
import { OPTION_SOURCES, optionsSchema, optionValues } from '../queries/options.stats.ts';
import { pageSchema } from '../queries/pages.stats.ts';
import { tagKeySchema, tagKeyStats, tagValueSchema, tagValueStats } from '../queries/tags.stats.ts';
import { endpoint } from './endpoint.ts';

/** Events, goals, funnels, tags and the filter pickers' options. */
export const EVENT_ENDPOINTS = [
  endpoint('events', {
    tag: 'Events',
    summary: 'Events with count, visitors, conversion rate, duration and metadata keys.',
    row: eventSchema,
    run: eventStats,
  }),
  endpoint('event/meta', {
    tag: 'Events',
    summary: 'One event broken down by the values of one metadata key.',
    query: { required: ['event', 'event_meta_key'] },
    row: eventMetaSchema,
    run: eventMetaStats,
  }),
  endpoint('event/list', {
    tag: 'Events',
    summary: 'Events grouped by name and metadata.',
    row: eventListSchema,
    run: eventListStats,
  }),
  endpoint('event/page', {
    tag: 'Events',
    summary: 'Pages an event fired on.',
    query: { required: ['event'] },
    row: pageSchema,
    run: eventPageStats,
  }),
  endpoint('goals', {
    tag: 'Conversions',
    summary: 'Conversion goals with visitors, views and conversion rate.',
    row: goalStatsSchema,
    run: goalsStats,
  }),
  endpoint('funnel', {
    tag: 'Conversions',
    summary: 'A funnel (`funnel_id`; optional when the site has one) and the visitors reaching each step in order.',
    response: funnelSchema,
    run: funnelStats,
    csvRows: (a: { data: Record<string, unknown>[] }) => a.data,
  }),
  endpoint('tags', { tag: 'Tags', summary: 'Tag keys with visitors and views.', row: tagKeySchema, run: tagKeyStats }),
  endpoint('tag/details', {
    tag: 'Tags',
    summary: 'The values of one tag key (`tag`).',
    query: { required: ['tag'] },
    row: tagValueSchema,
    run: tagValueStats,
  }),
  ...Object.entries(OPTION_SOURCES).map(([name, source]) =>
    endpoint(`options/${name}`, {
      tag: 'Filter options',
      summary: `Distinct values of ${name.replace('/', ' ')} in the period.`,
      query: source.keyOf ? { required: [source.keyOf] } : {},
      response: z.array(optionsSchema),
      run: (ctx) => optionValues(ctx, source),
      csvRows: (a: string[]) => a.map((value) => ({ value })),
    }),
  ),
];
