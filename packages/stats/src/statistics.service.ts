import { canonicalTimeZone, re2Problem } from '@spur/accounts';
import { createStatsContext, type StatsDeps, type StatsSite } from './context.ts';
import type { Endpoint } from './endpoints/endpoint.ts';
import { badParam } from './errors.ts';
import { toCsv } from './export/csv.ts';
import { parseStatsQuery, type StatsFilter } from './filter/stats-filter.ts';

/**
 * The statistics use case behind every endpoint: the caller (already authorized for `site`) gets
 * the endpoint's answer, checked against its response schema, as JSON or CSV.
 */
export type StatisticsAnswer = ({ type: 'json'; body: unknown } | { type: 'csv'; body: string }) & {
  /** The fraction of visitors read when the counts were scaled from a sample (STATS_SAMPLE_ABOVE_VIEWS). */
  sampled?: number;
};

/** Validates the query string for an endpoint; throws a 400 StatsError naming the parameter. */
export function parseStatisticsQuery(endpoint: Endpoint, query: Record<string, unknown>): StatsFilter {
  return parseStatsQuery(endpoint.query, query);
}

/**
 * `pattern` values are RE2 and only ClickHouse can judge them, so it is asked before any query runs.
 * Relying on the statistic's own query failing was not enough: beside another filter that matched
 * no rows, ClickHouse never compiled the expression and an invalid `pattern` answered 200 `[]`.
 */
async function checkPatterns(deps: StatsDeps, filter: StatsFilter): Promise<void> {
  for (const { value } of filter.fields.pattern ?? []) {
    const problem = await re2Problem(deps.clickhouse, value);
    if (problem) throw badParam('pattern', `must be a valid RE2 regular expression (${problem})`);
  }
}

export async function runStatistics(
  deps: StatsDeps,
  endpoint: Endpoint,
  site: StatsSite,
  filter: StatsFilter,
): Promise<StatisticsAnswer> {
  // A site saved before zones were checked against ClickHouse's list may hold one it cannot load.
  const timezone = canonicalTimeZone(site.timezone) ?? 'UTC';
  await checkPatterns(deps, filter);
  const ctx = createStatsContext(deps, { ...site, timezone }, filter);
  const answer = endpoint.response.parse(await endpoint.run(ctx));
  const sampled = ctx.sampled === undefined ? {} : { sampled: ctx.sampled };
  if (filter.format !== 'csv') return { type: 'json', body: answer, ...sampled };
  const rows = endpoint.csvRows
    ? endpoint.csvRows(answer as never)
    : Array.isArray(answer)
      ? (answer as Record<string, unknown>[])
      : [answer as Record<string, unknown>];
  return { type: 'csv', body: toCsv(rows), ...sampled };
}
