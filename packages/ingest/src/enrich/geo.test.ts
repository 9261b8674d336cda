import { beforeAll, describe, expect, it } from 'vitest';
import { openGeo, type GeoLookup } from './geo.ts';

const unknown = { country_code: '', region: '', city: '' };
let geo: GeoLookup;

beforeAll(async () => {
  geo = await openGeo();
}, 60_000);

describe('geo lookup (DB-IP Lite city database from npm)', () => {
  it('when the IP is a well-known public resolver, then its country is found', () => {
    expect(geo.lookup('8.8.8.8')).toEqual({ country_code: 'US', region: 'California', city: 'Mountain View' });
    expect(geo.lookup('1.1.1.1').country_code).toBe('AU');
    expect(geo.lookup('46.4.0.1').country_code).toBe('DE');
    expect(geo.lookup('2a00:1450:4001:80b::200e').country_code).toBe('DE');
  });

  it('when the IPv4 address arrives IPv4-mapped, then it is looked up as IPv4', () => {
    expect(geo.lookup('::ffff:8.8.8.8')).toEqual(geo.lookup('8.8.8.8'));
  });

  it('when the IP is private, loopback, link-local, CGNAT or documentation, then everything is empty', () => {
    for (const ip of [
      '10.1.2.3',
      '172.16.5.4',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.1.1',
      '100.64.0.1',
      '192.0.2.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '2001:db8::1',
      '::ffff:192.168.1.1',
    ]) {
      expect(geo.lookup(ip), ip).toEqual(unknown);
    }
  });

  it('when the input is not an IP, then everything is empty and nothing throws', () => {
    for (const ip of ['', 'localhost', '999.1.1.1', '1.2.3.4:80', 'x'.repeat(10_000), undefined as unknown as string]) {
      expect(geo.lookup(ip)).toEqual(unknown);
    }
  });

  it('when opened twice, then the same lookup is returned (the database is loaded once per process)', async () => {
    expect(await openGeo()).toBe(geo);
  });
});
