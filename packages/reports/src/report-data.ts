import { parseStatisticsQuery, runStatistics, STATISTICS_ENDPOINTS, type StatsDeps, type StatsSite } from '@spur/stats';
import type { ReportPeriod } from './report-period.ts';

/**
 * The numbers of one report, asked of the statistics engine through the very endpoints the API
 * serves (same filter parsing, same queries), so the mail and `GET /api/v1/statistics/*` for the
 * same days cannot disagree.
 */
export type ReportMetric = {
  key: 'visitors' | 'views' | 'sessions' | 'bounce_rate' | 'visit_duration';
  label: string;
  value: number;
  previous: number;
  /** Relative change (0.25 = +25 %), the API's growth rule: 0 when both are 0, 1 when only the previous is. */
  change: number;
};
export type ReportRow = { label: string; visitors: number };
export type ReportData = {
  metrics: ReportMetric[];
  days: { day: string; visitors: number }[];
  pages: ReportRow[];
  sources: ReportRow[];
  countries: ReportRow[];
  events: (ReportRow & { count: number })[];
};

const TOP = '5';

export function growth(value: number, previous: number): number {
  if (previous === 0) return value === 0 ? 0 : 1;
  return (value - previous) / previous;
}

async function ask<T>(deps: StatsDeps, site: StatsSite, path: string, query: Record<string, string>): Promise<T> {
  const endpoint = STATISTICS_ENDPOINTS.find((e) => e.path === path);
  if (!endpoint) throw new Error(`no statistics endpoint ${path}`);
  const filter = parseStatisticsQuery(endpoint, { id: site.id, ...query });
  const answer = await runStatistics(deps, endpoint, site, filter);
  return answer.body as T;
}

type Totals = { visitors: number; views: number; sessions: number; bounce_rate: number };

/**
 * Average visit duration over a whole period: `duration/session` by year. A period that spans
 * New Year (a weekly report in the last days of December) has two buckets; their session-weighted
 * mean is not derivable from the API, so the report shows the plain mean of the two (noted).
 */
async function visitDuration(deps: StatsDeps, site: StatsSite, from: string, to: string): Promise<number> {
  const rows = await ask<{ average_time_spent_seconds: number }[]>(deps, site, 'duration/session', {
    from,
    to,
    scale: 'year',
  });
  const values = rows.map((r) => r.average_time_spent_seconds);
  return values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

export async function loadReportData(deps: StatsDeps, site: StatsSite, period: ReportPeriod): Promise<ReportData> {
  const now = { from: period.from, to: period.to };
  const before = { from: period.previousFrom, to: period.previousTo };
  const [current, previous, duration, previousDuration, series, pages, referrers, countries, events] =
    await Promise.all([
      ask<Totals>(deps, site, 'total', now),
      ask<Totals>(deps, site, 'total', before),
      visitDuration(deps, site, now.from, now.to),
      visitDuration(deps, site, before.from, before.to),
      ask<{ day: string; visitors: number }[]>(deps, site, 'visitor', { ...now, scale: 'day' }),
      ask<{ path: string; visitors: number }[]>(deps, site, 'page', { ...now, limit: TOP }),
      ask<{ referrer_name: string; referrer: string; visitors: number }[]>(deps, site, 'referrer', {
        ...now,
        limit: TOP,
      }),
      ask<{ country_code: string; visitors: number }[]>(deps, site, 'country', { ...now, limit: TOP }),
      ask<{ name: string; visitors: number; count: number }[]>(deps, site, 'events', { ...now, limit: TOP }),
    ]);
  const metric = (key: ReportMetric['key'], label: string, value: number, prev: number): ReportMetric => ({
    key,
    label,
    value,
    previous: prev,
    change: growth(value, prev),
  });
  return {
    metrics: [
      metric('visitors', 'Visitors', current.visitors, previous.visitors),
      metric('views', 'Page views', current.views, previous.views),
      metric('sessions', 'Sessions', current.sessions, previous.sessions),
      metric('bounce_rate', 'Bounce rate', current.bounce_rate, previous.bounce_rate),
      metric('visit_duration', 'Visit duration', duration, previousDuration),
    ],
    days: series.map((r) => ({ day: r.day.slice(0, 10), visitors: r.visitors })),
    pages: pages.map((r) => ({ label: r.path, visitors: r.visitors })),
    sources: referrers.map((r) => ({ label: r.referrer_name || r.referrer || 'Direct / none', visitors: r.visitors })),
    countries: countries.map((r) => ({
      label: r.country_code ? r.country_code.toUpperCase() : 'Unknown',
      visitors: r.visitors,
    })),
    events: events.map((r) => ({ label: r.name, visitors: r.visitors, count: r.count })),
  };
}
