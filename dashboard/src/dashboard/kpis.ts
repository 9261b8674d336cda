import type { Total, VisitorPoint } from '../api/stats.schemas.ts';

export type Kpis = Total & { average_session_seconds: number };

const pointKey = (p: { day?: string | null }) => (p.day ?? '').slice(0, 10);

/**
 * The average session duration of a whole period from the per-day averages the API returns:
 * each day weighs by its sessions, so a quiet day does not count as much as a busy one.
 */
export function averageSessionSeconds(durations: { day?: string | null; average_time_spent_seconds: number }[], days: VisitorPoint[]): number {
  const sessionsByDay = new Map(days.map((d) => [pointKey(d), d.sessions]));
  let weighted = 0;
  let sessions = 0;
  for (const d of durations) {
    const n = sessionsByDay.get(pointKey(d)) ?? 0;
    weighted += d.average_time_spent_seconds * n;
    sessions += n;
  }
  return sessions === 0 ? 0 : weighted / sessions;
}

export type KpiKey = 'visitors' | 'views' | 'sessions' | 'bounce_rate' | 'average_session_seconds' | 'cr';

export const KPI_CARDS: { key: KpiKey; label: string; kind: 'count' | 'percent' | 'duration'; lowerIsBetter?: boolean; metric?: string }[] = [
  { key: 'visitors', label: 'Visitors', kind: 'count', metric: 'visitors' },
  { key: 'views', label: 'Page views', kind: 'count', metric: 'views' },
  { key: 'sessions', label: 'Sessions', kind: 'count', metric: 'sessions' },
  { key: 'bounce_rate', label: 'Bounce rate', kind: 'percent', lowerIsBetter: true, metric: 'bounce_rate' },
  { key: 'average_session_seconds', label: 'Session duration', kind: 'duration' },
  { key: 'cr', label: 'Conversion rate', kind: 'percent' },
];
