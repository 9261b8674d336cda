import express from 'express';
import type { Logger } from '@spur/runtime';

export type WebsiteDeps = { log: Logger; dashboardUrl: string; backendUrl: string };

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d2433}a{color:#c2410c}</style>
</head><body>${body}</body></html>`;

/** The server-rendered public site. The website issue fills in pages, docs, blog and legal. */
export function createWebsiteApp(deps: WebsiteDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    res.type('html').send(
      page(
        'Spur — privacy-friendly web analytics',
        `<h1>Spur</h1><p>Cookieless, privacy-friendly web analytics.</p>
<p><a href="${deps.dashboardUrl}">Open the dashboard</a></p>`,
      ),
    );
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use((_req, res) => {
    res.status(404).type('html').send(page('Not found — Spur', '<h1>Page not found</h1><p><a href="/">Home</a></p>'));
  });
  return app;
}
