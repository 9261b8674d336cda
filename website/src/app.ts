import type http from 'node:http';
import express from 'express';
import type { Logger } from '@spur/runtime';
import { baseHeaders, pathOf, sendHtml, sendRoute } from './http/respond.ts';
import { buildSite, type Site } from './site.ts';
import type { SiteContext } from './site-context.ts';

export type WebsiteDeps = SiteContext & { log: Logger };

/**
 * The Express app: every route of the site, plus redirects, trailing-slash clean-up, /healthz and
 * the 404 and 500 pages. Usable on its own; `createWebsiteHandler` puts a lean path in front of it.
 */
export function createWebsiteApp(deps: WebsiteDeps, site: Site = buildSite(deps)): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const headers = baseHeaders(site);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use((req, res, next) => {
    const route = site.routes.get(req.path);
    if (!route) return next();
    if (req.method === 'GET' || req.method === 'HEAD') return sendRoute(route, headers, req, res);
    res.setHeader('allow', 'GET, HEAD');
    sendHtml(405, site.notFound(req.path), headers, req, res);
  });

  app.use((req, res, next) => {
    const redirect = site.redirects.get(req.path);
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    if (redirect) return res.redirect(redirect.status, redirect.to);
    // `/docs/` and `/docs` are one page; search engines should only ever see the second.
    const trimmed = req.path.replace(/\/+$/, '');
    if (trimmed && trimmed !== req.path && site.routes.has(trimmed)) return res.redirect(301, trimmed + query);
    next();
  });

  app.use((req, res) => {
    sendHtml(404, site.notFound(req.path), headers, req, res);
  });

  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    deps.log.error({ err: error, path: req.path }, 'website request failed');
    if (res.headersSent) return res.end();
    sendHtml(500, site.serverError(), headers, req, res);
  });
  return app;
}

/**
 * The request listener the server uses. Pages are answered straight from the route table with bare
 * node:http calls; anything else (redirects, 404, /healthz) goes to Express. Measured here, Express's
 * per-request overhead alone cut throughput to about a quarter of a bare handler, and pages are
 * nearly all of the traffic.
 */
export function createWebsiteHandler(deps: WebsiteDeps): http.RequestListener {
  const site = buildSite(deps);
  const app = createWebsiteApp(deps, site);
  const headers = baseHeaders(site);
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const route = site.routes.get(pathOf(req.url ?? '/'));
      if (route) {
        try {
          sendRoute(route, headers, req, res);
        } catch (error) {
          deps.log.error({ err: error, path: pathOf(req.url ?? '/') }, 'website page failed');
          sendHtml(500, site.serverError(), headers, req, res);
        }
        return;
      }
    }
    app(req, res);
  };
}
