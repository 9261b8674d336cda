import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '@spur/runtime';
import { buildTrackerAsset, type TrackerAsset } from '@spur/tracker';
import { acceptsGzip, etagMatches, trackerRouter } from './tracker.router.ts';

let server: RunningServer;
let asset: TrackerAsset;

beforeAll(async () => {
  const app = express();
  app.use(trackerRouter());
  server = await listen(app, 0, '127.0.0.1');
  asset = await buildTrackerAsset();
});
afterAll(() => server.close());

// Node's fetch sends its own Accept-Encoding and decompresses, so use node:http to see raw bytes.
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('GET /spur.js', () => {
  it('when fetched without gzip, then it is the built script with long-lived caching headers', async () => {
    const res = await get('/spur.js');
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toBe(asset.code);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(asset.code)));
    expect(res.headers['cache-control']).toBe('public, max-age=86400, stale-while-revalidate=604800');
    expect(res.headers['etag']).toBe(asset.etag);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['vary']).toBe('Accept-Encoding');
  });

  it('when the browser accepts gzip, then the precompressed bytes are sent', async () => {
    const res = await get('/spur.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.equals(asset.gzip)).toBe(true);
    expect(gunzipSync(res.body).toString('utf8')).toBe(asset.code);
  });

  it('when the browser holds the current ETag, then it gets 304 with no body', async () => {
    const res = await get('/spur.js', { 'if-none-match': asset.etag, 'accept-encoding': 'gzip' });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers['etag']).toBe(asset.etag);
    expect(res.headers['cache-control']).toBe('public, max-age=86400, stale-while-revalidate=604800');
  });

  it('when the browser holds an old ETag, then it gets the full script', async () => {
    const res = await get('/spur.js', { 'if-none-match': '"old-version"' });
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toBe(asset.code);
  });

  it('when /spur.min.js is asked for, then the same script is served', async () => {
    const res = await get('/spur.min.js');
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toBe(asset.code);
  });
});

describe('header parsing', () => {
  it('matches If-None-Match lists, weak tags and the wildcard', () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"a"', '"b"')).toBe(false);
    expect(etagMatches(undefined, '"b"')).toBe(false);
  });

  it('honours q=0 refusals of gzip and the wildcard', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
