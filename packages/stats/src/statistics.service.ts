import { createStatsContext, type StatsDeps, type StatsSite } from './context.ts';
import type { Endpoint } from './endpoints/endpoint.ts';
import { toCsv } from './export/csv.ts';
import { parseStatsQuery, type StatsFilter } from './filter/stats-filter.ts';

/**
 * The statistics use case behind every endpoint: the caller (already authorized for `site`) gets
 * the endpoint's answer, checked against its response schema, as JSON or CSV.
 */
export type StatisticsAnswer = { type: 'json'; body: unknown } | { type: 'csv'; body: string };

/** Validates the query string for an endpoint; throws a 400 StatsError naming the parameter. */
export function parseStatisticsQuery(endpoint: Endpoint, query: Record<string, unknown>): StatsFilter {
  return parseStatsQuery(endpoint.query, query);
}

export async function runStatistics(
  deps: StatsDeps,
  endpoint: Endpoint,
  site: StatsSite,
  filter: StatsFilter,
): Promise<StatisticsAnswer> {
  const ctx = createStatsContext(deps, site, filter);
  const answer = endpoint.response.parse(await endpoint.run(ctx));
  if (filter.format !== 'csv') return { type: 'json', body: answer };
  const rows = endpoint.csvRows
    ? endpoint.csvRows(answer as never)
    : Array.isArray(answer)
      ? (answer as Record<string, unknown>[])
      : [answer as Record<string, unknown>];
  return { type: 'csv', body: toCsv(rows) };
}
