import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTrackerAsset } from './build.ts';

describe('buildTrackerAsset', () => {
  it('when spur.js is built, then it stays within 1,500 bytes gzipped', async () => {
    const { code, gzip } = await buildTrackerAsset();
    console.log(`spur.js: ${code.length} bytes minified, ${gzip.length} bytes gzipped (bound 1500)`);
    expect(gzip.length).toBeLessThanOrEqual(1500);
    expect(gunzipSync(gzip).toString('utf8')).toBe(code);
  });

  it('when built, then it is one minified IIFE for es2019 with no module syntax left', async () => {
    const { code } = await buildTrackerAsset();
    expect(code.startsWith('(()=>{')).toBe(true);
    expect(code.endsWith('})();')).toBe(true);
    expect(code).not.toMatch(/\bimport\b|\bexport\b|\?\?|\?\.|\n/);
    // Wire names survive minification exactly.
    for (const field of ['identification_code', 'screen_width', 'event_meta', 'non_interactive', '/api/v1/']) {
      expect(code).toContain(field);
    }
  });

  it('when called twice, then both callers get the same cached build with a stable strong ETag', async () => {
    const [first, second] = await Promise.all([buildTrackerAsset(), buildTrackerAsset()]);
    expect(second).toBe(first);
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });
});
