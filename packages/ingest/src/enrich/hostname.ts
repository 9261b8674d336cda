/**
 * One spelling per host, so that `Example.COM.`, `example.com:443` and `https://example.com/` are the
 * same site, and an IDN such as `bücher.de` is stored as the punycode the browser reports in
 * `location.hostname` (`xn--bcher-kva.de`). Shared by ingest (page and referrer hosts) and accounts
 * (site hostnames).
 */

const MAX_INPUT = 2048;
const MAX_HOSTNAME = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Lowercase ASCII hostname without port or trailing dot, or `undefined` when the input is not a plain
 * DNS name or IPv4 address. Accepts a bare host, `host:port`, or an http(s) URL whose path is empty or
 * `/`; rejects other schemes, credentials, paths, queries, fragments, IPv6 literals and underscores.
 */
export function normalizeHostname(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const trimmed = input.trim();
  if (trimmed === '' || trimmed.length > MAX_INPUT) return undefined;

  const hasScheme = SCHEME.test(trimmed);
  if (!hasScheme && /[/?#@\\]/.test(trimmed)) return undefined;
  // The URL parser percent-decodes hosts; a hostname typed or sent with escapes is not a plain name.
  if (trimmed.includes('%')) return undefined;
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `http://${trimmed}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return undefined;
  // new URL('http://a.com?') leaves search empty: the raw input must not carry these either.
  if (hasScheme && /[?#]/.test(trimmed)) return undefined;

  let hostname = url.hostname;
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (hostname === '' || hostname.length > MAX_HOSTNAME || hostname.startsWith('[')) return undefined;
  // The URL parser expands IPv4 shorthands (`0x7f.1` → `127.0.0.1`); accept only the dotted quad as written.
  if (IPV4.test(hostname)) return trimmed.includes(hostname) ? hostname : undefined;
  const labels = hostname.split('.');
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  // A numeric last label would be an IPv4 shorthand the URL parser already rewrote; anything left
  // all-numeric is not a real top-level domain.
  if (labels.length > 1 && /^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return hostname;
}

/** `www.example.com` → `example.com`: self-referral checks and source lookups ignore `www.`. */
export function withoutWww(hostname: string): string {
  return hostname.startsWith('www.') ? hostname.slice(4) : hostname;
}
