import { domainToASCII } from 'node:url';

/**
 * Normalises what people paste as their site's address: "https://WWW.Example.com:443/blog?x"
 * becomes "www.example.com". International names become punycode (the form browsers send in
 * the Host header and spur.js reports). Returns undefined for anything that is not a public DNS
 * name: IP addresses, single labels and "localhost" cannot be a site.
 */
export function normalizeHostname(input: string): string | undefined {
  let value = input.trim();
  if (!value || value.length > 2048) return undefined;
  value = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  value = value.split(/[/?#]/, 1)[0]!;
  value = value
    .replace(/^[^@]*@/, '')
    .replace(/:\d*$/, '')
    .replace(/\.$/, '');
  const ascii = domainToASCII(value.toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((l) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(l))) return undefined;
  // The last label is a TLD: letters (or punycode), never all digits, so IPv4 addresses fail here.
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels.at(-1)!)) return undefined;
  return ascii;
}

/** Subdomains of the public-dashboard domain: DNS-safe and not one of ours. */
const RESERVED_SUBDOMAINS = new Set([
  'www',
  'api',
  'app',
  'admin',
  'dashboard',
  'mail',
  'docs',
  'blog',
  'status',
  'static',
  'cdn',
  'spur',
]);

export function normalizeSubdomain(input: string): string | undefined {
  const value = input.trim().toLowerCase();
  if (!/^(?!-)[a-z0-9-]{3,63}(?<!-)$/.test(value)) return undefined;
  if (RESERVED_SUBDOMAINS.has(value)) return undefined;
  return value;
}
