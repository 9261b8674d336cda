import { readListFile } from './data-file.ts';

/** Loaded on first use from `data/referrer-spam.txt` (see its header for the format). */
let spamDomains: Set<string> | undefined;

function domains(): Set<string> {
  spamDomains ??= new Set(readListFile('referrer-spam.txt'));
  return spamDomains;
}

/**
 * Whether a referrer host belongs to a known referrer-spam domain; subdomains of a listed domain
 * match (`www.semalt.com`, `x.semalt.com`). Expects a hostname, not a URL; never throws.
 */
export function isReferrerSpam(hostname: string): boolean {
  if (typeof hostname !== 'string' || hostname === '' || hostname.length > 253) return false;
  const list = domains();
  let host = hostname.trim().toLowerCase().replace(/\.$/, '');
  while (host !== '') {
    if (list.has(host)) return true;
    const dot = host.indexOf('.');
    if (dot === -1) return false;
    host = host.slice(dot + 1);
  }
  return false;
}
