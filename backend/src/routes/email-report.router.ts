import express, { Router } from 'express';
import { z } from 'zod';
import type { Config } from '@spur/config';
import { escapeHtml } from '@spur/email';
import { reportCopyHtml, unsubscribeReport } from '@spur/reports';
import type { ObjectStore, Stores } from '@spur/storage';
import { HttpError } from '../http/errors.ts';

export const EMAIL_REPORT_PATHS = {
  view: '/api/v1/email-reports/view/:token',
  unsubscribe: '/api/v1/email-reports/unsubscribe',
};

const unsubscribeQuery = z.object({
  report: z.string().regex(/^\d{1,19}$/, 'must be a report id'),
  email: z.string().min(3).max(254),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the signature from the link'),
});

function parseQuery(query: unknown) {
  const parsed = unsubscribeQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'query');
    throw new HttpError(400, `${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;color:#1f2933"><h1 style="font-size:22px">${escapeHtml(title)}</h1>${body}</body></html>`;

/**
 * Links in email reports, which work without a login: the "view in browser" copy (read from S3 by
 * its unguessable token, so any node serves it) and RFC 8058 one-click unsubscribe, signed per
 * report and address. Mounted before the API's JSON/CSRF stack: mail providers POST the
 * unsubscribe as a form (`List-Unsubscribe=One-Click`), without cookies.
 */
export function emailReportRouter(
  stores: Pick<Stores, 'postgres'>,
  objects: ObjectStore,
  config: Pick<Config, 'AUTH_SECRET' | 'NODE_ENV'>,
): Router {
  const router = Router();
  const db = stores.postgres.pool;

  router.get(EMAIL_REPORT_PATHS.view, async (req, res) => {
    const html = await reportCopyHtml(db, objects, String(req.params.token));
    if (!html) throw new HttpError(404, 'report not found', { field: 'token' });
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.type('html').send(html);
  });

  // A GET must not unsubscribe (link scanners follow links): it asks, and the button POSTs.
  router.get(EMAIL_REPORT_PATHS.unsubscribe, (req, res) => {
    const q = parseQuery(req.query);
    const action = `${EMAIL_REPORT_PATHS.unsubscribe}?${new URLSearchParams(q)}`;
    res
      .type('html')
      .send(
        page(
          'Unsubscribe from this report?',
          `<p>${escapeHtml(q.email)} will no longer receive this Spur email report.</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="padding:10px 18px">Unsubscribe</button></form>`,
        ),
      );
  });

  router.post(
    EMAIL_REPORT_PATHS.unsubscribe,
    express.urlencoded({ extended: false, limit: '2kb' }),
    async (req, res) => {
      const q = parseQuery(req.query);
      if (!(await unsubscribeReport(db, config, q)))
        throw new HttpError(400, 'sig: the link is not valid for this address', { field: 'sig' });
      if (req.accepts(['html', 'json']) === 'html')
        res
          .type('html')
          .send(page('Unsubscribed', `<p>${escapeHtml(q.email)} will receive no more of this report.</p>`));
      else res.json({ unsubscribed: true });
    },
  );
  return router;
}
