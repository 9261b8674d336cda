// The statistics engine: filter model, SQL builder, one query file per statistic family.
export { STATISTICS_ENDPOINTS, type Endpoint } from './endpoints/index.ts';
export { parseStatisticsQuery, runStatistics, type StatisticsAnswer } from './statistics.service.ts';
export { createStatsContext, type StatsContext, type StatsDeps, type StatsSite } from './context.ts';
export { StatsError } from './errors.ts';
export { checkSiteStatistics, runStatsCheck, type StatsCheck } from './check/stats-check.service.ts';
export { parseStatsQuery, hasConditions, type StatsFilter } from './filter/stats-filter.ts';
export { querySchema } from './filter/filter-query.schema.ts';
export {
  resolvePeriod,
  previousPeriod,
  startOfDay,
  localDate,
  bucketsOf,
  type Period,
  type Scale,
} from './filter/period.ts';
export { toCsv } from './export/csv.ts';
export { globToRegex } from './queries/goal-pattern.ts';
