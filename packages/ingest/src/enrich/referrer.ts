import { normalizeHostname, withoutWww } from './hostname.ts';
import { sourceForApp, sourceForHost, sourceForName } from './referrer-sources.ts';
import { cleanText } from './text.ts';

export type ReferrerInput = {
  /** The Referer header, or the `referrer` a server-side client sent. */
  referrer: string;
  /** The hostname of the page that was viewed. */
  pageHostname: string;
  /** The site's hostname and alternative hostnames. */
  siteHostnames: readonly string[];
  /**
   * A `ref` / `utm_source` value (see `parseUtm().ref`), used only when there is no referrer: links
   * from apps, newsletters and AI assistants often arrive without a Referer header.
   */
  source?: string;
};

export type Referrer = {
  /** `https://news.ycombinator.com/item` (no query or fragment), `android-app://com.google.android.gm`, or `''` for a named source. */
  referrer: string;
  /** The grouped name shown on the dashboard: `Google`, `X`, `Gmail`, or the host for unknown sites. */
  referrer_name: string;
  /** The referring host (or Android package), for channel classification; `''` for a named source. */
  referrer_host: string;
};

const MAX_REFERRER = 500;
const MAX_SOURCE = 100;
const ANDROID_APP = /^android-app:\/\/([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)/i;

/**
 * The referrer of a page view, or `undefined` when there is none worth recording: a self-referral (the
 * page's own host or any of the site's hostnames, `www.`-insensitive), or no usable referrer (empty,
 * unparseable, not a web or Android-app URL) and no named `source` either.
 */
export function parseReferrer(input: ReferrerInput): Referrer | undefined {
  const raw = cleanText(input.referrer, 4 * MAX_REFERRER);
  if (raw === '') return fromSource(input.source);

  const app = ANDROID_APP.exec(raw);
  if (app) {
    const packageName = app[1]!.toLowerCase();
    return {
      referrer: `android-app://${packageName}`,
      referrer_name: sourceForApp(packageName)?.name ?? packageName,
      referrer_host: packageName,
    };
  }

  // A referrer we cannot read (`about:blank`, junk) tells nothing; a named source still may.
  const url = parseWebUrl(raw);
  const host = url && normalizeHostname(url.hostname);
  if (!url || !host) return fromSource(input.source);
  if (isSelf(host, input.pageHostname, input.siteHostnames)) return undefined;

  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return {
    referrer: `${url.protocol}//${host}${path}`.slice(0, MAX_REFERRER),
    referrer_name: sourceForHost(host)?.name ?? withoutWww(host),
    referrer_host: host,
  };
}

function fromSource(value: string | undefined): Referrer | undefined {
  const source = cleanText(value, MAX_SOURCE);
  if (source === '') return undefined;
  return { referrer: '', referrer_name: sourceForName(source)?.name ?? source, referrer_host: '' };
}

function parseWebUrl(raw: string): URL | undefined {
  // Some clients send a bare host (`google.com`); anything else without a scheme is not a URL.
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(raw)
    ? raw
    : /^[\w.-]+\.[a-z]{2,}(?:[/:?#]|$)/i.test(raw)
      ? `https://${raw}`
      : '';
  if (candidate === '') return undefined;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function isSelf(host: string, pageHostname: string, siteHostnames: readonly string[]): boolean {
  const bare = withoutWww(host);
  return bare === comparable(pageHostname) || siteHostnames.some((site) => bare === comparable(site));
}

// Page and site hostnames are normalized already (URL.hostname, stored settings); this only has to be
// cheap and forgiving about case, a trailing dot and `www.`.
function comparable(hostname: string): string {
  if (typeof hostname !== 'string') return '';
  return withoutWww(hostname.trim().toLowerCase().replace(/\.$/, ''));
}
