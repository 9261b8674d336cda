import { Router, type Request, type Response } from 'express';
import { getReadableSite, type AccountsContext } from '@spur/accounts';
import { parseStatisticsQuery, runStatistics, STATISTICS_ENDPOINTS, type Endpoint, type StatsDeps } from '@spur/stats';
import type { ClickHouseClient } from '@spur/storage';
import { notReadable } from '../auth/caller.middleware.ts';
import type { StatisticsGate } from '../billing/billing-gate.ts';

/**
 * `/api/v1/statistics/*`, one route per entry of the endpoint table. Each validates the query
 * string (400 naming the parameter), checks the caller may read the site (404 otherwise, so other
 * tenants learn nothing; 401 without any credential) and answers with one service call.
 */
export function statisticsRouter(
  accounts: AccountsContext,
  clickhouse: ClickHouseClient,
  /** Billing's 402 gate (locked organization, feature outside the plan); absent when billing is off. */
  gate?: StatisticsGate,
  /** STATS_SAMPLE_ABOVE_VIEWS (0: always exact). */
  sampleAboveViews = 0,
): Router {
  const deps: StatsDeps = { clickhouse, db: accounts.db, sampleAboveViews };
  const router = Router();
  for (const endpoint of STATISTICS_ENDPOINTS)
    router.get(`/api/v1/statistics/${endpoint.path}`, handler(endpoint, accounts, deps, gate));
  return router;
}

function handler(endpoint: Endpoint, accounts: AccountsContext, deps: StatsDeps, gate?: StatisticsGate) {
  return async (req: Request, res: Response) => {
    const filter = parseStatisticsQuery(endpoint, req.query as Record<string, unknown>);
    const site = await getReadableSite(accounts.db, req.caller, filter.siteId);
    if (!site) throw notReadable(req.caller);
    if (gate) await gate(site.organization_id, endpoint.path, site.kind === 'rollup');
    const answer = await runStatistics(deps, endpoint, site, filter);
    res.setHeader('Cache-Control', 'private, no-store');
    // The answer's counts were scaled from a sample of the visitors (STATS_SAMPLE_ABOVE_VIEWS).
    if (answer.sampled !== undefined) res.setHeader('X-Spur-Sampled', String(answer.sampled));
    if (answer.type === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`${endpoint.path.replace(/\//g, '-')}.csv`)
        .send(answer.body);
    } else {
      res.json(answer.body);
    }
  };
}
