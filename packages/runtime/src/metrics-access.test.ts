import { describe, expect, it } from 'vitest';
import { metricsVerdict } from './metrics-access.ts';

describe('who may read /metrics', () => {
  it('when no token is configured, then development and tests may read it and production may not', () => {
    expect(['development', 'test', 'production'].map((NODE_ENV) => metricsVerdict({ NODE_ENV }, undefined))).toEqual([
      'allowed',
      'allowed',
      'hidden',
    ]);
  });

  it('when METRICS_TOKEN is set, then only that bearer token reads it, in any environment', () => {
    const access = { NODE_ENV: 'production', METRICS_TOKEN: 'scrape-me-0123456789abcdef' };
    expect(
      [
        'Bearer scrape-me-0123456789abcdef',
        'bearer scrape-me-0123456789abcdef',
        'Bearer scrape-me-0123456789abcdeF',
        'Bearer scrape-me',
        'scrape-me-0123456789abcdef',
        undefined,
      ].map((header) => metricsVerdict(access, header)),
    ).toEqual(['allowed', 'allowed', 'unauthorized', 'unauthorized', 'unauthorized', 'unauthorized']);
    expect(metricsVerdict({ NODE_ENV: 'development', METRICS_TOKEN: access.METRICS_TOKEN }, undefined)).toBe(
      'unauthorized',
    );
  });
});
