import { Router } from 'express';
import { createRollup, setRollupMembers, type AccountsContext } from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';

/**
 * Rollup views (a site of kind `rollup` over chosen sites of the organization). Reading, renaming,
 * sharing and deleting one go through the site routes; these two create it and change its sites.
 */
export function rollupRouter(accounts: AccountsContext) {
  const router = Router();
  router.post('/api/v1/organizations/:orgId/rollups', async (req, res) => {
    res.status(201).json(await createRollup(accounts, requireUser(req).userId, req.params.orgId, req.body));
  });
  router.put('/api/v1/sites/:siteId/rollup-members', async (req, res) => {
    res.json(await setRollupMembers(accounts, requireUser(req).userId, req.params.siteId, req.body));
  });
  return router;
}
