import { describe, expect, it } from 'vitest';
import { allowedHostnamesSchema, hostnameAllowed } from './hostname-shield.ts';

const site = ['shop.example', 'shop-example.de'];

describe('the hostname shield', () => {
  it('when the owner set nothing, then the site hostnames, alternative hostnames and their subdomains count, nothing else', () => {
    const allowed = (host: string) => hostnameAllowed({ siteHostnames: site, allowed: [] }, host);
    expect(
      ['shop.example', 'www.shop.example', 'a.b.shop.example', 'SHOP-EXAMPLE.DE.', 'eu.shop-example.de'].map(allowed),
    ).toEqual([true, true, true, true, true]);
    expect(['copy-shop.example', 'shop.example.evil.com', 'example', 'localhost', ''].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('when the owner sets a list, then it replaces the default: exact names, *.subdomains, or * for anything', () => {
    const narrow = { siteHostnames: site, allowed: ['shop.example'] };
    expect(['shop.example', 'www.shop.example', 'shop-example.de'].map((h) => hostnameAllowed(narrow, h))).toEqual([
      true,
      false,
      false,
    ]);
    const wide = { siteHostnames: site, allowed: ['*.shop.example', 'partner.example'] };
    expect(
      ['www.shop.example', 'shop.example', 'partner.example', 'x.partner.example'].map((h) => hostnameAllowed(wide, h)),
    ).toEqual([true, false, true, false]);
    expect(hostnameAllowed({ siteHostnames: site, allowed: ['*'] }, 'anything.at.all')).toBe(true);
  });

  it('when a list is given, then entries are normalized and anything else is refused naming the entry', () => {
    expect(
      allowedHostnamesSchema.parse({ hostnames: [' WWW.Shop.Example ', '*.Shop.Example', '*', 'https://a.example/x'] }),
    ).toEqual({
      hostnames: ['www.shop.example', '*.shop.example', '*', 'a.example'],
    });
    const refused = allowedHostnamesSchema.safeParse({ hostnames: ['shop.example', '*.', 'localhost'] });
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['hostnames.1', 'must be a hostname, *.hostname or *'],
      ['hostnames.2', 'must be a hostname, *.hostname or *'],
    ]);
  });
});
