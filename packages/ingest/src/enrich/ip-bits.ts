/**
 * Addresses as numbers, for CIDR checks. Inputs are already validated by `net.isIP` (see
 * `normalizeIp`), so these parse without re-checking syntax.
 */

/** `203.0.113.9` → its unsigned 32-bit value. */
export function ipv4Number(ip: string): number {
  // By character, without split's array and strings: this runs for every hop of every hit.
  let value = 0;
  let part = 0;
  for (let i = 0; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 46) {
      value = value * 256 + part;
      part = 0;
    } else {
      part = part * 10 + code - 48;
    }
  }
  return (value * 256 + part) >>> 0;
}

/** A validated IPv6 address → its eight 16-bit groups (`::` expanded, a dotted IPv4 tail included). */
export function ipv6Words(ip: string): number[] {
  const gap = ip.indexOf('::');
  const head = groups(gap === -1 ? ip : ip.slice(0, gap));
  if (gap === -1) return head;
  const tail = groups(ip.slice(gap + 2));
  const zeros = Math.max(0, 8 - head.length - tail.length);
  return [...head, ...new Array<number>(zeros).fill(0), ...tail];
}

function groups(part: string): number[] {
  if (part === '') return [];
  const words: number[] = [];
  for (const group of part.split(':')) {
    if (group.includes('.')) {
      const v4 = ipv4Number(group);
      words.push(Math.floor(v4 / 0x10000), v4 & 0xffff);
    } else {
      words.push(parseInt(group, 16));
    }
  }
  return words;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:0:0/96`), if it is one. */
export function mappedIpv4(words: number[]): number | undefined {
  for (let i = 0; i < 5; i += 1) if (words[i] !== 0) return undefined;
  if (words[5] !== 0xffff) return undefined;
  return (words[6]! * 0x10000 + words[7]!) >>> 0;
}
