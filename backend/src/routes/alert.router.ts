import { Router } from 'express';
import { z } from 'zod';
import { createAlert, deleteAlert, listAlerts, listDeliveries, updateAlert } from '@spur/alerts';
import type { AccountsContext } from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';

/**
 * Traffic alert settings of a site (`/api/v1/sites/:siteId/alerts`) and each alert's delivery log.
 * Signed-in members only; viewers read, admins change; another organization's site is a 404.
 */
const deliveriesQuery = z
  .object({
    alert: z
      .string()
      .regex(/^\d{1,19}$/, 'must be an alert id')
      .optional(),
  })
  .strict();

export function alertRouter(accounts: AccountsContext) {
  const router = Router();
  const db = accounts.db;
  router.get('/api/v1/sites/:siteId/alerts', async (req, res) => {
    res.json(await listAlerts(db, requireUser(req).userId, req.params.siteId));
  });
  router.post('/api/v1/sites/:siteId/alerts', async (req, res) => {
    res.status(201).json(await createAlert(db, requireUser(req).userId, req.params.siteId, req.body));
  });
  router.patch('/api/v1/sites/:siteId/alerts/:id', async (req, res) => {
    res.json(await updateAlert(db, requireUser(req).userId, req.params.siteId, req.params.id, req.body ?? {}));
  });
  router.delete('/api/v1/sites/:siteId/alerts/:id', async (req, res) => {
    await deleteAlert(db, requireUser(req).userId, req.params.siteId, req.params.id);
    res.status(204).end();
  });
  // The site's delivery log, newest first; `?alert=<id>` narrows it to one alert.
  router.get('/api/v1/sites/:siteId/alert-deliveries', async (req, res) => {
    const { alert } = deliveriesQuery.parse(req.query);
    res.json(await listDeliveries(db, requireUser(req).userId, req.params.siteId, alert));
  });
  return router;
}
