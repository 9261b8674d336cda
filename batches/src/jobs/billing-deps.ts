import { billingEnabled, type BillingJobDeps } from '@spur/billing';
import type { JobContext } from '../runner/job-definition.ts';

/**
 * What the billing helper's jobs (packages/billing/src/jobs) take, from a batches job's context.
 * "Now" is the slot time, so a backfilled or retried slot judges the day it was meant for; their
 * emails go out once through billing's own notice keys.
 */
export const billingDeps = (ctx: JobContext): BillingJobDeps => ({
  // Self-hosted (STRIPE_SECRET_KEY unset): the billing jobs do nothing.
  enabled: billingEnabled(ctx.config),
  db: ctx.stores.postgres.pool,
  clickhouse: ctx.stores.clickhouse.client,
  mailer: ctx.services.mailer,
  log: ctx.log,
  now: () => ctx.scheduledAt,
  dashboardUrl: ctx.config.dashboardUrl,
});

/** Daily billing jobs catch up on a day missed while no batches process ran. */
export const DAY_FILL = 20 * 3600_000;
