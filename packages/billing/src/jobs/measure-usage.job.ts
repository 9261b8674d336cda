import { measureUsage } from '../usage.ts';
import { BILLING_OFF, type BillingJobDeps } from './job-deps.ts';

const DAY = 86_400_000;

/**
 * Daily: page views and events per site and day from ClickHouse into `billing_usage_day`. It
 * measures yesterday again as well as today, so hits flushed after yesterday's run still count.
 */
export async function measureUsageJob(
  deps: Pick<BillingJobDeps, 'enabled' | 'db' | 'clickhouse' | 'now' | 'log'>,
  days = 2,
) {
  if (!deps.enabled) return { rows: 0, skipped: BILLING_OFF };
  const now = deps.now();
  const result = await measureUsage(deps.db, deps.clickhouse, new Date(now.getTime() - (days - 1) * DAY), now);
  deps.log.info({ rows: result.rows }, 'billing usage measured');
  return result;
}
