import { describe, expect, it } from 'vitest';
import { normalizeHostname, normalizeSubdomain } from './hostname.ts';
import { canonicalTimeZone, isValidTimeZone } from './time-zones.ts';

describe('hostname normalisation', () => {
  it('when a URL or mixed-case name is pasted, then the bare lower-case hostname remains', () => {
    expect(normalizeHostname('https://WWW.Example.com:443/blog?x=1#top')).toBe('www.example.com');
    expect(normalizeHostname('  example.com.  ')).toBe('example.com');
    expect(normalizeHostname('user@shop.example.co.uk/')).toBe('shop.example.co.uk');
  });

  it('when the name is international, then it becomes punycode', () => {
    expect(normalizeHostname('Bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('when the input is not a public domain name, then it is refused', () => {
    for (const bad of [
      '',
      'localhost',
      '192.168.1.1',
      'http://10.0.0.1/',
      'exa mple.com',
      '-bad.example.com',
      'example.123',
      '[::1]',
      'a'.repeat(64) + '.com',
    ]) {
      expect(normalizeHostname(bad), bad).toBeUndefined();
    }
  });

  it('subdomains are DNS-safe and never reserved names', () => {
    expect(normalizeSubdomain(' My-Blog ')).toBe('my-blog');
    expect(normalizeSubdomain('api')).toBeUndefined();
    expect(normalizeSubdomain('ab')).toBeUndefined();
    expect(normalizeSubdomain('bad_name')).toBeUndefined();
  });

  it('time zones are IANA names', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true); // an alias of Asia/Calcutta in this runtime's list
    expect(isValidTimeZone('../etc')).toBe(false);
  });

  it('when Node accepts a zone that ClickHouse cannot load, then it is refused; a case difference is canonicalized', () => {
    expect(
      ['utc', 'Utc', 'europe/berlin', 'US/Pacific-New', 'SystemV/AST4', 'Factory', ''].map(canonicalTimeZone),
    ).toEqual(['UTC', 'UTC', 'Europe/Berlin', undefined, undefined, undefined, undefined]);
    // Node itself takes all five; the list is what ClickHouse knows.
    for (const zone of ['utc', 'europe/berlin', 'US/Pacific-New', 'SystemV/AST4'])
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
  });
});
