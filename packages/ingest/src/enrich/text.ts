/**
 * Small helpers for strings that come from the network. Every enrichment function must be total on
 * such input, so these never throw and always bound what they return.
 */

// C0/C1 control characters and the Unicode line/paragraph separators: never meaningful in a header
// or a query value, and they break log lines and CSV exports downstream.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Trims, drops control characters and cuts to `max` characters (by UTF-16 unit, never mid-pair). */
export function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string' || value === '') return '';
  let text = value.length > max * 4 ? withoutHalfPair(value.slice(0, max * 4)) : value;
  text = text.replace(CONTROL, '').trim();
  if (text.length <= max) return text;
  return withoutHalfPair(text.slice(0, max)).trimEnd();
}

/** A cut can leave half of a surrogate pair behind (a lone surrogate, which ClickHouse refuses): drop it. */
function withoutHalfPair(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}

/** Looks a header up case-insensitively: Node lowercases names, other callers may not. */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(headers)) {
    if (key.length === name.length && key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}

/** `"Windows"` → `Windows`: structured-header strings (client hints) arrive quoted. */
export function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) return trimmed.slice(1, -1);
  return trimmed;
}
