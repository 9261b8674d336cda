import { ipInCidrs, isPlainIpv4, normalizeIp } from './cidr.ts';
import { headerValue } from './text.ts';

export type ClientIpInput = {
  /** The TCP peer (`req.socket.remoteAddress`). */
  remoteAddress: string;
  headers: Record<string, string | undefined>;
  /** Addresses or CIDRs of our own proxies and load balancers (and a CDN's ranges, if one is used). */
  trustedProxies: readonly string[];
};

const MAX_HEADER = 4096;
const MAX_HOPS = 32;

/**
 * The visitor's IP address, or `''` when none can be determined.
 *
 * Forwarding headers are only believed when the TCP peer is one of our trusted proxies: anybody can
 * send `X-Forwarded-For: 1.2.3.4` straight to the backend. Even behind a proxy the header's left part
 * is client-controlled, so X-Forwarded-For (and Forwarded) are read from the right, skipping our own
 * proxies: the first address that is not trusted is the one our edge saw. The single-value headers
 * (X-Real-IP, CF-Connecting-IP, True-Client-IP) are only a fallback when no list header is present,
 * because a proxy that does not set them passes a client's forged copy through unchanged.
 */
export function clientIp(input: ClientIpInput): string {
  const peer = normalizeIp(input.remoteAddress);
  if (peer === '' || !ipInCidrs(peer, input.trustedProxies)) return peer;

  const forwardedFor = headerValue(input.headers, 'x-forwarded-for');
  if (forwardedFor) {
    const ip = rightmostUntrusted(splitList(forwardedFor), input.trustedProxies);
    if (ip !== undefined) return ip;
  }
  const forwarded = headerValue(input.headers, 'forwarded');
  if (forwarded) {
    const ip = rightmostUntrusted(forwardedForValues(forwarded), input.trustedProxies);
    if (ip !== undefined) return ip;
  }
  for (const name of ['x-real-ip', 'cf-connecting-ip', 'true-client-ip']) {
    const value = headerValue(input.headers, name);
    if (!value) continue;
    const ip = normalizeHop(value);
    if (ip !== '') return ip;
  }
  return peer;
}

/**
 * Walks hops right to left. Returns the first untrusted hop; the leftmost hop when every hop is
 * trusted (requests from inside our network); `undefined` when a malformed hop is reached first,
 * because nothing left of a hop we cannot read can be attributed to anyone.
 */
function rightmostUntrusted(hops: string[], trustedProxies: ClientIpInput['trustedProxies']): string | undefined {
  let last: string | undefined;
  for (let i = hops.length - 1; i >= 0 && hops.length - i <= MAX_HOPS; i -= 1) {
    const ip = normalizeHop(hops[i]!);
    if (ip === '') return undefined;
    if (!ipInCidrs(ip, trustedProxies)) return ip;
    last = ip;
  }
  return last;
}

// Hops are read from the right, so an oversized header is cut on the left (the client's side).
function splitList(value: string): string[] {
  return value.slice(-MAX_HEADER).split(',');
}

/** RFC 7239: `for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"` → the `for` values in order. */
function forwardedForValues(value: string): string[] {
  const hops: string[] = [];
  for (const element of splitList(value)) {
    const pair = element
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.toLowerCase().startsWith('for='));
    // An element without `for=` still is a hop we cannot attribute.
    hops.push(pair === undefined ? '' : pair.slice(4).trim().replace(/^"|"$/g, ''));
  }
  return hops;
}

/** One hop as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`, `2001:db8::1`. */
function normalizeHop(raw: string): string {
  if (isPlainIpv4(raw)) return raw;
  const hop = raw.trim();
  if (hop.startsWith('[')) {
    const end = hop.indexOf(']');
    return end === -1 ? '' : normalizeIp(hop.slice(1, end));
  }
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
  return normalizeIp(v4WithPort ? v4WithPort[1]! : hop);
}
