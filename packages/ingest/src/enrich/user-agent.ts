import { LRUCache } from 'lru-cache';
import UAParser from 'ua-parser-js';
import { hintedBrowser, hintedMobile, hintedPlatform, type ClientHints } from './client-hints.ts';
import { browserName, isDesktopOs, osName, reduceBrowserVersion, reduceOsVersion } from './user-agent-names.ts';

export type { ClientHints };

export type Platform = 'desktop' | 'mobile' | 'tablet' | 'unknown';

export type UserAgentInfo = {
  browser: string;
  /** Major version only (`124`): minor versions only split the dashboard into noise. */
  browser_version: string;
  os: string;
  /** `11`, `10.15`, `17.4`, `14`: major, and the minor where it matters and is not 0. */
  os_version: string;
  platform: Platform;
};

// ua-parser-js reads at most 500 characters anyway; cutting first bounds the cache keys too.
const MAX_USER_AGENT = 500;
const MAX_HINT_KEY = 256;

// ~46 µs a parse against well under 1 µs a hit: visitors share few distinct user agents.
const cache = new LRUCache<string, Readonly<UserAgentInfo>>({ max: 10_000 });

/**
 * Browser, OS and device class of a visitor. Client hints win when present: they are the only source
 * of Windows 11, of macOS and Android versions past the frozen ones in reduced user agents, and of
 * Chromium browsers that do not change the user agent (Brave). Results are cached and frozen.
 */
export function parseUserAgent(userAgent: string, hints?: ClientHints): UserAgentInfo {
  const ua = typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT) : '';
  const key = hints ? `${ua}\n${hintKey(hints)}` : ua;
  let info = cache.get(key);
  if (!info) {
    info = Object.freeze(parse(ua, hints));
    cache.set(key, info);
  }
  return info;
}

// Plain concatenation, no closure or array per call: this runs for every hit (and tsx's keepNames
// would wrap a per-call closure in a naming helper each time).
function hintKey(hints: ClientHints): string {
  return `${hintPart(hints.sec_ch_ua)}\n${hintPart(hints.sec_ch_ua_mobile)}\n${hintPart(hints.sec_ch_ua_platform)}\n${hintPart(hints.sec_ch_ua_platform_version)}`;
}

function hintPart(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_HINT_KEY) : '';
}

function parse(ua: string, hints: ClientHints | undefined): UserAgentInfo {
  const result = new UAParser(ua).getResult();
  let browser = browserName(result.browser.name);
  let browserVersion = reduceBrowserVersion(result.browser.version);
  let os = osName(result.os.name);
  let osVersion = reduceOsVersion(os, result.os.version);

  const hintBrowser = hintedBrowser(hints?.sec_ch_ua);
  // In-app browsers (Instagram, Facebook) and other named forks keep the user agent's more specific name.
  if (hintBrowser && (browser === '' || CHROMIUM_GENERIC.has(browser) || browser === hintBrowser.name)) {
    browser = hintBrowser.name;
    browserVersion = hintBrowser.major;
  }
  const hintPlatform = hintedPlatform(hints?.sec_ch_ua_platform, hints?.sec_ch_ua_platform_version);
  if (hintPlatform) {
    // A hint without a version still names the OS; keep the user agent's version if it is the same OS.
    if (hintPlatform.version !== '' || hintPlatform.os !== os) osVersion = hintPlatform.version;
    os = hintPlatform.os;
  }

  const platform = platformOf(result.device.type, os, hintedMobile(hints?.sec_ch_ua_mobile));
  return { browser, browser_version: browserVersion, os, os_version: osVersion, platform };
}

const CHROMIUM_GENERIC = new Set(['Chrome', 'Chromium']);

function platformOf(deviceType: string | undefined, os: string, mobileHint: boolean | undefined): Platform {
  if (mobileHint === true) return 'mobile';
  if (mobileHint === false) {
    // Chrome on Android tablets sends ?0, as does a phone asking for the desktop site.
    return deviceType === 'tablet' || os === 'Android' ? 'tablet' : 'desktop';
  }
  switch (deviceType) {
    case 'mobile':
    case 'wearable':
      return 'mobile';
    case 'tablet':
      return 'tablet';
    case undefined:
      return isDesktopOs(os) ? 'desktop' : 'unknown';
    default:
      // smarttv, console, embedded, xr: none of the three classes dashboards compare.
      return 'unknown';
  }
}
