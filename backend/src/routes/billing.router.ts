import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  billingOverview,
  changePlan,
  memberRole,
  openPortal,
  previewPlanChange,
  setCancelAtPeriodEnd,
  startCheckout,
  userEmail,
  type BillingContext,
} from '@spur/billing';
import type { AccountsContext } from '@spur/accounts';
import { requireUser } from '../auth/caller.middleware.ts';
import { asHttpError } from '../billing/billing-gate.ts';
import { HttpError } from '../http/errors.ts';

const choiceBody = z.object({
  plan: z.enum(['starter', 'business']),
  tier: z.coerce.number().int().positive(),
  interval: z.enum(['monthly', 'yearly']),
});
const changeBody = choiceBody.extend({ proration_date: z.number().int().positive().optional() });

const BASE = '/api/v1/organizations/:orgId/billing';

/**
 * An organization's billing: its state and usage, checkout, portal, plan change (preview first),
 * cancel and resume. Owners and admins only: viewers and other organizations get 404, so billing
 * does not even confirm itself to them. With billing off (self-hosting) the state says so and
 * every action is 404.
 */
export function billingRouter(accounts: AccountsContext, billing: BillingContext | undefined): Router {
  const router = Router();
  const authorize = async (req: Request) => {
    const { userId } = requireUser(req);
    const orgId = String(req.params.orgId);
    const role = await memberRole(accounts.db, userId, orgId);
    if (role !== 'owner' && role !== 'admin') throw new HttpError(404, 'organization not found');
    return { userId, orgId };
  };
  const enabled = () => {
    if (!billing) throw new HttpError(404, 'billing is not enabled on this server');
    return billing;
  };
  const handle =
    (fn: (req: Request, b: BillingContext, ids: { userId: string; orgId: string }) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const ids = await authorize(req);
      try {
        res.json((await fn(req, enabled(), ids)) ?? { ok: true });
      } catch (error) {
        throw asHttpError(error);
      }
    };

  router.get(BASE, async (req, res) => {
    const { orgId } = await authorize(req);
    if (!billing) return void res.json({ enabled: false });
    try {
      res.json(await billingOverview(billing.db, orgId, billing.now()));
    } catch (error) {
      throw asHttpError(error);
    }
  });
  router.post(
    `${BASE}/checkout`,
    handle(async (req, b, { userId, orgId }) =>
      startCheckout(b, orgId, await userEmail(b.db, userId), choiceBody.parse(req.body)),
    ),
  );
  router.post(
    `${BASE}/portal`,
    handle((_req, b, { orgId }) => openPortal(b, orgId)),
  );
  router.post(
    `${BASE}/preview`,
    handle((req, b, { orgId }) => previewPlanChange(b, orgId, choiceBody.parse(req.body))),
  );
  router.post(
    `${BASE}/change`,
    handle(async (req, b, { orgId }) => {
      const body = changeBody.parse(req.body);
      await changePlan(b, orgId, body, body.proration_date);
      return billingOverview(b.db, orgId, b.now());
    }),
  );
  router.post(
    `${BASE}/cancel`,
    handle(async (_req, b, { orgId }) => {
      await setCancelAtPeriodEnd(b, orgId, true);
      return billingOverview(b.db, orgId, b.now());
    }),
  );
  router.post(
    `${BASE}/resume`,
    handle(async (_req, b, { orgId }) => {
      await setCancelAtPeriodEnd(b, orgId, false);
      return billingOverview(b.db, orgId, b.now());
    }),
  );
  return router;
}
