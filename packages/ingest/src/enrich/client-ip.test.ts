import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';

const proxies = ['10.0.0.0/8', '2001:db8:ffff::/48'];
const via = (remoteAddress: string, headers: Record<string, string | undefined>) =>
  clientIp({ remoteAddress, headers, trustedProxies: proxies });

describe('clientIp', () => {
  it('when the peer is not a trusted proxy, then forwarding headers are ignored', () => {
    expect(
      via('198.51.100.20', { 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '1.2.3.4', 'cf-connecting-ip': '1.2.3.4' }),
    ).toBe('198.51.100.20');
    expect(clientIp({ remoteAddress: '10.0.0.5', headers: { 'x-forwarded-for': '1.2.3.4' }, trustedProxies: [] })).toBe(
      '10.0.0.5',
    );
  });

  it('when the peer is IPv4-mapped, then it is reported as IPv4', () => {
    expect(via('::ffff:198.51.100.20', {})).toBe('198.51.100.20');
  });

  it('when a trusted proxy forwards, then the rightmost untrusted X-Forwarded-For hop is the client', () => {
    expect(via('10.0.0.5', { 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9');
    // The visitor forged the first entry; our edge appended what it saw.
    expect(via('10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.3' })).toBe('203.0.113.9');
    expect(via('::ffff:10.0.0.5', { 'X-Forwarded-For': '203.0.113.9,10.1.1.1' })).toBe('203.0.113.9');
  });

  it('when X-Forwarded-For hops carry ports or brackets, then the address is extracted', () => {
    expect(via('10.0.0.5', { 'x-forwarded-for': '203.0.113.9:51234' })).toBe('203.0.113.9');
    expect(via('10.0.0.5', { 'x-forwarded-for': '[2001:db8:1::7]:443' })).toBe('2001:db8:1::7');
    expect(via('2001:db8:ffff::1', { 'x-forwarded-for': '2001:db8:1::7, 2001:db8:ffff::2' })).toBe('2001:db8:1::7');
  });

  it('when every hop is one of our proxies, then the leftmost is the client (internal traffic)', () => {
    expect(via('10.0.0.5', { 'x-forwarded-for': '10.9.9.9, 10.0.0.3' })).toBe('10.9.9.9');
  });

  it('when a malformed hop is reached before an untrusted one, then the next header or the peer is used', () => {
    expect(via('10.0.0.5', { 'x-forwarded-for': '203.0.113.9, garbage' })).toBe('10.0.0.5');
    expect(via('10.0.0.5', { 'x-forwarded-for': 'unknown', 'x-real-ip': '203.0.113.10' })).toBe('203.0.113.10');
  });

  it('when only Forwarded is set, then its for= values are walked the same way', () => {
    expect(via('10.0.0.5', { forwarded: 'for=6.6.6.6, for=203.0.113.9;proto=https;by=10.0.0.5' })).toBe('203.0.113.9');
    expect(via('10.0.0.5', { forwarded: 'for="[2001:db8:1::17]:4711"' })).toBe('2001:db8:1::17');
    expect(via('10.0.0.5', { forwarded: 'For=203.0.113.9;Proto=http' })).toBe('203.0.113.9');
    expect(via('10.0.0.5', { forwarded: 'for=_hidden' })).toBe('10.0.0.5');
  });

  it('when only single-value headers are set, then X-Real-IP, CF-Connecting-IP and True-Client-IP are used in that order', () => {
    expect(via('10.0.0.5', { 'x-real-ip': '203.0.113.1', 'cf-connecting-ip': '203.0.113.2' })).toBe('203.0.113.1');
    expect(via('10.0.0.5', { 'cf-connecting-ip': '203.0.113.2', 'true-client-ip': '203.0.113.3' })).toBe('203.0.113.2');
    expect(via('10.0.0.5', { 'true-client-ip': '::ffff:203.0.113.3' })).toBe('203.0.113.3');
  });

  it('when a list header and a single-value header disagree, then the list header wins', () => {
    expect(via('10.0.0.5', { 'x-forwarded-for': '203.0.113.9', 'cf-connecting-ip': '6.6.6.6' })).toBe('203.0.113.9');
  });

  it('when everything is garbage, then the answer is empty or the peer, never an exception', () => {
    expect(via('not-an-ip', { 'x-forwarded-for': '1.2.3.4' })).toBe('');
    expect(via('10.0.0.5', { 'x-forwarded-for': ',,,', 'x-real-ip': 'nope' })).toBe('10.0.0.5');
    expect(via('10.0.0.5', { 'x-forwarded-for': `${'1.1.1.1,'.repeat(10_000)}203.0.113.9` })).toBe('203.0.113.9');
  });
});
