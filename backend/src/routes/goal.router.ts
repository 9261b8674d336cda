import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  createFunnel,
  createGoal,
  deleteFunnel,
  deleteGoal,
  getReadableSite,
  listFunnels,
  listGoals,
  siteOfFunnel,
  siteOfGoal,
  updateFunnel,
  updateGoal,
  type AccountsContext,
} from '@spur/accounts';
import { HttpError } from '../http/errors.ts';
import { notReadable, requireUser } from '../auth/caller.middleware.ts';

/**
 * Goals and funnels at Pirsch's paths: `GET /api/v1/goal?id=<site>` lists (anyone who may read
 * the site, API tokens included), `POST` creates (body names `domain_id`), `PUT` replaces (body
 * names `id`), `DELETE ?id=<goal>` removes. Changes need a signed-in admin.
 */
const siteQuery = z.object({ id: z.string().max(20) });
const createBody = z.object({ domain_id: z.string().max(20) }).loose();
const updateBody = z.object({ id: z.string().max(20) }).loose();

export function goalRouter(accounts: AccountsContext) {
  const router = Router();
  const readableSiteId = async (req: Request) => {
    const site = await getReadableSite(accounts.db, req.caller, siteQuery.parse(req.query).id);
    if (!site) throw notReadable(req.caller);
    return site.id;
  };
  const siteOf = async (
    lookup: (db: AccountsContext['db'], id: string) => Promise<string | undefined>,
    id: string,
    what: string,
  ) => {
    const siteId = await lookup(accounts.db, id);
    if (!siteId) throw new HttpError(404, `${what} not found`);
    return siteId;
  };

  router.get('/api/v1/goal', async (req, res) => {
    res.json(await listGoals(accounts.db, await readableSiteId(req)));
  });
  router.post('/api/v1/goal', async (req, res) => {
    const { domain_id, ...goal } = createBody.parse(req.body);
    res.status(201).json(await createGoal(accounts, requireUser(req).userId, domain_id, goal));
  });
  router.put('/api/v1/goal', async (req, res) => {
    const { id, domain_id: _ignored, ...goal } = updateBody.parse(req.body);
    const userId = requireUser(req).userId;
    res.json(await updateGoal(accounts, userId, await siteOf(siteOfGoal, id, 'goal'), id, goal));
  });
  router.delete('/api/v1/goal', async (req, res) => {
    const { id } = siteQuery.parse(req.query);
    const userId = requireUser(req).userId;
    await deleteGoal(accounts, userId, await siteOf(siteOfGoal, id, 'goal'), id);
    res.status(204).end();
  });

  router.get('/api/v1/funnel', async (req, res) => {
    res.json(await listFunnels(accounts.db, await readableSiteId(req)));
  });
  router.post('/api/v1/funnel', async (req, res) => {
    const { domain_id, ...funnel } = createBody.parse(req.body);
    res.status(201).json(await createFunnel(accounts, requireUser(req).userId, domain_id, funnel));
  });
  router.put('/api/v1/funnel', async (req, res) => {
    const { id, domain_id: _ignored, ...funnel } = updateBody.parse(req.body);
    const userId = requireUser(req).userId;
    res.json(await updateFunnel(accounts, userId, await siteOf(siteOfFunnel, id, 'funnel'), id, funnel));
  });
  router.delete('/api/v1/funnel', async (req, res) => {
    const { id } = siteQuery.parse(req.query);
    const userId = requireUser(req).userId;
    await deleteFunnel(accounts, userId, await siteOf(siteOfFunnel, id, 'funnel'), id);
    res.status(204).end();
  });
  return router;
}
