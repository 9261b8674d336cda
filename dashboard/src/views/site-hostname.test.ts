import { describe, expect, it } from 'vitest';
import { readHostname } from './site-hostname.ts';

describe('the domain typed when adding a site', () => {
  it('when a full www address is pasted, then the hostname is what is stored and the bare domain is offered', () => {
    expect(readHostname('https://www.Newcomer-Site.example/')).toEqual({
      hostname: 'www.newcomer-site.example',
      changed: true,
      bare: 'newcomer-site.example',
    });
    expect(readHostname('http://shop.example:8080/pricing?x=1')).toEqual({ hostname: 'shop.example', changed: true });
  });

  it('when a plain domain is typed, then nothing changes and nothing is offered', () => {
    expect(readHostname('example.com')).toEqual({ hostname: 'example.com', changed: false });
    // "www.com" is a domain of its own, not the www of "com".
    expect(readHostname('www.com')).toEqual({ hostname: 'www.com', changed: false });
  });
});
