import { statsApi, type StatsParams } from '../api/stats.api.ts';
import type { MetaRow } from '../api/stats.schemas.ts';
import { countryName, flag, formatCount, formatDuration, formatPercent, languageName } from '../lib/format.ts';
import type { FilterField } from '../query/filters.ts';
import type { PanelRow, PanelTab } from './panel-types.ts';

type Loader = (params: StatsParams, signal: AbortSignal) => Promise<MetaRow[]>;

/** The row's custom metric, present only when the request asked for one (custom_metric_key). */
const rowMetric = (row: Record<string, unknown>): Pick<PanelRow, 'metric'> =>
  typeof row.custom_metric_total === 'number'
    ? { metric: { total: row.custom_metric_total, avg: Number(row.custom_metric_avg ?? 0) } }
    : {};

/** A breakdown by one dimension: `key` is the response field, `field` the filter a click sets. */
function meta(
  key: string,
  label: string,
  dimension: string,
  load: Loader,
  field: FilterField,
  name: (v: string, row: MetaRow) => string = (v) => v || 'Unknown',
): PanelTab {
  return {
    key,
    label,
    dimension,
    load: async (params, signal) =>
      (await load(params, signal)).map((row): PanelRow => {
        const value = String(row[key] ?? '');
        return {
          label: name(value, row),
          visitors: row.visitors,
          share: row.relative_visitors,
          ...(value ? { filter: { field, value } } : {}),
          ...rowMetric(row),
        };
      }),
  };
}

export const pageTabs: PanelTab[] = [
  {
    key: 'pages',
    label: 'Pages',
    dimension: 'Page',
    columns: ['Views', 'Time on page'],
    load: async (params, signal) =>
      (await statsApi.pages({ ...params, include_avg_time_on_page: true }, signal)).map((r) => ({
        label: r.path || '/',
        hint: r.title,
        filter: { field: 'path', value: r.path },
        visitors: r.visitors,
        share: r.relative_visitors,
        extra: [formatCount(r.views), formatDuration(r.average_time_spent_seconds)],
        ...rowMetric(r),
      })),
  },
  {
    key: 'entry',
    label: 'Entry pages',
    dimension: 'Entry page',
    columns: ['Entries', 'Entry rate'],
    ownShare: true,
    load: async (params, signal) =>
      (await statsApi.entryPages(params, signal)).map((r) => ({
        label: r.path || '/',
        filter: { field: 'entry_path', value: r.path },
        visitors: r.visitors,
        share: r.entry_rate,
        extra: [formatCount(r.entries), formatPercent(r.entry_rate)],
      })),
  },
  {
    key: 'exit',
    label: 'Exit pages',
    dimension: 'Exit page',
    columns: ['Exits', 'Exit rate'],
    ownShare: true,
    load: async (params, signal) =>
      (await statsApi.exitPages(params, signal)).map((r) => ({
        label: r.exit_path || '/',
        filter: { field: 'exit_path', value: r.exit_path },
        visitors: r.visitors,
        share: r.exit_rate,
        extra: [formatCount(r.exits), formatPercent(r.exit_rate)],
      })),
  },
  meta('hostname', 'Hostnames', 'Hostname', statsApi.hostnames, 'hostname'),
  // Tags set on pages (`data-tag-*` on the script); a click shows the page views carrying that tag.
  meta('key', 'Tags', 'Tag', statsApi.tags, 'tag'),
];

export const sourceTabs: PanelTab[] = [
  {
    key: 'referrers',
    label: 'Referrers',
    dimension: 'Referrer',
    columns: ['Bounce rate'],
    load: async (params, signal) =>
      (await statsApi.referrers(params, signal)).map((r) => ({
        // Filtered by a source, the API answers one row per referrer URL of it: show the URLs,
        // or three rows would all read "Google".
        label:
          (params.referrer_name || params.referrer ? r.referrer : '') ||
          r.referrer_name ||
          r.referrer ||
          'Direct / none',
        ...(r.referrer_name && !params.referrer_name
          ? { filter: { field: 'referrer_name' as const, value: r.referrer_name } }
          : r.referrer
            ? { filter: { field: 'referrer' as const, value: r.referrer } }
            : {}),
        visitors: r.visitors,
        share: r.relative_visitors,
        extra: [formatPercent(r.bounce_rate)],
        ...rowMetric(r),
      })),
  },
  meta('channel', 'Channels', 'Channel', statsApi.channels, 'channel'),
  meta('utm_source', 'UTM source', 'Source', statsApi.utmSource, 'utm_source'),
  meta('utm_medium', 'Medium', 'Medium', statsApi.utmMedium, 'utm_medium'),
  meta('utm_campaign', 'Campaign', 'Campaign', statsApi.utmCampaign, 'utm_campaign'),
  meta('utm_content', 'Content', 'Content', statsApi.utmContent, 'utm_content'),
  meta('utm_term', 'Term', 'Term', statsApi.utmTerm, 'utm_term'),
];

const withCountry = (v: string, row: MetaRow) => {
  const code = String(row.country_code ?? '');
  return `${v || 'Unknown'}${code ? ` (${code.toUpperCase()})` : ''}`;
};

export const locationTabs: PanelTab[] = [
  { ...meta('country_code', 'Map', 'Country', statsApi.countries, 'country', countryName), key: 'map', view: 'map' },
  (() => {
    const tab = meta('country_code', 'Countries', 'Country', statsApi.countries, 'country', countryName);
    return {
      ...tab,
      key: 'countries',
      load: async (p: StatsParams, s: AbortSignal) =>
        (await tab.load(p, s)).map((r) => ({ ...r, icon: flag(r.filter?.value ?? '') })),
    };
  })(),
  meta('region', 'Regions', 'Region', statsApi.regions, 'region', withCountry),
  meta('city', 'Cities', 'City', statsApi.cities, 'city', withCountry),
  meta('language', 'Languages', 'Language', statsApi.languages, 'language', languageName),
];

const PLATFORMS = [
  ['desktop', 'Desktop'],
  ['mobile', 'Mobile'],
  ['tablet', 'Tablet'],
  ['unknown', 'Unknown'],
] as const;

export const deviceTabs: PanelTab[] = [
  meta('browser', 'Browsers', 'Browser', statsApi.browsers, 'browser'),
  meta(
    'browser_version',
    'Browser versions',
    'Version',
    statsApi.browserVersions,
    'browser_version',
    (v, row) => `${String(row.browser ?? '')} ${v}`.trim() || 'Unknown',
  ),
  meta('os', 'Systems', 'Operating system', statsApi.os, 'os'),
  meta(
    'os_version',
    'System versions',
    'Version',
    statsApi.osVersions,
    'os_version',
    (v, row) => `${String(row.os ?? '')} ${v}`.trim() || 'Unknown',
  ),
  {
    key: 'platforms',
    label: 'Platforms',
    dimension: 'Platform',
    load: async (params, signal) => {
      const p = await statsApi.platform(params, signal);
      return PLATFORMS.map(([key, label]) => ({
        label,
        filter: { field: 'platform' as const, value: key },
        visitors: p[`platform_${key}`],
        share: p[`relative_platform_${key}`],
      })).filter((r) => r.visitors > 0);
    },
  },
  meta('screen_class', 'Screens', 'Screen class', statsApi.screens, 'screen_class'),
];
