import { describe, expect, it } from 'vitest';
import { sessionSearchParams } from './session-search.ts';

describe('searching sessions', () => {
  it('when a page, referrer or browser is searched, then the list asks for sessions whose field contains the text', () => {
    expect(sessionSearchParams('path', ' /blog ')).toEqual({ path: '~/blog' });
    expect(sessionSearchParams('referrer_name', 'goo')).toEqual({ referrer_name: '~goo' });
    expect(sessionSearchParams('browser', '')).toEqual({});
  });

  it('when a country is searched by name, then its codes are asked for; an unknown name finds nothing', () => {
    // DD (the former East Germany) is still a region the browser names.
    expect(sessionSearchParams('country', 'germ')).toEqual({ country: ['dd', 'de'] });
    expect(sessionSearchParams('country', 'DE')).toEqual({ country: ['de'] });
    expect(sessionSearchParams('country', 'guinea')).toEqual({ country: ['gn', 'gq', 'gw', 'pg'] });
    expect(sessionSearchParams('country', 'atlantis')).toEqual({ country: ['zz'] });
  });
});
