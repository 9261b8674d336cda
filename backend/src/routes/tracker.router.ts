import { Router, type Request } from 'express';
import { buildTrackerAsset } from '@spur/tracker';

// Sites embed one URL for years: let browsers and CDNs keep it a day and serve a stale copy for a
// week while they revalidate, so a release reaches every visitor within a day without a cache miss.
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

/** If-None-Match uses the weak comparison (RFC 9110 13.1.2): `W/` prefixes do not matter. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}

/** True when Accept-Encoding allows gzip (explicitly or through `*`) with a non-zero q-value. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: boolean | undefined;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (name.trim() === 'gzip' || name.trim() === 'x-gzip') gzip = allowed;
    else if (name.trim() === '*') wildcard = allowed;
  }
  return gzip ?? wildcard;
}

/**
 * GET /spur.js (and /spur.min.js, the name some snippets use): the tracking script, built once per
 * process. The build starts when the router is created, so the first visitor does not wait for it.
 */
export function trackerRouter() {
  const asset = buildTrackerAsset();
  // A failed build is reported by the first request that needs it, not as an unhandled rejection.
  asset.catch(() => undefined);

  const router = Router();
  router.get(['/spur.js', '/spur.min.js'], async (req: Request, res) => {
    const { code, gzip, etag } = await buildTrackerAsset();
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.setHeader('ETag', etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (etagMatches(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    if (acceptsGzip(req.get('accept-encoding'))) {
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', gzip.length);
      res.end(gzip);
    } else {
      res.setHeader('Content-Length', Buffer.byteLength(code));
      res.end(code);
    }
  });
  return router;
}
