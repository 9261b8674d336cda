import type { ClickHouse } from '@spur/storage';
import type { AccountsContext } from '../context.ts';
import { openDeletion, waitForRawDrained, waitForStreamPast } from './session-state.ts';
import { statisticsTables, chDateTime, type StatisticsTable } from './site-data.service.ts';

/** How long a deletion waits for flushers to finish the inserts they had begun when it started. */
const IN_FLIGHT_WAIT_MS = 10_000;

type Period = { from: Date; to: Date };

/**
 * Deletes the statistics of a site that goes on receiving hits: the visits that started in the
 * period (all without one) with their page views and events, in ClickHouse, in Redis (live
 * sessions) and in the stream (entries not flushed yet), so no count can turn negative afterwards.
 * A visit is deleted whole: a period ending at midnight also takes the later page views of a visit
 * that started before it, and leaves those of a visit that started the day before.
 *
 * Hits keep arriving and flushers keep inserting throughout, so:
 * 1. The deletion is recorded: from now on flushers drop every entry of the period's visits.
 * 2. Once the inserts begun before that are done, ClickHouse holds all it will hold of the period
 *    until step 4, and the mutations delete it (page views and events first, while the session
 *    rows that name their visits still exist).
 * 3. Hits answered before this point but still waiting raw for a sessionizer become stream entries
 *    (dropped by step 1's record) before the deletion closes; afterwards they would pass the cutoff.
 * 4. (With step 5, in one atomic Redis call.) The period's live sessions are forgotten: a visitor's
 *    next hit starts a new visit. Hits that arrived during the deletion belong to the deleted visits.
 * 5. The cutoff is set to the stream's last id: older entries of the period keep being dropped,
 *    newer ones (new visits) are inserted.
 */
export async function deleteSiteStatistics(
  ctx: Pick<AccountsContext, 'clickhouse' | 'log' | 'redis'>,
  siteId: string,
  period?: Period,
): Promise<string[]> {
  const ch = ctx.clickhouse;
  if (!ch) throw new Error('deleting statistics needs a ClickHouse connection in the accounts context');
  const tables = await statisticsTables(ch);
  const visits = tables.filter(isVisitTable);
  const others = tables.filter((t) => !isVisitTable(t) && (!period || t.timeColumn));
  const params = { site: siteId, ...(period ? { from: chDateTime(period.from), to: chDateTime(period.to) } : {}) };

  const deletion = await openDeletion(ctx.redis, siteId, period);
  try {
    if (!(await waitForStreamPast(ctx.redis, deletion.startedAt, IN_FLIGHT_WAIT_MS)))
      ctx.log.warn({ siteId }, 'flushers still held older entries after 10 s; rows they insert later may remain');
    for (const table of visits.filter((t) => t.name !== 'session')) {
      const ofVisits = period
        ? ` AND (visitor_id, session_id) IN (SELECT visitor_id, session_id FROM ${ch.database}.session WHERE site_id = {site:UInt64}${range('start')})`
        : '';
      await mutate(ch, table.name, `site_id = {site:UInt64}${ofVisits}`, params);
    }
    for (const table of others)
      await mutate(ch, table.name, `site_id = {site:UInt64}${period ? range(table.timeColumn!) : ''}`, params);
    if (visits.some((t) => t.name === 'session'))
      await mutate(ch, 'session', `site_id = {site:UInt64}${period ? range('start') : ''}`, params);
    if (!(await waitForRawDrained(ctx.redis, IN_FLIGHT_WAIT_MS)))
      ctx.log.warn({ siteId }, 'hits were still waiting for a sessionizer after 10 s; they may count as new visits');
  } finally {
    // Also after a failure: flushers must not drop the period's new visits for ever.
    const { forgotten } = await deletion.close();
    ctx.log.info({ siteId, forgotten }, 'statistics deleted; live sessions of the period forgotten');
  }
  return tables.filter((t) => visits.includes(t) || others.includes(t)).map((t) => t.name);
}

/** Tables whose rows belong to a visit: deleted with it, whatever their own time. */
function isVisitTable(table: StatisticsTable): boolean {
  return table.columns.includes('visitor_id') && table.columns.includes('session_id');
}

const range = (column: string) =>
  ` AND ${column} >= {from:DateTime64(3, 'UTC')} AND ${column} < {to:DateTime64(3, 'UTC')}`;

/** Runs to completion on every replica: when the call returns, the rows are gone, as "delete my data" promises. */
async function mutate(ch: ClickHouse, table: string, where: string, params: Record<string, unknown>) {
  const onCluster = ch.cluster ? ` ON CLUSTER '${ch.cluster}'` : '';
  await ch.client.command({
    query: `ALTER TABLE ${ch.database}.${table}${onCluster} DELETE WHERE ${where}`,
    query_params: params,
    clickhouse_settings: {
      mutations_sync: '2',
      // Replicas evaluate the visits' subquery each on its own copy of the (replicated) session table.
      ...(ch.cluster ? { allow_nondeterministic_mutations: 1 } : {}),
    },
  });
}
