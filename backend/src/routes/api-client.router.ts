import { Router } from 'express';
import { createApiClient, listApiClients, revokeApiClient, type AccountsContext } from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';

/** API clients and access keys of an organization (admins and owners); secrets appear once, on creation. */
export function apiClientRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/organizations/:orgId/clients', async (req, res) => {
    res.json(await listApiClients(accounts, requireUser(req).userId, req.params.orgId));
  });
  router.post('/api/v1/organizations/:orgId/clients', async (req, res) => {
    res.status(201).json(await createApiClient(accounts, requireUser(req).userId, req.params.orgId, req.body));
  });
  router.delete('/api/v1/organizations/:orgId/clients/:id', async (req, res) => {
    await revokeApiClient(accounts, requireUser(req).userId, req.params.orgId, req.params.id);
    res.status(204).end();
  });
  return router;
}
