import type http from 'node:http';
import type { Route, Site } from '../site.ts';

/**
 * Headers every answer carries. The CSP allows no script except spur.js from the API origin (and
 * none at all without a tracking code): the site is readable without JavaScript by design, and this
 * keeps it that way.
 */
export function baseHeaders(site: Site): Record<string, string> {
  const backend = site.ctx.trackingCode ? new URL(site.ctx.backendUrl).origin : "'none'";
  return {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src ${backend}; connect-src ${backend}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

const noQuery = new URLSearchParams();

export function queryOf(url: string): URLSearchParams {
  const mark = url.indexOf('?');
  // Most requests have no query: share one empty instance instead of parsing nothing.
  return mark < 0 ? noQuery : new URLSearchParams(url.slice(mark + 1));
}

export function pathOf(url: string): string {
  const mark = url.indexOf('?');
  return mark < 0 ? url : url.slice(0, mark);
}

/**
 * Writes a route with raw node:http calls: this is the hot path of every page view. The bytes are
 * the route's, rendered once per variant (see Route.bytes in site.ts) and shared by every answer.
 */
export function sendRoute(
  route: Route,
  headers: Record<string, string>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const bytes = route.bytes(queryOf(req.url ?? '/'));
  res.writeHead(200, {
    ...headers,
    'content-type': route.contentType,
    'content-length': bytes.length,
    'cache-control': `public, max-age=${route.cacheSeconds}`,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function sendHtml(
  status: number,
  body: string,
  headers: Record<string, string>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
