import { Router } from 'express';
import { z } from 'zod';
import type pg from 'pg';
import { findSite, findSiteBySubdomain, openAccessLink, type AccountsContext, type SiteView } from '@spur/accounts';
import { imageOf } from '@spur/storage';
import { HttpError } from '../http/errors.ts';
import { imageUrl } from './image.router.ts';

const openBody = z.object({ token: z.string().min(1).max(200), password: z.string().max(256).optional() });

/**
 * Only what a viewer of shared statistics needs, and the organization's logo for the page's header;
 * never the identification code or settings.
 */
const publicSite = async (db: pg.Pool, site: SiteView) => ({
  id: site.id,
  hostname: site.hostname,
  name: site.name,
  timezone: site.timezone,
  // A rollup view's hostname is a placeholder: the dashboard shows "rollup view" instead.
  kind: site.kind,
  logo_url: imageUrl(await imageOf(db, { organization: site.organization_id })),
});

/**
 * Read-only sharing. `POST /api/v1/share` opens an access link (with its password, if it has
 * one) and returns the grant to send as `X-Access-Link` on statistics requests. `GET
 * /api/v1/share` describes the site of the presented grant; `GET /api/v1/public/:subdomain`
 * describes a public dashboard.
 */
export function shareRouter(accounts: AccountsContext) {
  const router = Router();
  router.post('/api/v1/share', async (req, res) => {
    const opened = await openAccessLink(accounts, openBody.parse(req.body));
    const site = await findSite(accounts.db, opened.site_id);
    res.json({ ...opened, site: site && (await publicSite(accounts.db, site)) });
  });
  router.get('/api/v1/share', async (req, res) => {
    if (req.caller.kind !== 'access_link') throw new HttpError(401, 'send the access link grant as X-Access-Link');
    const site = await findSite(accounts.db, req.caller.siteId);
    if (!site) throw new HttpError(404, 'site not found');
    res.json({ site: await publicSite(accounts.db, site) });
  });
  router.get('/api/v1/public/:subdomain', async (req, res) => {
    const site = await findSiteBySubdomain(accounts.db, req.params.subdomain);
    if (!site?.public) throw new HttpError(404, 'no public dashboard here');
    res.json({ site: await publicSite(accounts.db, site) });
  });
  return router;
}
