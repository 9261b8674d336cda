import { describe, expect, it } from 'vitest';
import { ipv4Number, ipv6Words, mappedIpv4 } from './ip-bits.ts';

describe('ip bits', () => {
  it('when an IPv4 address is read, then it is its unsigned 32-bit value', () => {
    expect(ipv4Number('0.0.0.0')).toBe(0);
    expect(ipv4Number('10.0.0.1')).toBe(0x0a000001);
    expect(ipv4Number('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4Number('203.0.113.9')).toBe(0xcb007109);
  });

  it('when an IPv6 address is read, then :: is expanded and a dotted tail becomes two groups', () => {
    expect(ipv6Words('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Words('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Words('2001:db8::')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Words('2001:db8:1:2:3:4:5:6')).toEqual([0x2001, 0xdb8, 1, 2, 3, 4, 5, 6]);
    expect(ipv6Words('fe80::1:2')).toEqual([0xfe80, 0, 0, 0, 0, 0, 1, 2]);
    expect(ipv6Words('::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
  });

  it('when an IPv6 address is IPv4-mapped, then the IPv4 value is extracted; otherwise not', () => {
    expect(mappedIpv4(ipv6Words('::ffff:a00:1'))).toBe(0x0a000001);
    expect(mappedIpv4(ipv6Words('::1'))).toBeUndefined();
    expect(mappedIpv4(ipv6Words('2001:db8::ffff:a00:1'))).toBeUndefined();
  });
});
