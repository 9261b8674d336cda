import type { BotReason } from '../enrich/index.ts';
import type { IngestSite } from '../sites/site-directory.ts';
import type { EventPayload, HitPayload, IngestKind, SessionPayload } from './payload.schema.ts';

/**
 * What the pipeline, the session store and the row builders share: the hit as it enters and as the
 * steps enrich it, and how its time and source are spelled. It lives here, below all three, so
 * the imports run one way: pipeline → session → rows → contract.
 */

/** Who sent the request: a browser naming its site by code, or an API client's bearer token. */
export type IngestAuth =
  { type: 'code'; code: string } | { type: 'principal'; organizationId: string; siteId?: string };

/** One hit, event or session ping as it enters the pipeline. */
export type IngestInput = {
  kind: IngestKind;
  payload: HitPayload | EventPayload | SessionPayload;
  auth: IngestAuth;
  /** The TCP peer; the client IP is derived from it and trusted proxy headers. */
  remoteAddress: string;
  /** Lower-cased request headers. */
  headers: Record<string, string | undefined>;
  time: Date;
};

/** Why a request was not counted. Stored in the `request` table (30 days) for debugging. */
export type DropReason =
  | 'filtered_ip'
  | 'filtered_path'
  | 'filtered_country'
  /** The page's hostname is outside the site's hostname shield (a copy of the site elsewhere). */
  | 'hostname_not_allowed'
  | 'no_session'
  /** Billing: the organization's trial or subscription lapsed long enough ago that ingest stopped. */
  | 'billing_lapsed'
  | BotReason;

/** Fields the steps fill in, in pipeline order. */
export type Dimensions = {
  hostname: string;
  path: string;
  title: string;
  language: string;
  country_code: string;
  region: string;
  city: string;
  referrer: string;
  referrer_name: string;
  channel: string;
  os: string;
  os_version: string;
  browser: string;
  browser_version: string;
  platform: string;
  screen_class: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
};

export type IngestContext = {
  input: IngestInput;
  site: IngestSite;
  url: URL;
  ip: string;
  userAgent: string;
  visitorId: string;
  previousVisitorId: string | undefined;
  /** The visitor's raw partition, stable across the daily salt (see raw-stream.ts' visitorPartition). */
  partition: number;
  dims: Dimensions;
  /** Referrer and campaign of this hit (see sourceKey): a new referrer or a new campaign starts a new session. */
  sourceKey: string;
};

export const emptyDimensions = (): Dimensions => ({
  hostname: '',
  path: '',
  title: '',
  language: '',
  country_code: '',
  region: '',
  city: '',
  referrer: '',
  referrer_name: '',
  channel: '',
  os: '',
  os_version: '',
  browser: '',
  browser_version: '',
  platform: '',
  screen_class: '',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_content: '',
  utm_term: '',
});

/**
 * The source of a hit as session.lua compares it: the referrer, a record separator, then the
 * campaign fields joined by unit separators ('' when all are empty); '' when both halves are.
 * Values come through cleanText or URL parsing, so neither separator can occur in them. A hit
 * starts a new session only when a half it carries differs from the session's: SPA navigations
 * and server-side SDKs resend the landing page's referrer without its UTM parameters, and
 * that must not split the visit.
 */
export function sourceKey(referrer: string, campaign: readonly string[]): string {
  const named = campaign.some(Boolean) ? campaign.join('\u001f') : '';
  return referrer === '' && named === '' ? '' : referrer + '\u001e' + named;
}

let lastMs = NaN;
let lastText = '';

/**
 * ClickHouse DateTime64(3) text in UTC: `2026-11-23 18:04:05.123`. The hits of one millisecond share
 * it: under load several arrive in the same one, and this ran for every hit.
 */
export function formatTime(date: Date): string {
  const ms = date.getTime();
  if (ms === lastMs) return lastText;
  const iso = date.toISOString();
  lastMs = ms;
  lastText = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return lastText;
}
