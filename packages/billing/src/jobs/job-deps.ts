import type pg from 'pg';
import type { Mailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import type { ClickHouseClient } from '@spur/storage';

/** What the billing jobs take; the jobs worker (batches) builds it once and passes it to each run. */
export type BillingJobDeps = {
  /**
   * `billingEnabled(config)`: false on self-hosted servers, where every billing job does nothing (a
   * trial reminder, a quota email or an ingest stop there would be wrong). Required, so no caller forgets.
   */
  enabled: boolean;
  db: pg.Pool;
  clickhouse: ClickHouseClient;
  mailer: Mailer;
  log: Logger;
  now: () => Date;
  dashboardUrl: string;
};

export const BILLING_OFF = 'billing is off (STRIPE_SECRET_KEY unset)';
