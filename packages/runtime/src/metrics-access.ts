import { timingSafeEqual } from 'node:crypto';

/**
 * Who may read `/metrics` (issue 13: it was public, and it names routes, job queues, backlog sizes
 * and error rates). With METRICS_TOKEN set, only a scraper sending `Authorization: Bearer <token>`;
 * without it, anyone outside production (dev, tests) and nobody in production.
 */
export type MetricsAccess = { NODE_ENV?: string; METRICS_TOKEN?: string };

export type MetricsVerdict = 'allowed' | 'unauthorized' | 'hidden';

export function metricsVerdict(access: MetricsAccess, authorization: string | undefined): MetricsVerdict {
  const token = access.METRICS_TOKEN;
  if (!token) return access.NODE_ENV === 'production' ? 'hidden' : 'allowed';
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'allowed' : 'unauthorized';
}
