import { describe, expect, it } from 'vitest';
import { isValidTimeZone, normalizeHostname, normalizeSubdomain } from './hostname.ts';

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
});
