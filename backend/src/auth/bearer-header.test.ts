import { describe, expect, it } from 'vitest';
import { readAuthorization, wwwAuthenticate } from './bearer-header.ts';

describe('readAuthorization', () => {
  it('when pirsch-sdk sends its first request (`Bearer ` before it has a token), then it is no credential, not a malformed one', () => {
    expect(readAuthorization('Bearer ')).toEqual({ kind: 'empty' });
    expect(readAuthorization('Bearer')).toEqual({ kind: 'empty' });
    expect(readAuthorization('bearer   ')).toEqual({ kind: 'empty' });
  });

  it('when the header is absent, blank or of another scheme, then nothing was presented to Spur', () => {
    for (const header of [undefined, '', '   ', 'Basic Zm9vOmJhcg==', 'Token abc', 'Bearerabc'])
      expect([header, readAuthorization(header)]).toEqual([header, { kind: 'none' }]);
  });

  it('when a token is presented, then it is read whatever the case of the scheme and the spacing', () => {
    const token = 'pa_' + 'A1'.repeat(22) + 'z';
    expect(readAuthorization(`Bearer ${token}`)).toEqual({ kind: 'token', token });
    expect(readAuthorization(`BEARER \t${token} `)).toEqual({ kind: 'token', token });
    expect(readAuthorization('Bearer abc-_.~+/9==')).toEqual({ kind: 'token', token: 'abc-_.~+/9==' });
  });

  it('when what follows Bearer cannot be a token, then it is malformed', () => {
    for (const header of ['Bearer a b', 'Bearer abc,def', 'Bearer "abc"', 'Bearer a=b', `Bearer ${'x'.repeat(201)}`])
      expect([header, readAuthorization(header)]).toEqual([header, { kind: 'malformed' }]);
    expect(readAuthorization(`Bearer ${'x'.repeat(200)}`).kind).toBe('token');
  });

  it('when a 401 is answered, then WWW-Authenticate says invalid_token only if a token was presented', () => {
    expect(wwwAuthenticate({ kind: 'empty' })).toBe('Bearer realm="spur"');
    expect(wwwAuthenticate({ kind: 'none' })).toBe('Bearer realm="spur"');
    expect(wwwAuthenticate({ kind: 'malformed' })).toBe('Bearer realm="spur", error="invalid_token"');
    expect(wwwAuthenticate({ kind: 'token', token: 'x' })).toBe('Bearer realm="spur", error="invalid_token"');
  });
});
