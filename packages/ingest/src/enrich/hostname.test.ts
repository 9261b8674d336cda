import { describe, expect, it } from 'vitest';
import { normalizeHostname, withoutWww } from './hostname.ts';

describe('normalizeHostname', () => {
  it.each([
    ['example.com', 'example.com'],
    ['Example.COM.', 'example.com'],
    ['  www.example.com  ', 'www.example.com'],
    ['example.com:8080', 'example.com'],
    ['https://example.com/', 'example.com'],
    ['http://Sub.Example.com:443', 'sub.example.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['😀.com', 'xn--e28h.com'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['http://192.168.1.10:8080/', '192.168.1.10'],
  ])('when given %j, then it is %j', (input, expected) => {
    expect(normalizeHostname(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'https://example.com/blog',
    'example.com/blog',
    'example.com?x=1',
    'https://example.com?x',
    'https://example.com/#top',
    'ftp://example.com',
    'user@example.com',
    'https://user:pass@example.com',
    'exa mple.com',
    'a_b.example.com',
    '-start.example.com',
    'end-.example.com',
    'example..com',
    '.example.com',
    'example.123',
    'ex%41mple.com',
    '0x7f.1',
    '1.2.3',
    '[::1]',
    '::1',
    'example.com:99999',
    `${'a'.repeat(64)}.com`,
    `${'abc.'.repeat(70)}com`,
  ])('when given %j, then it is rejected', (input) => {
    expect(normalizeHostname(input)).toBeUndefined();
  });

  it('when given a non-string, then it is rejected without throwing', () => {
    expect(normalizeHostname(undefined as unknown as string)).toBeUndefined();
    expect(normalizeHostname(42 as unknown as string)).toBeUndefined();
  });
});

describe('withoutWww', () => {
  it('when a host starts with www., then only that label is removed', () => {
    expect(withoutWww('www.example.com')).toBe('example.com');
    expect(withoutWww('www2.example.com')).toBe('www2.example.com');
    expect(withoutWww('example.com')).toBe('example.com');
  });
});
