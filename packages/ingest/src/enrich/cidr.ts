import { BlockList, isIP } from 'node:net';

/**
 * IP and CIDR matching for trusted proxies and traffic filters. Node's BlockList does the bit work
 * (v4 and v6, and it matches IPv4-mapped IPv6 against v4 ranges); this file adds parsing that
 * tolerates what people paste (`10.0.0.0/8`, a bare address, `[2001:db8::1]`) and a cache so a
 * list is compiled once rather than on every request.
 */

export type Cidr = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/** `::ffff:1.2.3.4` → `1.2.3.4`, `[::1]` → `::1`; `''` for anything that is not an IP address. */
export function normalizeIp(value: string): string {
  if (typeof value !== 'string') return '';
  let ip = value.trim();
  if (ip.length > 64) return '';
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  // IPv6 zone ids (`fe80::1%eth0`) name a local interface and never identify a visitor.
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  ip = ip.toLowerCase();
  if (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4) ip = ip.slice(7);
  return isIP(ip) === 0 ? '' : ip;
}

/** Parses `address/prefix` or a bare address (a /32 or /128); `undefined` when invalid. */
export function parseCidr(value: string): Cidr | undefined {
  if (typeof value !== 'string') return undefined;
  const [rawAddress = '', rawPrefix, ...rest] = value.trim().split('/');
  if (rest.length > 0) return undefined;
  const address = normalizeIp(rawAddress);
  if (address === '') return undefined;
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  const max = family === 'ipv4' ? 32 : 128;
  if (rawPrefix === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(rawPrefix)) return undefined;
  const prefix = Number(rawPrefix);
  return prefix <= max ? { address, prefix, family } : undefined;
}

export function isValidCidr(value: string): boolean {
  return parseCidr(value) !== undefined;
}

/** Compiles a list once; invalid entries are skipped (validate them with `isValidCidr` on input). */
export function compileCidrs(cidrs: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  let size = 0;
  for (const entry of cidrs) {
    const cidr = parseCidr(entry);
    if (!cidr) continue;
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    size += 1;
  }
  if (size === 0) return () => false;
  return (ip: string) => {
    const address = normalizeIp(ip);
    if (address === '') return false;
    return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  };
}

// Callers pass the same array (a site's filter list, the configured proxies) request after request,
// so the compiled list is cached by array identity: treat a list you pass here as immutable.
const compiled = new WeakMap<readonly string[], (ip: string) => boolean>();

/** Whether `ip` lies in any of `cidrs` (addresses or ranges, v4 or v6). Never throws. */
export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return false;
  let matcher = compiled.get(cidrs);
  if (!matcher) {
    matcher = compileCidrs(cidrs);
    compiled.set(cidrs, matcher);
  }
  return matcher(ip);
}
