import { describe, expect, it } from 'vitest';
import { publicSubdomainOfPage } from './public-host.ts';

const page = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('publicSubdomainOfPage', () => {
  it('when the server marked the page with a subdomain, then it is returned', () => {
    expect(publicSubdomainOfPage(page('<head><meta name="spur-public-subdomain" content="acme"></head>'))).toBe('acme');
  });

  it('when the page is not marked, or marked with something that is no subdomain, then there is none', () => {
    expect(publicSubdomainOfPage(page('<head></head>'))).toBeUndefined();
    expect(
      publicSubdomainOfPage(page('<head><meta name="spur-public-subdomain" content="a/b"></head>')),
    ).toBeUndefined();
  });
});
