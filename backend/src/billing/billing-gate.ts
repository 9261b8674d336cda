import { Router, type NextFunction, type Request, type Response } from 'express';
import {
  assertStatisticsAllowed,
  assertWithinLimit,
  BillingError,
  type BillingContext,
  type FeatureId,
} from '@spur/billing';
import { HttpError } from '../http/errors.ts';

/** Statistics endpoints that are plan features rather than every plan's reports. */
const FEATURE_OF_ENDPOINT: Record<string, FeatureId> = {
  funnel: 'funnels',
  'session/list': 'sessions',
  'session/details': 'sessions',
};

export type StatisticsGate = (organizationId: string, endpointPath: string, rollup?: boolean) => Promise<void>;

export const asHttpError = (error: unknown): unknown =>
  error instanceof BillingError ? new HttpError(error.status, error.message, error.details) : error;

/** 402 while the organization is locked, or when the endpoint (or reading a rollup view) is a feature its plan lacks. */
export function statisticsGate(billing: BillingContext): StatisticsGate {
  return async (organizationId, endpointPath, rollup) => {
    try {
      // Every panel of a rollup would be refused alike: `upgrade` makes the dashboard show its lock screen once.
      if (rollup)
        await assertStatisticsAllowed(billing.db, organizationId, billing.now(), 'rollups').catch((error: unknown) => {
          throw error instanceof BillingError
            ? new BillingError(402, error.message, { ...error.details, upgrade: true })
            : error;
        });
      await assertStatisticsAllowed(billing.db, organizationId, billing.now(), FEATURE_OF_ENDPOINT[endpointPath]);
    } catch (error) {
      throw asHttpError(error);
    }
  };
}

const ID = /^[1-9]\d{0,17}$/;

/**
 * Plan limits on the routes that add what a plan limits: sites, members (invitations), funnels and
 * goals with custom metrics.
 * Mounted before those routers as path middleware (not routes), so it adds no route of its own; a
 * caller who may not use the route anyway passes through and gets the route's own 404/403.
 */
export function billingLimits(billing: BillingContext): Router {
  const router = Router();
  const check = (limit: 'sites' | 'members') => async (req: Request, _res: Response, next: NextFunction) => {
    const orgId = String(req.params.orgId ?? '');
    if (req.method !== 'POST' || (req.path !== '/' && req.path !== '') || !ID.test(orgId)) return next();
    try {
      await assertWithinLimit(billing.db, orgId, billing.now(), limit);
      next();
    } catch (error) {
      next(asHttpError(error));
    }
  };
  router.use('/api/v1/organizations/:orgId/sites', check('sites'));
  router.use('/api/v1/organizations/:orgId/invitations', check('members'));
  // A rollup view is a feature, and not a site toward the plan's limit (it receives no traffic).
  router.use('/api/v1/organizations/:orgId/rollups', async (req: Request, _res: Response, next: NextFunction) => {
    const orgId = String(req.params.orgId ?? '');
    if (req.method !== 'POST' || !ID.test(orgId)) return next();
    try {
      await assertStatisticsAllowed(billing.db, orgId, billing.now(), 'rollups');
      next();
    } catch (error) {
      next(asHttpError(error));
    }
  });
  // Funnels, and goals that carry a custom metric, are features: checked against the site's plan.
  const feature =
    (name: FeatureId, applies: (body: Record<string, unknown>) => boolean) =>
    async (req: Request, _res: Response, next: NextFunction) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if ((req.method !== 'POST' && req.method !== 'PUT') || !applies(body)) return next();
      try {
        const { rows } = await billing.db.query<{ organization_id: string }>(
          req.method === 'POST'
            ? 'SELECT organization_id::text FROM site WHERE id = $1'
            : `SELECT s.organization_id::text FROM site s JOIN ${name === 'funnels' ? 'funnel' : 'goal'} x ON x.site_id = s.id WHERE x.id = $1`,
          [String(req.method === 'POST' ? body.domain_id : body.id)],
        );
        if (rows[0]) await assertStatisticsAllowed(billing.db, rows[0].organization_id, billing.now(), name);
        next();
      } catch (error) {
        next(asHttpError(error));
      }
    };
  const idOf = (body: Record<string, unknown>, key: string) => ID.test(String(body[key] ?? ''));
  router.use(
    '/api/v1/funnel',
    feature('funnels', (b) => idOf(b, 'domain_id') || idOf(b, 'id')),
  );
  router.use(
    '/api/v1/goal',
    feature(
      'custom-metrics',
      (b) =>
        typeof b.custom_metric_key === 'string' &&
        b.custom_metric_key.trim() !== '' &&
        (idOf(b, 'domain_id') || idOf(b, 'id')),
    ),
  );
  return router;
}
