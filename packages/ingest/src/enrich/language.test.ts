import { describe, expect, it } from 'vitest';
import { parseLanguage } from './language.ts';

describe('parseLanguage', () => {
  it.each([
    ['de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', 'de'],
    ['en-US,en;q=0.9', 'en'],
    ['fr', 'fr'],
    ['PT-br', 'pt'],
    ['zh-Hans-CN', 'zh'],
    ['en;q=0.5, ja;q=0.9', 'ja'],
    ['en;q=0.8, fr;q=0.8', 'en'],
    ['*;q=1, es;q=0.3', 'es'],
    ['fil-PH, tl;q=0.9', 'tl'],
    ['xx-YY, it;q=0.1', 'it'],
    ['en;q=0, nl;q=0.2', 'nl'],
    ['iw-IL', 'he'],
    ['in', 'id'],
    ['en_GB', 'en'],
    [' sv ; q = 0.7 ', 'sv'],
    ['de;q=2, en;q=0.5', 'en'],
    ['de;q=abc, en;q=0.5', 'en'],
  ])('when Accept-Language is %j, then the language is %j', (header, expected) => {
    expect(parseLanguage(header)).toBe(expected);
  });

  it('when there is no usable entry, then the language is empty', () => {
    for (const header of [undefined, '', '*', 'x-klingon', 'fil', '123', ';;;', 'en;q=0', 'a'.repeat(10_000)]) {
      expect(parseLanguage(header), String(header).slice(0, 20)).toBe('');
    }
  });

  it('when the same header arrives again, then the cached answer is the same', () => {
    expect([parseLanguage('nl-BE,fr;q=0.5'), parseLanguage('nl-BE,fr;q=0.5'), parseLanguage('fr;q=0.5')]).toEqual([
      'nl',
      'nl',
      'fr',
    ]);
  });

  it('when the header is huge, then only its start is read', () => {
    expect(parseLanguage(`${'xx,'.repeat(5000)}de`)).toBe('');
    expect(parseLanguage(`fr,${'xx,'.repeat(5000)}`)).toBe('fr');
  });
});
