import { z } from 'zod/mini';
import { request, type Query } from './http.ts';
import {
  orElse,
  activeSchema,
  entryPageSchema,
  eventSchema,
  exitPageSchema,
  funnelDataSchema,
  goalStatsSchema,
  hourSchema,
  metaSchema,
  pageSchema,
  platformSchema,
  realtimeSchema,
  referrerSchema,
  sessionDurationSchema,
  sessionListSchema,
  sessionStepSchema,
  totalSchema,
  visitorPointSchema,
  weekdaySchema,
} from './stats.schemas.ts';

/** The parameters every statistics request takes (Pirsch's filter model; issue 4). */
export type StatsParams = Query & { id: string; from?: string; to?: string; tz?: string };

const stat =
  <S extends z.ZodMiniType>(path: string, schema: S) =>
  (params: StatsParams, signal?: AbortSignal) =>
    request('GET', `/api/v1/statistics/${path}`, { query: params, schema, signal });
const list = <S extends z.ZodMiniType>(path: string, schema: S) =>
  stat(path, orElse(z.array(schema), [] as z.output<S>[]));

export const statsApi = {
  total: stat('total', totalSchema),
  visitors: list('visitor', visitorPointSchema),
  hours: list('hours', hourSchema),
  weekdays: list('weekdays', weekdaySchema),
  sessionDuration: list('duration/session', sessionDurationSchema),
  active: stat('active', activeSchema),
  realtime: stat('active/minutes', realtimeSchema),
  pages: list('page', pageSchema),
  entryPages: list('page/entry', entryPageSchema),
  exitPages: list('page/exit', exitPageSchema),
  referrers: list('referrer', referrerSchema),
  channels: list('channel', metaSchema),
  hostnames: list('hostname', metaSchema),
  tags: list('tags', metaSchema),
  utmSource: list('utm/source', metaSchema),
  utmMedium: list('utm/medium', metaSchema),
  utmCampaign: list('utm/campaign', metaSchema),
  utmContent: list('utm/content', metaSchema),
  utmTerm: list('utm/term', metaSchema),
  countries: list('country', metaSchema),
  regions: list('region', metaSchema),
  cities: list('city', metaSchema),
  languages: list('language', metaSchema),
  browsers: list('browser', metaSchema),
  browserVersions: list('browser/version', metaSchema),
  os: list('os', metaSchema),
  osVersions: list('os/version', metaSchema),
  platform: stat('platform', platformSchema),
  screens: list('screen', metaSchema),
  events: list('events', eventSchema),
  eventMeta: list('event/meta', eventSchema),
  goals: list('goals', goalStatsSchema),
  funnel: stat('funnel', funnelDataSchema),
  sessions: list('session/list', sessionListSchema),
  sessionDetails: list('session/details', sessionStepSchema),
};

export type StatsEndpoint = keyof typeof statsApi;

/** Where the filter bar finds the values a field takes in the period (`/statistics/options/*`). */
const OPTION_PATHS: Partial<Record<string, string>> = {
  path: 'page',
  entry_path: 'page',
  exit_path: 'page',
  hostname: 'hostname',
  referrer: 'referrer',
  referrer_name: 'referrer/name',
  channel: 'channel',
  utm_source: 'utm/source',
  utm_medium: 'utm/medium',
  utm_campaign: 'utm/campaign',
  utm_content: 'utm/content',
  utm_term: 'utm/term',
  country: 'country',
  region: 'region',
  city: 'city',
  language: 'language',
  browser: 'browser',
  os: 'os',
  platform: 'platform',
  screen_class: 'screen',
  event: 'event',
  event_meta_key: 'metadata/keys',
  tag: 'tag',
};

export async function filterOptions(field: string, params: StatsParams, signal?: AbortSignal): Promise<string[]> {
  const path = OPTION_PATHS[field];
  if (!path) return [];
  return stat(`options/${path}`, orElse(z.array(z.string()), [] as string[]))({ ...params, limit: 200 }, signal);
}
