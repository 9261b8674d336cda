import { describe, expect, it } from 'vitest';
import { parseUtm } from './utm.ts';

const empty = {
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_content: '',
  utm_term: '',
  gclid: false,
  msclkid: false,
  ref: '',
};
const utm = (query: string) => parseUtm(new URL(`https://shop.example/landing${query}`));

describe('parseUtm', () => {
  it('when every parameter is set, then each is read; source and medium lowercased, the rest as sent', () => {
    expect(
      utm(
        '?utm_source=Newsletter&utm_medium=EMAIL&utm_campaign=Spring%20Sale&utm_content=Hero+Button&utm_term=Running%20Shoes',
      ),
    ).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'Spring Sale',
      utm_content: 'Hero Button',
      utm_term: 'Running Shoes',
      gclid: false,
      msclkid: false,
      ref: 'Newsletter',
    });
  });

  it('when there are no parameters, then every field is empty', () => {
    expect(utm('')).toEqual(empty);
    expect(utm('?utm_source=&gclid=')).toEqual(empty);
  });

  it('when a click id is present, then it is flagged (gbraid and wbraid count as Google)', () => {
    expect(utm('?gclid=Cj0KCQ').gclid).toBe(true);
    expect(utm('?gbraid=0AAAAA').gclid).toBe(true);
    expect(utm('?wbraid=ClkKCQ').gclid).toBe(true);
    expect(utm('?msclkid=abc123')).toEqual({ ...empty, msclkid: true });
  });

  it('when ref, referrer or source is set, then it is the fallback source, in that order, ahead of utm_source', () => {
    expect(utm('?ref=producthunt').ref).toBe('producthunt');
    expect(utm('?source=HN&utm_source=hn-post').ref).toBe('HN');
    expect(utm('?referrer=blog&source=x').ref).toBe('blog');
    expect(utm('?ref=ProductHunt&utm_source=x')).toEqual({ ...empty, utm_source: 'x', ref: 'ProductHunt' });
  });

  it('when values carry whitespace, control characters or are huge, then they are cleaned and bounded', () => {
    const result = utm(`?utm_source=%20%20Google%0A%20&utm_campaign=${'a'.repeat(5000)}&utm_term=bad%00value`);
    expect(result.utm_source).toBe('google');
    expect(result.utm_campaign).toBe('a'.repeat(200));
    expect(result.utm_term).toBe('badvalue');
  });

  it('when percent-encoding is broken, then the raw text is kept and nothing throws', () => {
    expect(utm('?utm_campaign=100%25%zz&utm_source=%E0%A4%A').utm_campaign).toBe('100%%zz');
  });
});
