import { Router } from 'express';
import { z } from 'zod';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listAuditLog,
  listOrganizations,
  renameOrganization,
  requireRole,
  type AccountsContext,
} from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';
import { pageCursor } from './account.router.ts';

const nameBody = z.object({ name: z.string() });

/** Organizations the user belongs to, and each one's audit log (admins and owners). */
export function organizationRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/organizations', async (req, res) => {
    res.json(await listOrganizations(accounts, requireUser(req).userId));
  });
  router.post('/api/v1/organizations', async (req, res) => {
    res.status(201).json(await createOrganization(accounts, requireUser(req).userId, nameBody.parse(req.body).name));
  });
  router.get('/api/v1/organizations/:orgId', async (req, res) => {
    res.json(await getOrganization(accounts, requireUser(req).userId, req.params.orgId));
  });
  router.patch('/api/v1/organizations/:orgId', async (req, res) => {
    res.json(
      await renameOrganization(accounts, requireUser(req).userId, req.params.orgId, nameBody.parse(req.body).name),
    );
  });
  router.delete('/api/v1/organizations/:orgId', async (req, res) => {
    await deleteOrganization(accounts, requireUser(req).userId, req.params.orgId);
    res.status(204).end();
  });
  router.get('/api/v1/organizations/:orgId/audit-log', async (req, res) => {
    await requireRole(accounts.db, requireUser(req).userId, req.params.orgId, 'admin');
    res.json(
      await listAuditLog(accounts.db, { organizationId: req.params.orgId, before: pageCursor(req.query.before) }),
    );
  });
  return router;
}
