import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod/mini';
import {
  ApiError,
  onUnauthorized,
  request,
  setAccessGrant,
  setCsrfToken,
  statisticsLock,
  statisticsSample,
} from './http.ts';

const answer = (status: number, body: unknown) => vi.fn(async () => new Response(JSON.stringify(body), { status }));

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
  setAccessGrant(undefined);
  onUnauthorized(() => undefined);
});

describe('API requests', () => {
  it('when statistics are locked by billing, then the lock is kept for the lock screen; a plan feature refusal is not a lock', async () => {
    statisticsLock.value = null;
    vi.stubGlobal(
      'fetch',
      answer(402, { error: ['the Funnels are not included in the Starter plan'], reason: 'feature' }),
    );
    await request('GET', '/api/v1/statistics/funnel').catch(() => undefined);
    expect(statisticsLock.value).toBeNull();
    vi.stubGlobal(
      'fetch',
      answer(402, {
        error: ['Your trial has ended: upgrade to see your statistics.'],
        reason: 'trial_ended',
        upgrade: true,
      }),
    );
    const error = (await request('GET', '/api/v1/statistics/total').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(402);
    expect(statisticsLock.value).toEqual({
      message: 'Your trial has ended: upgrade to see your statistics.',
      reason: 'trial_ended',
    });
    // Reading a rollup view on a plan without rollups: a lock that names its feature for the heading.
    vi.stubGlobal(
      'fetch',
      answer(402, {
        error: ['Not included in the Starter plan: Rollup views across several sites'],
        reason: 'feature',
        feature: 'rollups',
        plan: 'starter',
        upgrade: true,
      }),
    );
    await request('GET', '/api/v1/statistics/total').catch(() => undefined);
    expect(statisticsLock.value).toEqual({
      message: 'Not included in the Starter plan: Rollup views across several sites.',
      reason: 'feature',
      feature: 'rollups',
    });
    statisticsLock.value = null;
  });

  it('when the page list was counted from a sample, then the fraction is kept for the "≈ sampled" note; an exact one clears it', async () => {
    statisticsSample.value = null;
    const sampled = vi.fn(async () => new Response('[]', { status: 200, headers: { 'X-Spur-Sampled': '0.125' } }));
    vi.stubGlobal('fetch', sampled);
    await request('GET', '/api/v1/statistics/page');
    expect(statisticsSample.value).toBe(0.125);
    // Another statistic's answer says nothing about the page list.
    vi.stubGlobal('fetch', answer(200, []));
    await request('GET', '/api/v1/statistics/country');
    expect(statisticsSample.value).toBe(0.125);
    await request('GET', '/api/v1/statistics/page');
    expect(statisticsSample.value).toBeNull();
  });

  it('when a change is sent, then it carries the CSRF token and JSON; filters repeat as parameters', async () => {
    const fetch = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('csrf-1');
    await request('POST', '/api/v1/x', { body: { a: 1 }, query: { path: ['/a', '!/b'], empty: '', none: undefined } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/x?path=%2Fa&path=%21%2Fb');
    expect(init.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-CSRF-Token': 'csrf-1',
    });
    expect(init.body).toBe('{"a":1}');
  });

  it('when the API refuses, then its message becomes a sentence; Pirsch-style error lists and validation are read too', async () => {
    vi.stubGlobal(
      'fetch',
      answer(400, {
        error: ['from: must be a date (YYYY-MM-DD)'],
        validation: { from: 'must be a date (YYYY-MM-DD)' },
      }),
    );
    const error = (await request('GET', '/api/v1/statistics/total').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.message, error.validation]).toEqual([
      400,
      'From: must be a date (YYYY-MM-DD).',
      { from: 'must be a date (YYYY-MM-DD)' },
    ]);
  });

  it('when the answer does not have the expected shape, then it is an error in words, not a crash later', async () => {
    vi.stubGlobal('fetch', answer(200, { visitors: 'many' }));
    await expect(
      request('GET', '/api/v1/statistics/total', { schema: z.object({ visitors: z.number() }) }),
    ).rejects.toThrow(
      'The API answered in an unexpected shape (/api/v1/statistics/total). Reload the page; if it persists, tell us.',
    );
  });

  it('when the network is down, then the error says so', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(request('GET', '/api/v1/account')).rejects.toThrow(
      'Cannot reach the Spur API. Check your connection and try again.',
    );
  });

  it('when a signed-in request comes back 401, then the session-ended handler runs (not for login calls or shared links)', async () => {
    const ended = vi.fn();
    onUnauthorized(ended);
    vi.stubGlobal('fetch', answer(401, { error: 'sign in first' }));
    await expect(request('GET', '/api/v1/account')).rejects.toThrow('Sign in first.');
    await expect(request('POST', '/api/v1/auth/login', { body: {} })).rejects.toThrow();
    setAccessGrant('grant');
    await expect(request('GET', '/api/v1/statistics/total')).rejects.toThrow();
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
