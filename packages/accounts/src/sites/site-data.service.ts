import type { ClickHouse } from '@spur/storage';
import type { AccountsContext } from '../context.ts';

/**
 * Deleting statistics: every MergeTree table in the database with a `site_id` column, found at
 * run time so tables added later (imports, …) are covered without touching this file. Mutations
 * run synchronously (`mutations_sync = 2`): when the call returns, the rows are gone on every
 * replica, which is what "delete my data" promises.
 */
export type StatisticsTable = { name: string; columns: string[]; timeColumn: string | undefined };

const TIME_COLUMNS = ['start', 'time', 'date'];

export async function statisticsTables(ch: ClickHouse): Promise<StatisticsTable[]> {
  const result = await ch.client.query({
    query: `SELECT t.name AS name, groupArray(c.name) AS columns
              FROM system.tables t INNER JOIN system.columns c ON c.database = t.database AND c.table = t.name
             WHERE t.database = {db:String} AND t.engine LIKE '%MergeTree'
             GROUP BY t.name
            HAVING has(columns, 'site_id')
             ORDER BY t.name`,
    query_params: { db: ch.database },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ name: string; columns: string[] }>();
  // A session row's period is its start, like the table's partitioning.
  return rows.map((r) => ({
    name: r.name,
    columns: r.columns,
    timeColumn: TIME_COLUMNS.find((c) => r.columns.includes(c)),
  }));
}

export async function deleteSitesStatistics(
  ctx: Pick<AccountsContext, 'clickhouse' | 'log'>,
  siteIds: string[],
  period?: { from: Date; to: Date },
): Promise<string[]> {
  if (siteIds.length === 0) return [];
  const ch = ctx.clickhouse;
  if (!ch) throw new Error('deleting statistics needs a ClickHouse connection in the accounts context');
  const onCluster = ch.cluster ? ` ON CLUSTER '${ch.cluster}'` : '';
  const done: string[] = [];
  for (const table of await statisticsTables(ch)) {
    if (period && !table.timeColumn) {
      ctx.log.warn({ table: table.name }, 'table has no time column; a period delete skips it');
      continue;
    }
    const range = period
      ? ` AND ${table.timeColumn} >= {from:DateTime64(3, 'UTC')} AND ${table.timeColumn} < {to:DateTime64(3, 'UTC')}`
      : '';
    // Ids travel as strings (Postgres bigints) and are converted server-side.
    await ch.client.command({
      query: `ALTER TABLE ${ch.database}.${table.name}${onCluster} DELETE WHERE has(arrayMap(x -> toUInt64(x), {ids:Array(String)}), site_id)${range}`,
      query_params: {
        ids: siteIds,
        ...(period ? { from: chDateTime(period.from), to: chDateTime(period.to) } : {}),
      },
      clickhouse_settings: { mutations_sync: '2' },
    });
    done.push(table.name);
  }
  return done;
}

/**
 * The second pass of deleting sites, run once their Postgres rows are gone and the deletion was
 * announced. The first pass runs while the site still exists (so a failure leaves it in place to
 * retry), and until the row goes the backend keeps accepting its hits and the flushers keep
 * inserting them: this pass removes those. From here on the flushers know the site is gone and
 * drop its queued rows (ingest's site-gate.ts). The deletion itself has happened, so a failure is
 * logged for an operator rather than thrown at the user.
 */
export async function sweepDeletedSitesStatistics(
  ctx: Pick<AccountsContext, 'clickhouse' | 'log'>,
  siteIds: string[],
): Promise<void> {
  try {
    await deleteSitesStatistics(ctx, siteIds);
  } catch (err) {
    ctx.log.error({ err, siteIds }, 'second pass of deleting statistics failed; rows of deleted sites may remain');
  }
}

/** `YYYY-MM-DD hh:mm:ss.sss` in UTC, the text form a DateTime64 parameter accepts everywhere. */
export function chDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
