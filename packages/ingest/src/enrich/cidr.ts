import { isIP } from 'node:net';
import { ipv4Number, ipv6Words, mappedIpv4 } from './ip-bits.ts';

/**
 * IP and CIDR matching for trusted proxies and traffic filters: parsing that tolerates what people
 * paste (`10.0.0.0/8`, a bare address, `[2001:db8::1]`), lists compiled once and cached, and plain
 * integer comparisons per check. (Node's BlockList does the same job but costs ~9 µs a check here,
 * more than the rest of a hit's enrichment.)
 */

export type Cidr = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/** `::ffff:1.2.3.4` → `1.2.3.4`, `[::1]` → `::1`; `''` for anything that is not an IP address. */
export function normalizeIp(value: string): string {
  if (typeof value !== 'string') return '';
  // The common case, answered without trimming, lower-casing or net.isIP's regular expression.
  if (isPlainIpv4(value)) return value;
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

/**
 * Exactly the dotted quads that `net.isIP` calls IPv4 (four decimal parts of 0-255, no leading
 * zeros), checked by character: every hit's address and each forwarding hop go through here.
 */
export function isPlainIpv4(value: string): boolean {
  const length = value.length;
  if (length < 7 || length > 15) return false;
  let parts = 0;
  let digits = 0;
  let part = 0;
  for (let i = 0; i <= length; i++) {
    const code = i === length ? 46 : value.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || part > 255 || ++parts > 4) return false;
      digits = 0;
      part = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits === 1 && part === 0) return false; // a leading zero
      part = part * 10 + code - 48;
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4;
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

type Ipv4Range = { network: number; mask: number };
type Ipv6Range = { words: number[]; prefix: number };

/** Compiles a list once; invalid entries are skipped (validate them with `isValidCidr` on input). */
export function compileCidrs(cidrs: readonly string[]): (ip: string) => boolean {
  const v4: Ipv4Range[] = [];
  const v6: Ipv6Range[] = [];
  for (const entry of cidrs) {
    const cidr = parseCidr(entry);
    if (!cidr) continue;
    if (cidr.family === 'ipv4') {
      const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
      v4.push({ network: (ipv4Number(cidr.address) & mask) >>> 0, mask });
    } else {
      v6.push({ words: ipv6Words(cidr.address), prefix: cidr.prefix });
    }
  }
  if (v4.length === 0 && v6.length === 0) return () => false;
  return (ip: string) => {
    if (isPlainIpv4(ip)) return matchesV4(ipv4Number(ip), v4);
    const address = normalizeIp(ip);
    if (address === '') return false;
    if (isIP(address) === 4) return matchesV4(ipv4Number(address), v4);
    const words = ipv6Words(address);
    // `::ffff:a00:1` is 10.0.0.1 written in hex; the dotted form was already unwrapped above.
    const mapped = mappedIpv4(words);
    if (mapped !== undefined && matchesV4(mapped, v4)) return true;
    return v6.some((range) => matchesV6(words, range));
  };
}

function matchesV4(ip: number, ranges: Ipv4Range[]): boolean {
  for (const range of ranges) if ((ip & range.mask) >>> 0 === range.network) return true;
  return false;
}

function matchesV6(words: number[], range: Ipv6Range): boolean {
  let bits = range.prefix;
  for (let i = 0; i < 8 && bits > 0; i += 1, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((words[i]! & mask) !== (range.words[i]! & mask)) return false;
  }
  return true;
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
