import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CHANNELS, classifyChannel } from './channel.ts';
import { clientIp } from './client-ip.ts';
import { detectBot, isReferrerSpam } from './bot.ts';
import { ipInCidrs, isValidCidr, normalizeIp } from './cidr.ts';
import { normalizeHostname } from './hostname.ts';
import { parseLanguage } from './language.ts';
import { parseReferrer } from './referrer.ts';
import { screenClass } from './screen.ts';
import { parseUserAgent } from './user-agent.ts';
import { parseUtm } from './utm.ts';

/** Deterministic pseudo-random strings, so a failure reproduces. */
function* hostileStrings(count: number): Generator<string> {
  let seed = 0x5eed;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const pieces = [
    '',
    ' ',
    '\u0000',
    '\n',
    '\u2028',
    '%',
    '%zz',
    '%E0%A4%A',
    '::',
    '[',
    ']',
    '(',
    ')',
    '"',
    ';',
    ',',
    '=',
    'q=',
    '/',
    '://',
    'https://',
    'android-app://',
    '..',
    '.',
    '-',
    '_',
    '@',
    '#',
    '?',
    'é',
    '😀',
    '\ud800',
    'xn--',
    'www.',
    'google.',
    '10.0.0.1',
    '::ffff:',
    '2001:db8::',
    '255.255.255.255',
    '999',
    'Mozilla/5.0',
    'AppleWebKit/537.36',
    '${jndi:',
    '<script>',
    'a'.repeat(300),
    '1'.repeat(50),
    'Chrome/',
    'Windows NT 10.0',
    'v="',
    '?1',
    '"Windows"',
    'utm_source=',
    '&',
    '+',
  ];
  for (let i = 0; i < count; i += 1) {
    let value = '';
    const parts = next() % 12;
    for (let j = 0; j < parts; j += 1) value += pieces[next() % pieces.length];
    yield value;
  }
}

const PLATFORMS = ['desktop', 'mobile', 'tablet', 'unknown'];
const EVERY_ADDRESS = ['0.0.0.0/0', '::/0'];
const BOT_REASONS = [
  undefined,
  'user_agent_missing',
  'user_agent_too_short',
  'user_agent_too_long',
  'user_agent_invalid',
  'bot_user_agent',
  'prefetch',
];

describe('every enrichment function on hostile input', () => {
  it('when fed 3,000 generated strings, then nothing throws and every answer stays in its domain', () => {
    let checked = 0;
    // How often each conditional check ran: a check that never runs proves nothing.
    const ran = { referrer: 0, utm: 0, hostname: 0, ip: 0, cidr: 0 };
    for (const value of hostileStrings(3_000)) {
      const agent = parseUserAgent(value, {
        sec_ch_ua: value,
        sec_ch_ua_mobile: value,
        sec_ch_ua_platform: value,
        sec_ch_ua_platform_version: value,
      });
      expect(PLATFORMS).toContain(agent.platform);
      expect(agent.browser.length + agent.os.length).toBeLessThan(200);

      expect(BOT_REASONS).toContain(detectBot({ userAgent: value, headers: { purpose: value, [value]: value } }));
      // None of the generated pieces is a listed spam domain (the positive cases are in bot.test.ts).
      expect(isReferrerSpam(value)).toBe(false);

      const referrer = parseReferrer({ referrer: value, pageHostname: value, siteHostnames: [value], source: value });
      if (referrer) {
        ran.referrer += 1;
        expect(referrer.referrer.length).toBeLessThanOrEqual(500);
        expect(referrer.referrer_name.length).toBeGreaterThan(0);
        expect(referrer.referrer_name.length).toBeLessThanOrEqual(500);
      }
      const channel = classifyChannel({
        referrerName: value,
        referrerHost: value,
        utm_source: value,
        utm_medium: value,
        utm_campaign: value,
        gclid: false,
        msclkid: false,
      });
      expect(CHANNELS).toContain(channel);

      let url: URL | undefined;
      try {
        url = new URL(`https://example.com/?utm_source=${value}&ref=${value}&utm_campaign=${value}`);
      } catch {
        url = undefined;
      }
      if (url) {
        ran.utm += 1;
        expect(parseUtm(url).utm_campaign.length).toBeLessThanOrEqual(200);
      }

      expect(parseLanguage(value)).toMatch(/^(?:[a-z]{2})?$/);
      const host = normalizeHostname(value);
      if (host !== undefined) {
        ran.hostname += 1;
        expect(host).toMatch(/^[a-z0-9.-]+$/);
      }
      // An address or nothing: never the raw header text.
      const ip = clientIp({
        remoteAddress: value,
        headers: { 'x-forwarded-for': value, forwarded: value },
        trustedProxies: ['0.0.0.0/0', '::/0'],
      });
      expect(ip === '' || isIP(ip) !== 0, JSON.stringify(ip)).toBe(true);
      // Every address lies in the range of all addresses; anything else lies in no range.
      const address = normalizeIp(value);
      if (address !== '') ran.ip += 1;
      expect(ipInCidrs(value, EVERY_ADDRESS), JSON.stringify(value)).toBe(address !== '');
      // A range holds its own address; what is not a range holds nothing.
      if (isValidCidr(value)) {
        ran.cidr += 1;
        expect(ipInCidrs(normalizeIp(value.trim().split('/')[0]!), [value]), JSON.stringify(value)).toBe(true);
      } else {
        expect(ipInCidrs('10.0.0.1', [value]), JSON.stringify(value)).toBe(false);
      }
      checked += 1;
    }
    expect(checked).toBe(3_000);
    // The inputs are fixed, so is how many of them reach each conditional check (a check that never
    // runs proves nothing). A change here means a parser now takes or refuses other hostile input.
    expect(ran).toEqual({ referrer: 2017, utm: 3000, hostname: 6, ip: 8, cidr: 7 });
  });

  it('when numbers arrive where strings belong (a JSON body with wrong types), then nothing throws', () => {
    for (const wrong of [null, undefined, 42, {}, [], true] as unknown as string[]) {
      expect(() => parseUserAgent(wrong, wrong as never)).not.toThrow();
      expect(() => detectBot({ userAgent: wrong, headers: wrong as never })).not.toThrow();
      expect(() =>
        parseReferrer({ referrer: wrong, pageHostname: wrong, siteHostnames: [], source: wrong }),
      ).not.toThrow();
      expect(() => parseLanguage(wrong)).not.toThrow();
      expect(() => normalizeHostname(wrong)).not.toThrow();
      expect(() => clientIp({ remoteAddress: wrong, headers: {}, trustedProxies: [] })).not.toThrow();
      expect(screenClass(wrong as unknown as number)).toBe(typeof wrong === 'number' ? 'XS' : '');
    }
  });
});
