import { z } from 'zod';
import { breakdown, column, fullStats, metaStats, referrerSchema, referrerStats } from '../queries/breakdown.stats.ts';
import { entrySchema, entryStats, exitSchema, exitStats, pageSchema, pageStats } from '../queries/pages.stats.ts';
import { platformSchema, platformStats } from '../queries/platform.stats.ts';
import type { StatsContext } from '../context.ts';
import { endpoint } from './endpoint.ts';

/** Pages, sources and the visitor-property breakdowns. */
const by =
  (name: string, ...keys: string[]) =>
  (ctx: StatsContext) =>
    breakdown(ctx, name, keys.map(column));

const UTM = ['source', 'medium', 'campaign', 'content', 'term'] as const;

const breakdowns: [path: string, summary: string, keys: string[]][] = [
  ['language', 'Visitors by language.', ['language']],
  ['country', 'Visitors by country.', ['country_code']],
  ['region', 'Visitors by region.', ['country_code', 'region']],
  ['city', 'Visitors by city.', ['country_code', 'region', 'city']],
  ['os', 'Visitors by operating system.', ['os']],
  ['os/version', 'Visitors by operating system version.', ['os', 'os_version']],
  ['browser', 'Visitors by browser.', ['browser']],
  ['browser/version', 'Visitors by browser version.', ['browser', 'browser_version']],
  ['screen', 'Visitors by screen class.', ['screen_class']],
  ...UTM.map((u): [string, string, string[]] => [`utm/${u}`, `Visitors by UTM ${u}.`, [`utm_${u}`]]),
];

export const SOURCE_ENDPOINTS = [
  endpoint('page', {
    tag: 'Pages',
    summary: 'Pages with visitors, views, bounces and (with `include_avg_time_on_page`) time on page.',
    row: pageSchema,
    run: pageStats,
  }),
  endpoint('page/entry', {
    tag: 'Pages',
    summary: 'Entry pages: visits starting there and their share of all sessions.',
    row: entrySchema,
    run: entryStats,
  }),
  endpoint('page/exit', {
    tag: 'Pages',
    summary: 'Exit pages: visits ending there and their share of all sessions.',
    row: exitSchema,
    run: exitStats,
  }),
  endpoint('hostname', {
    tag: 'Sources',
    summary: 'Visitors by hostname.',
    row: fullStats('hostname'),
    run: by('hostname', 'hostname'),
  }),
  endpoint('referrer', { tag: 'Sources', summary: 'Visitors by referrer.', row: referrerSchema, run: referrerStats }),
  endpoint('channel', {
    tag: 'Sources',
    summary: 'Visitors by traffic channel.',
    row: fullStats('channel'),
    run: by('channel', 'channel'),
  }),
  ...breakdowns.map(([path, summary, keys]) =>
    endpoint(path, {
      tag: path.startsWith('utm') ? 'Sources' : 'Visitor properties',
      summary,
      row: metaStats(...keys),
      run: by(path, ...keys),
    }),
  ),
  endpoint('keywords', {
    tag: 'Sources',
    summary: 'Google Search Console keywords (Pirsch); Spur has no Search Console integration, so the list is empty.',
    row: z.object({
      keys: z.array(z.string()),
      clicks: z.number(),
      impressions: z.number(),
      ctr: z.number(),
      position: z.number(),
    }),
    run: async () => [],
  }),
  endpoint('platform', {
    tag: 'Visitor properties',
    summary: 'Visitors by platform (desktop, mobile, tablet, unknown).',
    response: platformSchema,
    run: platformStats,
  }),
];
