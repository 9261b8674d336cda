import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { openStaticRoot, safeSegments } from './static-files.ts';

export type DashboardServerOptions = {
  /** The build output (dashboard/dist). */
  distDir: string;
  /** Where `/api` goes when nothing in front (Traefik) has routed it to the backend already. */
  backendUrl: string;
  /** `<subdomain>.<domain>` hosts show that site's public dashboard; unset: none. */
  publicDomain: string | undefined;
};

// Hosts of the domain that are Spur's own, never a site's public dashboard.
const RESERVED = new Set(['api', 'app', 'www']);

/** The public dashboard's subdomain named by a Host header, if it is `<subdomain>.<publicDomain>`. */
export function publicSubdomainOf(host: string | undefined, publicDomain: string | undefined): string | undefined {
  if (!host || !publicDomain) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${publicDomain.toLowerCase()}`;
  if (!name.endsWith(suffix)) return undefined;
  const subdomain = name.slice(0, -suffix.length);
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(subdomain) && !RESERVED.has(subdomain) ? subdomain : undefined;
}

/**
 * Production server of the built dashboard: the build's files (see static-files.ts), `index.html`
 * for the app's own routes, `/api` passed through to the backend, `/healthz`. On a public host the
 * page carries `<meta name="spur-public-subdomain">`, and the app shows that site's public dashboard.
 */
export async function createDashboardHandler(options: DashboardServerOptions): Promise<http.RequestListener> {
  const files = await openStaticRoot(options.distDir);
  const indexHtml = await fsp.readFile(path.join(files.root, 'index.html'), 'utf8');
  const backend = new URL(options.backendUrl);
  const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin' };

  const sendIndex = (res: http.ServerResponse, subdomain: string | undefined, head: boolean) => {
    const html = subdomain
      ? indexHtml.replace('<head>', `<head>\n    <meta name="spur-public-subdomain" content="${subdomain}" />`)
      : indexHtml;
    res.writeHead(200, {
      ...security,
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      'cache-control': 'no-cache',
    });
    res.end(head ? undefined : html);
  };

  const proxy = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request(
      {
        protocol: backend.protocol,
        hostname: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: req.headers.host ?? backend.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'the API is not reachable' }));
    });
    req.pipe(upstream);
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return proxy(req, res);
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"status":"ok"}');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      return res.end('{"error":"method not allowed"}');
    }
    const head = req.method === 'HEAD';
    const notFound = () => {
      res.writeHead(404, { ...security, 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
    };
    void files.find(url.pathname).then((file) => {
      if (file) {
        if (file.file === path.join(files.root, 'index.html'))
          return sendIndex(res, publicSubdomainOf(req.headers.host, options.publicDomain), head);
        res.writeHead(200, {
          ...security,
          'content-type': file.type,
          'content-length': file.size,
          'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
        if (head) return res.end();
        return fs.createReadStream(file.file).pipe(res);
      }
      const segments = safeSegments(url.pathname);
      // A path with an extension, or one that may not name a file at all, is a missing file; any
      // other path is one of the app's routes, which the app resolves itself.
      if (!segments || path.extname(segments.at(-1) ?? '') !== '') return notFound();
      sendIndex(res, publicSubdomainOf(req.headers.host, options.publicDomain), head);
    });
  };
}
