import { Router, type NextFunction, type Request, type Response } from 'express';
import { getReadableSite, type AccountsContext } from '@spur/accounts';
import {
  parseStatisticsQuery,
  runStatistics,
  STATISTICS_ENDPOINTS,
  StatsError,
  type Endpoint,
  type StatsDeps,
} from '@spur/stats';
import type { ClickHouseClient } from '@spur/storage';
import { resolveCaller } from '../auth/caller.middleware.ts';
import { dashboardCors } from '../auth/cors.middleware.ts';
import type { AccountsApiConfig } from '../auth/accounts-api.ts';
import { HttpError } from '../http/errors.ts';
import { domainRouter } from './domain.router.ts';
import { openApiRouter } from './statistics-openapi.router.ts';

/** The paths this stack answers; everything else passes by untouched. */
const PATHS = ['/api/v1/statistics/', '/api/v1/domain', '/api/v1/openapi.json'];
const owns = (path: string) => PATHS.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));

/**
 * pirsch-sdk builds two URLs from absolute paths (`/api/v1//api/v1/funnel` for `listFunnel`,
 * `…/statistics/funnel` for `funnel`); folding the doubled prefix keeps the SDK working unmodified.
 */
export function sdkPathCompat(req: Request, _res: Response, next: NextFunction) {
  if (req.url.startsWith('/api/v1//api/v1/')) req.url = req.url.slice('/api/v1/'.length);
  next();
}

/**
 * Statistics (`/api/v1/statistics/*`), domains and the OpenAPI document. Each statistics route
 * validates the query string (400 naming the parameter), checks the caller may read the site
 * (404 otherwise, so other tenants learn nothing) and answers with one service call.
 */
export function statisticsApi(
  accounts: AccountsContext,
  clickhouse: ClickHouseClient,
  config: AccountsApiConfig,
): Router {
  const deps: StatsDeps = { clickhouse, db: accounts.db };
  const router = Router();
  router.use((req, _res, next) => next(owns(req.path) ? undefined : 'router'));
  router.use(dashboardCors(config.dashboardUrl, config.backendUrl));
  router.use(resolveCaller(accounts));
  for (const endpoint of STATISTICS_ENDPOINTS)
    router.get(`/api/v1/statistics/${endpoint.path}`, handler(endpoint, accounts, deps));
  router.use(domainRouter(accounts), openApiRouter());
  router.use(statisticsErrors);
  return router;
}

function handler(endpoint: Endpoint, accounts: AccountsContext, deps: StatsDeps) {
  return async (req: Request, res: Response) => {
    const filter = parseStatisticsQuery(endpoint, req.query as Record<string, unknown>);
    const site = await getReadableSite(accounts.db, req.caller, filter.siteId);
    if (!site) throw new StatsError(404, 'site not found');
    const answer = await runStatistics(deps, endpoint, site, filter);
    res.setHeader('Cache-Control', 'private, no-store');
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

/** Pirsch's error shape (`error` is a list; `validation` names a bad parameter), which pirsch-sdk reads. */
export function statisticsErrors(error: unknown, _req: Request, res: Response, next: NextFunction) {
  if (error instanceof StatsError) {
    const detail = error.param ? error.message.replace(`${error.param}: `, '') : undefined;
    res.status(error.status).json({
      error: [error.message],
      ...(error.param ? { validation: { [error.param]: detail }, field: error.param } : {}),
    });
    return;
  }
  if (error instanceof HttpError) {
    res.status(error.status).json({ error: [error.message], ...error.details });
    return;
  }
  next(error);
}
