import type { ClickHouse } from '@spur/storage';
import type { AccountsContext } from '../context.ts';
import { forgetSessions, waitForStreamPast } from './session-state.ts';
import { statisticsTables, chDateTime, type StatisticsTable } from './site-data.service.ts';

/** How long a deletion waits for flushers to finish the batches they held when it started. */
const IN_FLIGHT_WAIT_MS = 10_000;
const MUTATION_WAIT_MS = 120_000;

type Period = { from: Date; to: Date };

/**
 * Deletes the statistics of a site that goes on receiving hits: the visits that started in the
 * period (all without one) with their page views and events, in ClickHouse, in Redis (live
 * sessions) and in the stream (entries not flushed yet), so no count can turn negative afterwards.
 * A visit is deleted whole: a period ending at midnight also takes the later page views of a visit
 * that started before it, and leaves those of a visit that started the day before.
 *
 * In three steps, because hits keep arriving and flushers keep inserting throughout:
 * 1. ClickHouse mutations are submitted. A mutation only changes the parts that exist when it is
 *    submitted, so the rows of visits that begin after step 2 are safe from it.
 * 2. One atomic Redis call forgets the period's live sessions and records a cutoff (the stream's
 *    last id): flushers drop the period's entries up to it, and a visitor's next hit starts anew.
 * 3. Once the batches flushers held at the cutoff are done, the rows of the forgotten sessions
 *    inserted after step 1 are deleted by their ids (rows of new visits have other ids).
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

  // 1. Page views and events first, while the session rows that name their visits still exist.
  for (const table of visits.filter((t) => t.name !== 'session')) {
    const inPeriod = period
      ? ` AND (visitor_id, session_id) IN (SELECT visitor_id, session_id FROM ${ch.database}.session WHERE site_id = {site:UInt64}${range('start')})`
      : '';
    await mutate(ch, table.name, `site_id = {site:UInt64}${inPeriod}`, { site: siteId, ...bounds(period) }, true);
  }
  for (const table of others)
    await mutate(ch, table.name, `site_id = {site:UInt64}${period ? range(table.timeColumn!) : ''}`, {
      site: siteId,
      ...bounds(period),
    });
  if (visits.some((t) => t.name === 'session'))
    await mutate(ch, 'session', `site_id = {site:UInt64}${period ? range('start') : ''}`, {
      site: siteId,
      ...bounds(period),
    });

  // 2. and 3.
  const { cutoff, sessions } = await forgetSessions(ctx.redis, siteId, period);
  if (!(await waitForStreamPast(ctx.redis, cutoff, IN_FLIGHT_WAIT_MS)))
    ctx.log.warn(
      { siteId, cutoff },
      'flushers did not reach the deletion cutoff in time; they drop older entries later',
    );
  if (sessions.length > 0) {
    const ids = sessions.map((s) => `${s.visitorId}:${s.sessionId}`);
    for (const table of visits)
      await mutate(
        ch,
        table.name,
        "site_id = {site:UInt64} AND has({ids:Array(String)}, concat(toString(visitor_id), ':', toString(session_id)))",
        { site: siteId, ids },
        true,
      );
  }
  await waitForMutations(ch, tables);
  return tables.filter((t) => visits.includes(t) || others.includes(t)).map((t) => t.name);
}

/** Tables whose rows belong to a visit: deleted with it, whatever their own time. */
function isVisitTable(table: StatisticsTable): boolean {
  return table.columns.includes('visitor_id') && table.columns.includes('session_id');
}

const range = (column: string) =>
  ` AND ${column} >= {from:DateTime64(3, 'UTC')} AND ${column} < {to:DateTime64(3, 'UTC')}`;

const bounds = (period: Period | undefined) =>
  period ? { from: chDateTime(period.from), to: chDateTime(period.to) } : {};

async function mutate(ch: ClickHouse, table: string, where: string, params: Record<string, unknown>, wait = false) {
  const onCluster = ch.cluster ? ` ON CLUSTER '${ch.cluster}'` : '';
  await ch.client.command({
    query: `ALTER TABLE ${ch.database}.${table}${onCluster} DELETE WHERE ${where}`,
    query_params: params,
    clickhouse_settings: { mutations_sync: wait ? '2' : '0' },
  });
}

/** The promise of "delete my data": when the call returns, the rows are gone. */
async function waitForMutations(ch: ClickHouse, tables: StatisticsTable[]) {
  const deadline = Date.now() + MUTATION_WAIT_MS;
  for (;;) {
    const result = await ch.client.query({
      query: `SELECT count() AS running FROM system.mutations
               WHERE database = {db:String} AND has({tables:Array(String)}, table) AND NOT is_done`,
      query_params: { db: ch.database, tables: tables.map((t) => t.name) },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ running: string | number }>();
    if (Number(row?.running ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('statistics deletion still running after 120 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
