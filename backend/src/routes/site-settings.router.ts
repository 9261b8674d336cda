import { Router } from 'express';
import {
  addEmailReport,
  addTrafficFilter,
  changeEmailReport,
  createAccessLink,
  droppedRequests,
  getAllowedHostnames,
  listAccessLinks,
  listEmailReports,
  listTrafficFilters,
  removeEmailReport,
  removeTrafficFilter,
  revokeAccessLink,
  setAllowedHostnames,
  type AccountsContext,
} from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';

/** Traffic filters, the hostname shield, access links and email reports of one site. */
export function siteSettingsRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/sites/:siteId/filters', async (req, res) => {
    res.json(await listTrafficFilters(accounts, requireUser(req).userId, req.params.siteId));
  });
  router.post('/api/v1/sites/:siteId/filters', async (req, res) => {
    res.status(201).json(await addTrafficFilter(accounts, requireUser(req).userId, req.params.siteId, req.body));
  });
  router.delete('/api/v1/sites/:siteId/filters/:id', async (req, res) => {
    await removeTrafficFilter(accounts, requireUser(req).userId, req.params.siteId, req.params.id);
    res.status(204).end();
  });

  // The hostname shield (which page hostnames count) and why requests were not counted lately.
  router.get('/api/v1/sites/:siteId/allowed-hostnames', async (req, res) => {
    res.json(await getAllowedHostnames(accounts, requireUser(req).userId, req.params.siteId));
  });
  router.put('/api/v1/sites/:siteId/allowed-hostnames', async (req, res) => {
    res.json(await setAllowedHostnames(accounts, requireUser(req).userId, req.params.siteId, req.body ?? {}));
  });
  router.get('/api/v1/sites/:siteId/dropped-requests', async (req, res) => {
    res.json(await droppedRequests(accounts, requireUser(req).userId, req.params.siteId));
  });

  router.get('/api/v1/sites/:siteId/access-links', async (req, res) => {
    res.json(await listAccessLinks(accounts, requireUser(req).userId, req.params.siteId));
  });
  router.post('/api/v1/sites/:siteId/access-links', async (req, res) => {
    res.status(201).json(await createAccessLink(accounts, requireUser(req).userId, req.params.siteId, req.body ?? {}));
  });
  router.delete('/api/v1/sites/:siteId/access-links/:id', async (req, res) => {
    await revokeAccessLink(accounts, requireUser(req).userId, req.params.siteId, req.params.id);
    res.status(204).end();
  });

  router.get('/api/v1/sites/:siteId/email-reports', async (req, res) => {
    res.json(await listEmailReports(accounts, requireUser(req).userId, req.params.siteId));
  });
  router.post('/api/v1/sites/:siteId/email-reports', async (req, res) => {
    res.status(201).json(await addEmailReport(accounts, requireUser(req).userId, req.params.siteId, req.body));
  });
  router.patch('/api/v1/sites/:siteId/email-reports/:id', async (req, res) => {
    res.json(
      await changeEmailReport(accounts, requireUser(req).userId, req.params.siteId, req.params.id, req.body ?? {}),
    );
  });
  router.delete('/api/v1/sites/:siteId/email-reports/:id', async (req, res) => {
    await removeEmailReport(accounts, requireUser(req).userId, req.params.siteId, req.params.id);
    res.status(204).end();
  });
  return router;
}
