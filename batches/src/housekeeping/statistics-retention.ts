import type pg from 'pg';
import { deleteSitesStatistics } from '@spur/accounts';
import { entitlement, listAccounts } from '@spur/billing';
import type { Logger } from '@spur/runtime';
import type { ClickHouse } from '@spur/storage';

/**
 * Statistics older than the organization's plan keeps them (plan table: retentionYears) are
 * deleted, site by site, from every statistics table. Only with billing on: self-hosted
 * installations have no plan and keep everything. Cut-off at a UTC day start.
 */
// Before any statistics Spur can hold.
const EARLIEST = new Date('2000-01-01T00:00:00Z');

export async function enforceRetention(deps: {
  db: pg.Pool;
  clickhouse: ClickHouse;
  log: Logger;
  now: Date;
}): Promise<{ organization: string; cutoff: string; sites: number }[]> {
  const done: { organization: string; cutoff: string; sites: number }[] = [];
  for (const account of await listAccounts(deps.db)) {
    const years = entitlement(account, deps.now).plan.retentionYears;
    const cutoff = new Date(deps.now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
    cutoff.setUTCHours(0, 0, 0, 0);
    const { rows } = await deps.db.query<{ id: string }>('SELECT id::text FROM site WHERE organization_id = $1', [
      account.organization_id,
    ]);
    if (rows.length === 0) continue;
    const ids = rows.map((r) => r.id);
    // Only sites with something that old: a mutation per site and night would be wasteful.
    const old = await deps.clickhouse.client.query({
      query: `SELECT DISTINCT toString(site_id) AS id FROM page_view
              WHERE has(arrayMap(x -> toUInt64(x), {ids:Array(String)}), site_id) AND time < {cutoff:DateTime64(3, 'UTC')}
              UNION DISTINCT
              SELECT DISTINCT toString(site_id) AS id FROM session
              WHERE has(arrayMap(x -> toUInt64(x), {ids:Array(String)}), site_id) AND start < {cutoff:DateTime64(3, 'UTC')}`,
      query_params: { ids, cutoff: cutoff.getTime() / 1000 },
      format: 'JSONEachRow',
    });
    const stale = (await old.json<{ id: string }>()).map((r) => r.id);
    if (stale.length === 0) continue;
    await deleteSitesStatistics({ clickhouse: deps.clickhouse, log: deps.log }, stale, {
      from: EARLIEST,
      to: cutoff,
    });
    deps.log.info({ organization: account.organization_id, cutoff, sites: stale }, 'statistics past retention deleted');
    done.push({ organization: String(account.organization_id), cutoff: cutoff.toISOString(), sites: stale.length });
  }
  return done;
}
