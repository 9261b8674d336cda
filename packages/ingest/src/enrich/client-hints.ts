import { cleanText, unquote } from './text.ts';

/** User-agent client hints as the tracking script or a server-side client forwards them (header values). */
export type ClientHints = {
  sec_ch_ua?: string;
  sec_ch_ua_mobile?: string;
  sec_ch_ua_platform?: string;
  sec_ch_ua_platform_version?: string;
};

export type HintedBrowser = { name: string; major: string };
export type HintedPlatform = { os: string; version: string };

const MAX_HINT = 256;

// Brand → our browser name, most specific first: Edge, Opera and Brave also list "Chromium", and
// Chrome's own brand is the least specific of all.
const BRANDS: ReadonlyArray<readonly [brand: string, name: string]> = [
  ['microsoft edge', 'Edge'],
  ['opera gx', 'Opera GX'],
  ['opera', 'Opera'],
  ['brave', 'Brave'],
  ['yandex', 'Yandex'],
  ['yabrowser', 'Yandex'],
  ['samsung internet', 'Samsung Internet'],
  ['vivaldi', 'Vivaldi'],
  ['duckduckgo', 'DuckDuckGo'],
  ['google chrome', 'Chrome'],
];

// Platforms Chromium reports; anything else is ignored rather than trusted.
const PLATFORMS: Readonly<Record<string, string>> = {
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  android: 'Android',
  ios: 'iOS',
  'chrome os': 'Chrome OS',
  'chromium os': 'Chrome OS',
};

/**
 * The browser named by `Sec-CH-UA` (`"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"`).
 * GREASE brands and unknown brands are ignored; `undefined` when no known brand is listed.
 */
export function hintedBrowser(secChUa: string | undefined): HintedBrowser | undefined {
  const header = cleanText(secChUa, MAX_HINT);
  if (header === '') return undefined;
  const brands = new Map<string, string>();
  for (const item of header.split(',')) {
    const match = /^\s*"([^"]{1,64})"\s*;\s*v\s*=\s*"(\d{1,6})[^"]*"\s*$/.exec(item);
    if (match) brands.set(match[1]!.trim().toLowerCase(), match[2]!);
  }
  for (const [brand, name] of BRANDS) {
    const major = brands.get(brand);
    if (major !== undefined) return { name, major: String(Number(major)) };
  }
  return undefined;
}

/**
 * The OS from `Sec-CH-UA-Platform` and `-Platform-Version`. This is the only way to see Windows 11
 * (its user agent still says "Windows NT 10.0") and the real macOS and Android versions, which
 * reduced user agents freeze at 10.15.7 and 10.
 */
export function hintedPlatform(
  platform: string | undefined,
  platformVersion: string | undefined,
): HintedPlatform | undefined {
  const os = PLATFORMS[unquote(cleanText(platform, MAX_HINT)).toLowerCase()];
  if (os === undefined) return undefined;
  const version = /^(\d{1,5})(?:\.(\d{1,5}))?/.exec(unquote(cleanText(platformVersion, MAX_HINT)));
  if (!version) return { os, version: '' };
  const major = Number(version[1]);
  const minor = Number(version[2] ?? '0');
  if (os === 'Windows') return { os, version: windowsVersion(major, minor) };
  if (os === 'Linux') return { os, version: '' };
  if (os === 'Chrome OS') return { os, version: String(major) };
  return { os, version: minor === 0 ? String(major) : `${major}.${minor}` };
}

/**
 * Windows reports its Universal API contract version: 13 and above is Windows 11, 1–10 is
 * Windows 10, 0.1/0.2/0.3 are Windows 7/8/8.1.
 */
function windowsVersion(major: number, minor: number): string {
  if (major >= 13) return '11';
  if (major >= 1) return '10';
  return ({ 1: '7', 2: '8', 3: '8.1' } as Record<number, string>)[minor] ?? '';
}

/** `?1` → true, `?0` → false, anything else → undefined (not sent or malformed). */
export function hintedMobile(secChUaMobile: string | undefined): boolean | undefined {
  const value = cleanText(secChUaMobile, 8);
  if (value === '?1') return true;
  if (value === '?0') return false;
  return undefined;
}
