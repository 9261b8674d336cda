import { ISO_639_1, WITHDRAWN_CODES } from './iso-639-1.ts';

// Browsers send a handful of entries; a longer header is forged, so only its start is read.
const MAX_HEADER = 1024;
const MAX_ENTRIES = 32;
const QUALITY = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

/**
 * The visitor's preferred language as an ISO 639-1 code (`de-DE,de;q=0.9,en;q=0.8` → `de`): the
 * primary subtag of the entry with the highest quality, earlier entries winning ties. Entries that are
 * not a known ISO 639-1 language (`*`, `x-klingon`, three-letter codes such as `fil`), carry `q=0` or
 * a malformed quality are skipped. `''` when no entry qualifies.
 */
export function parseLanguage(acceptLanguage: string | undefined): string {
  if (typeof acceptLanguage !== 'string' || acceptLanguage === '') return '';
  let best = '';
  let bestQuality = 0;
  const entries = acceptLanguage.slice(0, MAX_HEADER).split(',', MAX_ENTRIES);
  for (const entry of entries) {
    const [tag = '', ...params] = entry.split(';').map((part) => part.trim());
    const language = primaryLanguage(tag);
    if (language === '') continue;
    const quality = qualityOf(params);
    if (quality > bestQuality) {
      best = language;
      bestQuality = quality;
    }
  }
  return best;
}

function primaryLanguage(tag: string): string {
  const primary = tag.split(/[-_]/, 1)[0]!.toLowerCase();
  if (primary.length !== 2) return '';
  const code = WITHDRAWN_CODES[primary] ?? primary;
  return ISO_639_1.has(code) ? code : '';
}

/** RFC 9110 weight; 1 when absent, 0 (skip) when malformed. */
function qualityOf(params: string[]): number {
  const q = params.find((param) => /^q\s*=/i.test(param));
  if (q === undefined) return 1;
  const match = QUALITY.exec(q.replace(/\s+/g, ''));
  return match ? Number(match[1]) : 0;
}
