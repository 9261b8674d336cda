import type pg from 'pg';
import type { Mailer } from '@spur/email';
import type { Logger } from '@spur/runtime';
import type { ClickHouseClient } from '@spur/storage';

/** What the billing jobs take; the jobs worker (batches) builds it once and passes it to each run. */
export type BillingJobDeps = {
  db: pg.Pool;
  clickhouse: ClickHouseClient;
  mailer: Mailer;
  log: Logger;
  now: () => Date;
  dashboardUrl: string;
};
