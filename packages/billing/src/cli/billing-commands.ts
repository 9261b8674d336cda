import type pg from 'pg';
import { z } from 'zod';
import type { Mailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import { findAccount } from '../account.repository.ts';
import type { BillingContext } from '../context.ts';
import { BillingError } from '../errors.ts';
import { grantPlan } from '../grant.service.ts';
import { billingOverview } from '../overview.service.ts';
import { syncPrices } from '../prices.ts';
import { reconcileSubscriptions } from '../reconcile.service.ts';
import { createStripeClient, type StripeConfig } from '../stripe-client.ts';

export const BILLING_HELP: Record<string, string> = {
  'billing:sync-prices':
    'create or update the Stripe products and prices from the plan table (idempotent); prints what changed',
  'billing:status --org ID': "an organization's billing mirror, entitlement, usage this cycle and processed events",
  'billing:grant --org ID --plan P --tier N --until DATE': 'a complimentary plan until DATE that Stripe never sees',
  'billing:reconcile': 'compare every subscription with Stripe and repair drift; prints what was repaired',
};

const orgOption = z.string().regex(/^[1-9]\d{0,17}$/, 'must be an organization id');

/** `--key value` pairs; a flag without a value is an error rather than a silent `true`. */
function options(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]!;
    if (!key.startsWith('--') || args[i + 1] === undefined)
      throw new BillingError(400, `expected --option value, got ${key}`);
    out[key.slice(2)] = args[i + 1]!;
  }
  return out;
}

export type BillingCommandDeps = {
  db: pg.Pool;
  config: StripeConfig & { dashboardUrl: string };
  mailer: Mailer;
  log: Logger;
  now?: () => Date;
  /** Tests pass the client of the Stripe test server; otherwise one is made from the config. */
  stripe?: BillingContext['stripe'];
};

/** The `billing:*` admin commands; each returns the JSON document the CLI prints. */
export async function runBillingCommand(deps: BillingCommandDeps, name: string, args: string[]): Promise<unknown> {
  const now = deps.now ?? (() => new Date());
  const opts = options(args);
  const context = (): BillingContext => ({
    db: deps.db,
    stripe: deps.stripe ?? createStripeClient(deps.config),
    log: deps.log,
    mailer: deps.mailer,
    now,
    webhookSecret: deps.config.STRIPE_WEBHOOK_SECRET ?? '',
    automaticTax: deps.config.STRIPE_AUTOMATIC_TAX,
    dashboardUrl: deps.config.dashboardUrl,
  });
  switch (name) {
    case 'billing:sync-prices':
      return { changes: await syncPrices(context().stripe) };
    case 'billing:reconcile':
      return reconcileSubscriptions(context());
    case 'billing:status': {
      const org = orgOption.parse(opts.org);
      const account = await findAccount(deps.db, org);
      if (!account) throw new BillingError(404, 'organization not found');
      const { rows } = await deps.db.query<{ events: number; drifts: number }>(
        `SELECT (SELECT count(*) FROM stripe_event WHERE organization_id = $1)::int AS events,
                (SELECT count(*) FROM billing_drift WHERE organization_id = $1)::int AS drifts`,
        [org],
      );
      return { account, overview: await billingOverview(deps.db, org, now()), ...rows[0] };
    }
    case 'billing:grant': {
      const input = z
        .object({
          org: orgOption,
          plan: z.enum(['starter', 'business']),
          tier: z.coerce.number().int().positive(),
          until: z.iso.date().transform((d) => new Date(`${d}T00:00:00Z`)),
        })
        .parse(opts);
      await grantPlan(
        deps.db,
        { organizationId: input.org, plan: input.plan, tier: input.tier, until: input.until },
        now(),
      );
      return {
        granted: { organization_id: input.org, plan: input.plan, tier: input.tier, until: input.until.toISOString() },
      };
    }
    default:
      throw new BillingError(400, `unknown command ${name}`);
  }
}
