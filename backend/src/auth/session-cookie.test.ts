import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, cookieSettings, readSessionCookie, setSessionCookie } from './session-cookie.ts';

function captured(fn: (res: Response) => void): string[] {
  const headers: string[] = [];
  fn({ append: (_name: string, value: string) => headers.push(value) } as unknown as Response);
  return headers;
}

describe('session cookie', () => {
  it('when the API is served over HTTPS, then the cookie is Secure as well as HttpOnly and SameSite=Lax', () => {
    const settings = cookieSettings({
      SESSION_COOKIE_SECURE: 'auto',
      SESSION_MAX_AGE_DAYS: 14,
      backendUrl: 'https://api.spur.example',
    });
    expect(settings).toEqual({ secure: true, maxAgeSeconds: 1_209_600 });
    expect(captured((res) => setSessionCookie(res, 'tok', settings))).toEqual([
      'spur_session=tok; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax; Secure',
    ]);
  });

  it('when served over plain http (local dev), then auto leaves Secure off, and true forces it on', () => {
    expect(
      cookieSettings({ SESSION_COOKIE_SECURE: 'auto', SESSION_MAX_AGE_DAYS: 1, backendUrl: 'http://127.0.0.1:8080' })
        .secure,
    ).toBe(false);
    expect(
      cookieSettings({ SESSION_COOKIE_SECURE: 'true', SESSION_MAX_AGE_DAYS: 1, backendUrl: 'http://127.0.0.1:8080' })
        .secure,
    ).toBe(true);
  });

  it('logging out expires the cookie at once', () => {
    expect(captured((res) => clearSessionCookie(res, { secure: false, maxAgeSeconds: 60 }))).toEqual([
      'spur_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);
  });

  it('reads only a well-formed session cookie among others', () => {
    const token = 'A'.repeat(43);
    const req = (cookie?: string) => ({ headers: { cookie } }) as unknown as Request;
    expect(readSessionCookie(req(`theme=dark; spur_session=${token}; x=1`))).toBe(token);
    expect(readSessionCookie(req('spur_session=<script>'))).toBeUndefined();
    expect(readSessionCookie(req())).toBeUndefined();
  });
});
