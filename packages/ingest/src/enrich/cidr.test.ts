import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ipInCidrs, isPlainIpv4, isValidCidr, normalizeIp, parseCidr } from './cidr.ts';

describe('isPlainIpv4', () => {
  it('when given dotted quads and near misses, then it answers exactly as net.isIP does', () => {
    // Parts at every boundary (leading zeros, 255/256, empty, signs, wide digits) in every position.
    const parts = [
      '0',
      '00',
      '01',
      '1',
      '9',
      '10',
      '99',
      '100',
      '199',
      '200',
      '249',
      '250',
      '255',
      '256',
      '999',
      '1000',
    ];
    const odd = ['', 'a', '-1', ' 1', '1 ', '\uff11', '0x1'];
    const samples = ['1.2.3', '1.2.3.4.5', '1.2.3.4.', '.1.2.3.4', '1..2.3', '::1', '::ffff:1.2.3.4', ''];
    for (const a of [...parts, ...odd])
      for (const b of ['0', '255', '256', '01', ...odd])
        for (const d of [...parts, ...odd]) samples.push(`${a}.${b}.7.${d}`, `${b}.${a}.${d}.0`);
    const disagreements = samples.filter((value) => isPlainIpv4(value) !== (isIP(value) === 4));
    expect(disagreements).toEqual([]);
    expect(samples.filter((value) => isPlainIpv4(value)).length).toBeGreaterThan(100);
  });
});

describe('normalizeIp', () => {
  it('when given IPv4, IPv6, mapped or bracketed addresses, then one spelling comes back', () => {
    expect(normalizeIp('203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeIp('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeIp('[2001:db8::1]')).toBe('2001:db8::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp(' 10.0.0.1 ')).toBe('10.0.0.1');
  });

  it('when given anything else, then it is empty', () => {
    for (const value of [
      '',
      'localhost',
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4:80',
      '::ffff:',
      'x'.repeat(100),
      undefined as unknown as string,
    ]) {
      expect(normalizeIp(value), String(value)).toBe('');
    }
  });
});

describe('parseCidr', () => {
  it('when given ranges or bare addresses, then prefix and family are read', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('192.0.2.1')).toEqual({ address: '192.0.2.1', prefix: 32, family: 'ipv4' });
    expect(parseCidr('2001:db8::/32')).toEqual({ address: '2001:db8::', prefix: 32, family: 'ipv6' });
    expect(parseCidr('::1')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' });
  });

  it('when the prefix or address is invalid, then it is rejected', () => {
    for (const value of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      '10.0.0.0/-1',
      '10.0.0.0/a',
      'example.com/24',
      '',
    ]) {
      expect(isValidCidr(value), value).toBe(false);
    }
  });
});

describe('ipInCidrs', () => {
  const list = ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', 'not-a-cidr'];

  it('when an address lies in a v4 or v6 range or equals a listed address, then it matches', () => {
    expect(ipInCidrs('10.255.1.2', list)).toBe(true);
    expect(ipInCidrs('::ffff:10.1.1.1', list)).toBe(true);
    expect(ipInCidrs('192.0.2.7', list)).toBe(true);
    expect(ipInCidrs('2001:db8:1234::5', list)).toBe(true);
  });

  it('when an address lies outside every range, then it does not match', () => {
    expect(ipInCidrs('11.0.0.1', list)).toBe(false);
    expect(ipInCidrs('192.0.2.8', list)).toBe(false);
    expect(ipInCidrs('2001:db9::1', list)).toBe(false);
    expect(ipInCidrs('garbage', list)).toBe(false);
    expect(ipInCidrs('10.0.0.1', [])).toBe(false);
  });

  it('when a /0 is listed, then every address of that family matches', () => {
    expect(ipInCidrs('8.8.8.8', ['0.0.0.0/0'])).toBe(true);
    expect(ipInCidrs('2001:4860::1', ['0.0.0.0/0'])).toBe(false);
    expect(ipInCidrs('2001:4860::1', ['::/0'])).toBe(true);
  });
});

describe('ipInCidrs edge prefixes', () => {
  it('when prefixes fall inside a 16-bit group or at /32 and /128, then only the right addresses match', () => {
    expect(ipInCidrs('2001:db8:8000::1', ['2001:db8:8000::/33'])).toBe(true);
    expect(ipInCidrs('2001:db8:7fff::1', ['2001:db8:8000::/33'])).toBe(false);
    expect(ipInCidrs('2001:db8::1', ['2001:db8::1/128'])).toBe(true);
    expect(ipInCidrs('2001:db8::2', ['2001:db8::1/128'])).toBe(false);
    expect(ipInCidrs('192.0.2.129', ['192.0.2.128/25'])).toBe(true);
    expect(ipInCidrs('192.0.2.127', ['192.0.2.128/25'])).toBe(false);
    expect(ipInCidrs('255.255.255.255', ['255.255.255.255/32'])).toBe(true);
  });

  it('when an IPv4-mapped address is written in hex, then it still matches the IPv4 range', () => {
    expect(ipInCidrs('::ffff:a00:1', ['10.0.0.0/8'])).toBe(true);
  });
});
