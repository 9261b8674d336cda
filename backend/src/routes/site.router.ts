import { Router } from 'express';
import {
  createSite,
  deleteSite,
  deleteSiteData,
  getSite,
  listSites,
  regenerateIdentificationCode,
  setSiteHostnames,
  trackingSnippet,
  updateSite,
  type AccountsContext,
} from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';

/** Sites of an organization and their core settings. Reading needs membership; changing needs admin. */
export function siteRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/organizations/:orgId/sites', async (req, res) => {
    res.json(await listSites(accounts, requireUser(req).userId, req.params.orgId));
  });
  router.post('/api/v1/organizations/:orgId/sites', async (req, res) => {
    res.status(201).json(await createSite(accounts, requireUser(req).userId, req.params.orgId, req.body));
  });
  router.get('/api/v1/sites/:siteId', async (req, res) => {
    res.json(await getSite(accounts, requireUser(req).userId, req.params.siteId));
  });
  router.patch('/api/v1/sites/:siteId', async (req, res) => {
    res.json(await updateSite(accounts, requireUser(req).userId, req.params.siteId, req.body));
  });
  router.delete('/api/v1/sites/:siteId', async (req, res) => {
    await deleteSite(accounts, requireUser(req).userId, req.params.siteId);
    res.status(204).end();
  });
  router.put('/api/v1/sites/:siteId/hostnames', async (req, res) => {
    res.json(await setSiteHostnames(accounts, requireUser(req).userId, req.params.siteId, req.body));
  });
  router.post('/api/v1/sites/:siteId/identification-code', async (req, res) => {
    res.json(await regenerateIdentificationCode(accounts, requireUser(req).userId, req.params.siteId));
  });
  router.get('/api/v1/sites/:siteId/snippet', async (req, res) => {
    const site = await getSite(accounts, requireUser(req).userId, req.params.siteId);
    res.json({ snippet: trackingSnippet(accounts, site) });
  });
  router.post('/api/v1/sites/:siteId/data/delete', async (req, res) => {
    res.json(await deleteSiteData(accounts, requireUser(req).userId, req.params.siteId, req.body));
  });
  return router;
}
