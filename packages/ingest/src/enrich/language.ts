import { LRUCache } from 'lru-cache';
import { ISO_639_1, WITHDRAWN_CODES } from './iso-639-1.ts';

// Browsers send a handful of entries; a longer header is forged, so only its start is read.
const MAX_HEADER = 1024;
const MAX_ENTRIES = 32;
// Visitors share few distinct headers; parsing one costs a few µs, a cache hit well under one.
const cache = new LRUCache<string, string>({ max: 2_000 });
const QUALITY = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

/**
 * The visitor's preferred language as an ISO 639-1 code (`de-DE,de;q=0.9,en;q=0.8` → `de`): the
 * primary subtag of the entry with the highest quality, earlier entries winning ties. Entries that are
 * not a known ISO 639-1 language (`*`, `x-klingon`, three-letter codes such as `fil`), carry `q=0` or
 * a malformed quality are skipped. `''` when no entry qualifies.
 */
export function parseLanguage(acceptLanguage: string | undefined): string {
  if (typeof acceptLanguage !== 'string' || acceptLanguage === '') return '';
  const header = acceptLanguage.slice(0, MAX_HEADER);
  let language = cache.get(header);
  if (language === undefined) {
    language = preferredLanguage(header);
    cache.set(header, language);
  }
  return language;
}

function preferredLanguage(header: string): string {
  let best = '';
  let bestQuality = 0;
  const entries = header.split(',', MAX_ENTRIES);
  for (const entry of entries) {
    const semicolon = entry.indexOf(';');
    const language = primaryLanguage(semicolon === -1 ? entry : entry.slice(0, semicolon));
    if (language === '') continue;
    const quality = semicolon === -1 ? 1 : qualityOf(entry.slice(semicolon + 1));
    if (quality > bestQuality) {
      best = language;
      bestQuality = quality;
    }
  }
  return best;
}

function primaryLanguage(tag: string): string {
  const trimmed = tag.trim();
  const end = trimmed.search(/[-_]/);
  const primary = (end === -1 ? trimmed : trimmed.slice(0, end)).toLowerCase();
  if (primary.length !== 2) return '';
  const code = WITHDRAWN_CODES[primary] ?? primary;
  return ISO_639_1.has(code) ? code : '';
}

/** RFC 9110 weight from the parameters after the tag; 1 when absent, 0 (skip) when malformed. */
function qualityOf(params: string): number {
  for (const param of params.split(';')) {
    const compact = param.replace(/\s+/g, '');
    if (compact === '' || !/^q=/i.test(compact)) continue;
    const match = QUALITY.exec(compact);
    return match ? Number(match[1]) : 0;
  }
  return 1;
}
