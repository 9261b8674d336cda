import { describe, expect, it } from 'vitest';
import { parseUserAgent, type UserAgentInfo } from './user-agent.ts';

const ua = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  safariIpad:
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  chromeIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  chromeAndroidPhone:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  chromeAndroidTablet:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  firefoxUbuntu: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromebook:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  operaWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0',
  chromeWindows7:
    'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  ie11: 'Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko',
  webView:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
  instagram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 326.0.3.30.91 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532; 587240478)',
  firefoxAndroid: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
  samsungTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  android81Tablet:
    'Mozilla/5.0 (Linux; Android 8.1.0; SM-T580) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
};

const info = (
  browser: string,
  browser_version: string,
  os: string,
  os_version: string,
  platform: UserAgentInfo['platform'],
) => ({
  browser,
  browser_version,
  os,
  os_version,
  platform,
});

describe('parseUserAgent from the user agent alone', () => {
  it.each([
    ['Chrome on Windows 10', ua.chromeWindows, info('Chrome', '124', 'Windows', '10', 'desktop')],
    ['Edge on Windows', ua.edgeWindows, info('Edge', '124', 'Windows', '10', 'desktop')],
    ['Firefox on Windows', ua.firefoxWindows, info('Firefox', '125', 'Windows', '10', 'desktop')],
    ['Safari on a Mac (frozen at 10.15)', ua.safariMac, info('Safari', '17', 'macOS', '10.15', 'desktop')],
    ['Chrome on a Mac', ua.chromeMac, info('Chrome', '124', 'macOS', '10.15', 'desktop')],
    ['Safari on an iPhone', ua.safariIphone, info('Safari', '17', 'iOS', '17.4', 'mobile')],
    ['Safari on an iPad', ua.safariIpad, info('Safari', '16', 'iOS', '16.6', 'tablet')],
    ['Chrome on an iPhone', ua.chromeIphone, info('Chrome', '124', 'iOS', '17.4', 'mobile')],
    ['Chrome on an Android phone', ua.chromeAndroidPhone, info('Chrome', '124', 'Android', '10', 'mobile')],
    ['Chrome on an Android tablet', ua.chromeAndroidTablet, info('Chrome', '124', 'Android', '10', 'tablet')],
    ['Samsung Internet', ua.samsung, info('Samsung Internet', '24', 'Android', '14', 'mobile')],
    ['Firefox on Ubuntu (distributions are Linux)', ua.firefoxUbuntu, info('Firefox', '125', 'Linux', '', 'desktop')],
    ['Chrome on Linux', ua.chromeLinux, info('Chrome', '124', 'Linux', '', 'desktop')],
    ['Chrome on a Chromebook', ua.chromebook, info('Chrome', '124', 'Chrome OS', '14541', 'desktop')],
    ['Opera on Windows', ua.operaWindows, info('Opera', '109', 'Windows', '10', 'desktop')],
    ['Chrome on Windows 7', ua.chromeWindows7, info('Chrome', '109', 'Windows', '7', 'desktop')],
    ['Internet Explorer 11', ua.ie11, info('IE', '11', 'Windows', '10', 'desktop')],
    ['an Android WebView', ua.webView, info('Android WebView', '124', 'Android', '14', 'mobile')],
    ['the Instagram in-app browser', ua.instagram, info('Instagram', '326', 'iOS', '17.4', 'mobile')],
    ['Firefox on Android', ua.firefoxAndroid, info('Firefox', '125', 'Android', '14', 'mobile')],
    ['a smart TV', ua.samsungTv, info('Samsung Internet', '4', 'Tizen', '6', 'unknown')],
    ['an Android 8.1 tablet (minor kept)', ua.android81Tablet, info('Chrome', '124', 'Android', '8.1', 'tablet')],
  ])('when the user agent is %s, then it reads the expected fields', (_label, userAgent, expected) => {
    expect(parseUserAgent(userAgent)).toEqual(expected);
  });

  it('when the user agent is empty, garbage or huge, then every field is empty or unknown and nothing throws', () => {
    const empty = info('', '', '', '', 'unknown');
    expect(parseUserAgent('')).toEqual(empty);
    expect(parseUserAgent('garbage')).toEqual(empty);
    expect(parseUserAgent(undefined as unknown as string)).toEqual(empty);
    expect(parseUserAgent(`${ua.chromeWindows} ${'x'.repeat(100_000)}`)).toEqual(
      info('Chrome', '124', 'Windows', '10', 'desktop'),
    );
  });
});

describe('parseUserAgent with client hints', () => {
  const chromeHints = (platform: string, version: string, mobile = '?0') => ({
    sec_ch_ua: '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    sec_ch_ua_mobile: mobile,
    sec_ch_ua_platform: `"${platform}"`,
    sec_ch_ua_platform_version: `"${version}"`,
  });

  it('when the platform version is 13 or more on Windows, then it is Windows 11', () => {
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '15.0.0'))).toEqual(
      info('Chrome', '124', 'Windows', '11', 'desktop'),
    );
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '13.0.0')).os_version).toBe('11');
  });

  it('when the platform version is below 13 on Windows, then it is Windows 10 (or 7/8/8.1 for 0.x)', () => {
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '10.0.0')).os_version).toBe('10');
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '1.0.0')).os_version).toBe('10');
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '0.3.0')).os_version).toBe('8.1');
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '0.1.0')).os_version).toBe('7');
  });

  it('when a Mac sends its real version, then it replaces the frozen 10.15', () => {
    expect(parseUserAgent(ua.chromeMac, chromeHints('macOS', '14.5.0'))).toEqual(
      info('Chrome', '124', 'macOS', '14.5', 'desktop'),
    );
    expect(parseUserAgent(ua.chromeMac, chromeHints('macOS', '15.0.0')).os_version).toBe('15');
  });

  it('when an Android phone sends its real version, then it replaces the frozen Android 10', () => {
    expect(parseUserAgent(ua.chromeAndroidPhone, chromeHints('Android', '14.0.0', '?1'))).toEqual(
      info('Chrome', '124', 'Android', '14', 'mobile'),
    );
  });

  it('when an Android tablet says ?0, then it is a tablet, not a desktop', () => {
    expect(parseUserAgent(ua.chromeAndroidTablet, chromeHints('Android', '13.0.0', '?0')).platform).toBe('tablet');
  });

  it('when the brands name Brave or Edge, then they win over the Chrome user agent', () => {
    const brave = { sec_ch_ua: '"Chromium";v="124", "Brave";v="124", "Not-A.Brand";v="99"' };
    expect(parseUserAgent(ua.chromeWindows, brave).browser).toBe('Brave');
    const edge = { sec_ch_ua: '"Not/A)Brand";v="8", "Chromium";v="126", "Microsoft Edge";v="126"' };
    expect(parseUserAgent(ua.chromeWindows, edge)).toEqual(info('Edge', '126', 'Windows', '10', 'desktop'));
  });

  it('when the user agent names an in-app browser, then a generic Chrome brand does not replace it', () => {
    expect(parseUserAgent(ua.instagram, { sec_ch_ua: '"Google Chrome";v="124"' }).browser).toBe('Instagram');
  });

  it('when hints are malformed or unknown, then the user agent is used', () => {
    const junk = {
      sec_ch_ua: 'garbage',
      sec_ch_ua_mobile: 'maybe',
      sec_ch_ua_platform: '"TempleOS"',
      sec_ch_ua_platform_version: '"x"',
    };
    expect(parseUserAgent(ua.chromeWindows, junk)).toEqual(info('Chrome', '124', 'Windows', '10', 'desktop'));
    expect(parseUserAgent(ua.chromeWindows, { sec_ch_ua_platform: '"Windows"' }).os_version).toBe('10');
  });

  it('when the same user agent comes with and without hints, then the cache keeps them apart', () => {
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '15.0.0')).os_version).toBe('11');
    expect(parseUserAgent(ua.chromeWindows).os_version).toBe('10');
    expect(parseUserAgent(ua.chromeWindows, chromeHints('Windows', '15.0.0')).os_version).toBe('11');
  });

  it('when a result is cached, then the same frozen object is returned', () => {
    const first = parseUserAgent(ua.firefoxWindows);
    expect(parseUserAgent(ua.firefoxWindows)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
