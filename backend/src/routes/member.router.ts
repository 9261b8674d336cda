import { Router } from 'express';
import { z } from 'zod';
import {
  acceptInvitation,
  changeMemberRole,
  inviteMember,
  leaveOrganization,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
  type AccountsContext,
} from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';

const tokenBody = z.object({ token: z.string().min(1).max(200) });

/** Members, roles and invitations of an organization. */
export function memberRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/organizations/:orgId/members', async (req, res) => {
    res.json(await listMembers(accounts, requireUser(req).userId, req.params.orgId));
  });
  router.put('/api/v1/organizations/:orgId/members/:userId', async (req, res) => {
    await changeMemberRole(accounts, requireUser(req).userId, req.params.orgId, req.params.userId, req.body ?? {});
    res.json(await listMembers(accounts, requireUser(req).userId, req.params.orgId));
  });
  router.delete('/api/v1/organizations/:orgId/members/:userId', async (req, res) => {
    await removeMember(accounts, requireUser(req).userId, req.params.orgId, req.params.userId);
    res.status(204).end();
  });
  router.post('/api/v1/organizations/:orgId/leave', async (req, res) => {
    await leaveOrganization(accounts, requireUser(req).userId, req.params.orgId);
    res.status(204).end();
  });

  router.get('/api/v1/organizations/:orgId/invitations', async (req, res) => {
    res.json(await listInvitations(accounts, requireUser(req).userId, req.params.orgId));
  });
  router.post('/api/v1/organizations/:orgId/invitations', async (req, res) => {
    res.status(201).json(await inviteMember(accounts, requireUser(req).userId, req.params.orgId, req.body));
  });
  router.delete('/api/v1/organizations/:orgId/invitations/:id', async (req, res) => {
    await revokeInvitation(accounts, requireUser(req).userId, req.params.orgId, req.params.id);
    res.status(204).end();
  });
  router.post('/api/v1/invitations/accept', async (req, res) => {
    res.json(await acceptInvitation(accounts, requireUser(req).userId, tokenBody.parse(req.body).token));
  });
  return router;
}
