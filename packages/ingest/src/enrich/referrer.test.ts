import { describe, expect, it } from 'vitest';
import { parseReferrer, type ReferrerInput } from './referrer.ts';

const site = { pageHostname: 'shop.example', siteHostnames: ['shop.example', 'www.shop-alias.example'] };
const parse = (referrer: string, extra: Partial<ReferrerInput> = {}) => parseReferrer({ referrer, ...site, ...extra });
const ref = (referrer: string, referrer_name: string, referrer_host: string) => ({
  referrer,
  referrer_name,
  referrer_host,
});

describe('parseReferrer', () => {
  it.each([
    ['https://www.google.com/', ref('https://www.google.com', 'Google', 'www.google.com')],
    ['https://www.google.co.uk/search?q=secret', ref('https://www.google.co.uk/search', 'Google', 'www.google.co.uk')],
    ['https://www.google.com.br/', ref('https://www.google.com.br', 'Google', 'www.google.com.br')],
    ['https://google.de/url?q=x#frag', ref('https://google.de/url', 'Google', 'google.de')],
    ['https://t.co/AbCd123', ref('https://t.co/AbCd123', 'X', 't.co')],
    ['https://x.com/someone/status/1', ref('https://x.com/someone/status/1', 'X', 'x.com')],
    ['https://twitter.com/', ref('https://twitter.com', 'X', 'twitter.com')],
    [
      'https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example',
      ref('https://l.facebook.com/l.php', 'Facebook', 'l.facebook.com'),
    ],
    ['https://m.facebook.com/', ref('https://m.facebook.com', 'Facebook', 'm.facebook.com')],
    ['https://chatgpt.com/', ref('https://chatgpt.com', 'ChatGPT', 'chatgpt.com')],
    ['https://chat.openai.com/c/123', ref('https://chat.openai.com/c/123', 'ChatGPT', 'chat.openai.com')],
    [
      'https://www.perplexity.ai/search/abc',
      ref('https://www.perplexity.ai/search/abc', 'Perplexity', 'www.perplexity.ai'),
    ],
    ['https://claude.ai/', ref('https://claude.ai', 'Claude', 'claude.ai')],
    ['https://gemini.google.com/app', ref('https://gemini.google.com/app', 'Gemini', 'gemini.google.com')],
    ['https://copilot.microsoft.com/', ref('https://copilot.microsoft.com', 'Copilot', 'copilot.microsoft.com')],
    ['https://www.bing.com/search?q=x', ref('https://www.bing.com/search', 'Bing', 'www.bing.com')],
    ['https://duckduckgo.com/', ref('https://duckduckgo.com', 'DuckDuckGo', 'duckduckgo.com')],
    ['https://www.ecosia.org/', ref('https://www.ecosia.org', 'Ecosia', 'www.ecosia.org')],
    ['https://yandex.ru/search/?text=x', ref('https://yandex.ru/search', 'Yandex', 'yandex.ru')],
    ['https://www.baidu.com/link?url=x', ref('https://www.baidu.com/link', 'Baidu', 'www.baidu.com')],
    ['https://old.reddit.com/r/webdev/', ref('https://old.reddit.com/r/webdev', 'Reddit', 'old.reddit.com')],
    ['https://www.linkedin.com/feed/', ref('https://www.linkedin.com/feed', 'LinkedIn', 'www.linkedin.com')],
    ['https://lnkd.in/abc', ref('https://lnkd.in/abc', 'LinkedIn', 'lnkd.in')],
    ['https://m.youtube.com/watch?v=1', ref('https://m.youtube.com/watch', 'YouTube', 'm.youtube.com')],
    ['https://l.instagram.com/?u=x', ref('https://l.instagram.com', 'Instagram', 'l.instagram.com')],
    ['https://www.pinterest.de/pin/1/', ref('https://www.pinterest.de/pin/1', 'Pinterest', 'www.pinterest.de')],
    [
      'https://news.ycombinator.com/item?id=1',
      ref('https://news.ycombinator.com/item', 'Hacker News', 'news.ycombinator.com'),
    ],
    ['https://github.com/org/repo/', ref('https://github.com/org/repo', 'GitHub', 'github.com')],
    ['https://mastodon.social/@someone', ref('https://mastodon.social/@someone', 'Mastodon', 'mastodon.social')],
    ['https://mastodon.example.net/@a/1', ref('https://mastodon.example.net/@a/1', 'Mastodon', 'mastodon.example.net')],
    ['https://mail.google.com/', ref('https://mail.google.com', 'Gmail', 'mail.google.com')],
    ['https://outlook.live.com/mail/0/', ref('https://outlook.live.com/mail/0', 'Outlook', 'outlook.live.com')],
    ['https://mail.yahoo.com/d/folders/1', ref('https://mail.yahoo.com/d/folders/1', 'Yahoo Mail', 'mail.yahoo.com')],
    [
      'https://de.wikipedia.org/wiki/Web_analytics',
      ref('https://de.wikipedia.org/wiki/Web_analytics', 'Wikipedia', 'de.wikipedia.org'),
    ],
    [
      'https://www.some-blog.example/post/1?utm=x',
      ref('https://www.some-blog.example/post/1', 'some-blog.example', 'www.some-blog.example'),
    ],
    ['http://Blog.Example.ORG:8080/a', ref('http://blog.example.org/a', 'blog.example.org', 'blog.example.org')],
    ['https://bücher.de/', ref('https://xn--bcher-kva.de', 'xn--bcher-kva.de', 'xn--bcher-kva.de')],
    ['google.com', ref('https://google.com', 'Google', 'google.com')],
  ])('when the referrer is %s, then it is recorded without query and named', (referrer, expected) => {
    expect(parse(referrer)).toEqual(expected);
  });

  it('when a subdomain of a search engine is not listed itself, then the engine still names it', () => {
    expect(parse('https://scholar.google.de/')?.referrer_name).toBe('Google');
    expect(parse('https://search.yahoo.co.jp/')?.referrer_name).toBe('Yahoo');
  });

  it('when the referrer is an Android app, then the app is named', () => {
    expect(parse('android-app://com.google.android.gm')).toEqual(
      ref('android-app://com.google.android.gm', 'Gmail', 'com.google.android.gm'),
    );
    expect(parse('android-app://com.google.android.googlequicksearchbox/https/www.google.com')).toEqual(
      ref('android-app://com.google.android.googlequicksearchbox', 'Google', 'com.google.android.googlequicksearchbox'),
    );
    expect(parse('android-app://com.Slack')?.referrer_name).toBe('Slack');
    expect(parse('android-app://org.example.reader')).toEqual(
      ref('android-app://org.example.reader', 'org.example.reader', 'org.example.reader'),
    );
  });

  it('when the referrer is the page or site itself, www-insensitive, then there is none', () => {
    expect(parse('https://shop.example/cart')).toBeUndefined();
    expect(parse('https://www.shop.example/')).toBeUndefined();
    expect(parse('https://shop-alias.example/')).toBeUndefined();
    expect(parse('https://SHOP.EXAMPLE./')).toBeUndefined();
    expect(
      parse('https://blog.example.net/', { pageHostname: 'www.blog.example.net', siteHostnames: [] }),
    ).toBeUndefined();
  });

  it('when another subdomain of the site links, then it is a referrer', () => {
    expect(parse('https://blog.shop.example/post')?.referrer_name).toBe('blog.shop.example');
  });

  it('when the referrer is empty, junk or not a web URL, then there is none', () => {
    for (const junk of [
      '',
      '   ',
      'not a url',
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'ftp://x.example/',
      'https://',
      'https://[::1]/',
      'https://exa mple.com/',
    ]) {
      expect(parse(junk), junk).toBeUndefined();
    }
    expect(parse(undefined as unknown as string)).toBeUndefined();
  });

  it('when the referrer is huge, then it is bounded to 500 characters', () => {
    const result = parse(`https://example.org/${'a'.repeat(10_000)}`);
    expect(result?.referrer).toHaveLength(500);
    expect(result?.referrer_name).toBe('example.org');
  });

  it('when there is no referrer but a ref or utm_source, then it names the source', () => {
    expect(parse('', { source: 'chatgpt.com' })).toEqual(ref('', 'ChatGPT', ''));
    expect(parse('', { source: 'twitter' })).toEqual(ref('', 'X', ''));
    expect(parse('', { source: 'Hacker News' })).toEqual(ref('', 'Hacker News', ''));
    expect(parse('', { source: 'www.reddit.com' })).toEqual(ref('', 'Reddit', ''));
    expect(parse('', { source: ' Spring Newsletter ' })).toEqual(ref('', 'Spring Newsletter', ''));
    expect(parse('', { source: '' })).toBeUndefined();
  });

  it('when there is a referrer and a source, then the referrer wins', () => {
    expect(parse('https://t.co/x', { source: 'newsletter' })?.referrer_name).toBe('X');
  });

  it('when the referrer is unreadable but a source is named, then the source is used; a self-referral stays none', () => {
    expect(parse('about:blank', { source: 'newsletter' })).toEqual(ref('', 'newsletter', ''));
    expect(parse('https://shop.example/', { source: 'newsletter' })).toBeUndefined();
  });
});
