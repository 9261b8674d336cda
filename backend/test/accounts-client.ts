import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { Lifecycle } from '@spur/runtime';
import { linkIn, startLocalSes, startTestStores, type LocalSes, type TestStores } from '@spur/testkit';
import { startBackend, type Backend } from '@spur/backend';

/**
 * A backend on real engines plus the local SES server, and a tiny "browser" that keeps the
 * session cookie and echoes the CSRF token like the dashboard does.
 */
export const DASHBOARD = 'http://app.spur.test';

export type AccountsBackend = { t: TestStores; ses: LocalSes; server: Backend; close: () => Promise<void> };

export async function startAccountsBackend(env: Record<string, string> = {}): Promise<AccountsBackend> {
  const ses = await startLocalSes();
  const t = await startTestStores({ env: { SES_ENDPOINT: ses.endpoint, DASHBOARD_PUBLIC_URL: DASHBOARD, ...env } });
  const lifecycle = new Lifecycle(t.log, 5_000);
  const server = await startBackend({ config: t.config, stores: t.stores, log: t.log, lifecycle });
  return {
    t,
    ses,
    server,
    close: async () => {
      await lifecycle.stop('test end').catch(() => undefined);
      await t.close();
      await ses.stop();
    },
  };
}

/**
 * One backend for a test file: started before its tests, closed after them, with the rate limits
 * forgotten before each test. The object is filled in when the file's tests start.
 */
export function useAccountsBackend(): AccountsBackend {
  const b = {} as AccountsBackend;
  beforeAll(async () => {
    Object.assign(b, await startAccountsBackend());
  });
  afterAll(async () => {
    await b.close?.();
  });
  beforeEach(async () => {
    await resetRateLimits(b);
  });
  return b;
}

/** Every test client comes from 127.0.0.1: forget the per-IP budgets between tests. */
export async function resetRateLimits(b: AccountsBackend): Promise<void> {
  const keys = [...(await b.t.stores.redis.keys('ratelimit:*')), ...(await b.t.stores.redis.keys('login:*'))];
  if (keys.length) await b.t.stores.redis.del(...keys);
}

// Replies are checked field by field against exact values; a loose type keeps the tests readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any; headers: Headers };

export class Browser {
  cookie: string | undefined;
  /** The `spur_device` cookie a sign-in hands out (a known browser, see login-throttle.ts). */
  device: string | undefined;
  csrf: string | undefined;
  constructor(
    readonly base: string,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        'user-agent': this.userAgent,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie || this.device
          ? { cookie: [this.cookie, this.device && `spur_device=${this.device}`].filter(Boolean).join('; ') }
          : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const value = /spur_session=([^;]*)/.exec(setCookie)?.[1];
      this.cookie = value ? `spur_session=${value}` : undefined;
      this.device = /spur_device=([^;]*)/.exec(setCookie)?.[1] || this.device;
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    const csrf = (parsed as { csrf_token?: string } | undefined)?.csrf_token;
    if (csrf) this.csrf = csrf;
    return { status: response.status, body: parsed, headers: response.headers };
  }
  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, undefined, headers);
  post = (path: string, body: unknown = {}, headers?: Record<string, string>) =>
    this.request('POST', path, body, headers);
  put = (path: string, body: unknown = {}) => this.request('PUT', path, body);
  patch = (path: string, body: unknown = {}) => this.request('PATCH', path, body);
  delete = (path: string) => this.request('DELETE', path);
}

/** Signs up through the API, follows the emailed verification link and logs in. */
export async function signUpAndLogin(
  b: AccountsBackend,
  email: string,
  password = 'a-Sound-passphrase-42',
): Promise<Browser> {
  const browser = new Browser(b.server.url);
  expect((await browser.post('/api/v1/auth/signup', { email, password, accept_terms: true })).status).toBe(202);
  const mail = await b.ses.waitForEmail(email, /Confirm your email/);
  const token = new URL(linkIn(mail, `${DASHBOARD}/verify-email`)).searchParams.get('token');
  expect((await browser.post('/api/v1/auth/verify', { token })).status).toBe(200);
  const login = await browser.post('/api/v1/auth/login', { email, password });
  expect(login.status).toBe(200);
  return browser;
}
