import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataFileUrl } from './data-file.ts';
import { sourceForApp, sourceForHost, sourceForName } from './referrer-sources.ts';

describe('known referrer sources', () => {
  it('when a host is a Google country domain, then it is Google search; other google.* shapes are not', () => {
    for (const host of [
      'google.com',
      'www.google.de',
      'google.co.uk',
      'www.google.com.au',
      'google.co.jp',
      'google.fr',
    ]) {
      expect(sourceForHost(host), host).toEqual({ name: 'Google', category: 'search' });
    }
    expect(sourceForHost('google.example.com')).toBeUndefined();
    expect(sourceForHost('notgoogle.com')).toBeUndefined();
  });

  it('when a more specific host is listed, then it wins over its parent', () => {
    expect(sourceForHost('mail.google.com')).toEqual({ name: 'Gmail', category: 'email' });
    expect(sourceForHost('gemini.google.com')).toEqual({ name: 'Gemini', category: 'ai' });
    expect(sourceForHost('mail.yahoo.com')).toEqual({ name: 'Yahoo Mail', category: 'email' });
    expect(sourceForHost('search.yahoo.com')).toEqual({ name: 'Yahoo', category: 'search' });
  });

  it('when a name or alias is given in any case or spacing, then it resolves', () => {
    expect(sourceForName('Twitter')?.name).toBe('X');
    expect(sourceForName('hacker-news')?.name).toBe('Hacker News');
    expect(sourceForName('YT')?.name).toBe('YouTube');
    expect(sourceForName('chatgpt.com')?.name).toBe('ChatGPT');
    expect(sourceForName('unknown-thing')).toBeUndefined();
    expect(sourceForName('')).toBeUndefined();
  });

  it('when an Android package is known, then it resolves case-insensitively', () => {
    expect(sourceForApp('com.linkedin.android')).toEqual({ name: 'LinkedIn', category: 'social' });
    expect(sourceForApp('COM.REDDIT.FRONTPAGE')?.name).toBe('Reddit');
    expect(sourceForApp('org.example.app')).toBeUndefined();
  });

  it('when the data file is read, then no domain, app or alias belongs to two sources', () => {
    const file = JSON.parse(readFileSync(dataFileUrl('referrer-sources.json'), 'utf8')) as {
      sources: { name: string; domains: string[]; apps: string[]; aliases: string[] }[];
    };
    for (const key of ['domains', 'apps', 'aliases'] as const) {
      const all = file.sources.flatMap((source) => source[key].map((value) => value.toLowerCase()));
      expect(
        all.filter((value, i) => all.indexOf(value) !== i),
        key,
      ).toEqual([]);
    }
  });
});
