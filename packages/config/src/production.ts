import type { Env } from './schema.ts';

export type Service = 'backend' | 'batches' | 'website' | 'dashboard';

/**
 * What each service must be given in production. The embedded engines are dev dependencies that
 * production images do not contain, so every store a service opens needs its URL; the backend seals
 * TOTP seeds with AUTH_SECRET and refuses to start without it; HOST must be 0.0.0.0 in a container;
 * /metrics is served in production only to a scraper holding METRICS_TOKEN; batches keeps backups in S3.
 * deploy/nomad/*.nomad.hcl render exactly these (test/unit/deploy-nomad-env.test.ts checks it).
 */
const stores = ['DATABASE_URL', 'CLICKHOUSE_URL', 'REDIS_URL'] as const;
const everyService = ['NODE_ENV', 'HOST', 'LOG_LEVEL', 'SHUTDOWN_TIMEOUT_MS', 'SHUTDOWN_DRAIN_MS'] as const;

export const PRODUCTION_REQUIRED: Record<Service, readonly (keyof Env)[]> = {
  backend: [
    ...everyService,
    ...stores,
    'BACKEND_PORT',
    'AUTH_SECRET',
    'METRICS_TOKEN',
    'TRUSTED_PROXIES',
    'BACKEND_PUBLIC_URL',
    'DASHBOARD_PUBLIC_URL',
    'WEBSITE_PUBLIC_URL',
    'PUBLIC_DASHBOARD_DOMAIN',
  ],
  batches: [
    ...everyService,
    ...stores,
    'BATCHES_PORT',
    'METRICS_TOKEN',
    'S3_BUCKET',
    'BACKEND_PUBLIC_URL',
    'DASHBOARD_PUBLIC_URL',
    'WEBSITE_PUBLIC_URL',
  ],
  website: [...everyService, 'WEBSITE_PORT', 'BACKEND_PUBLIC_URL', 'DASHBOARD_PUBLIC_URL', 'WEBSITE_PUBLIC_URL'],
  dashboard: [...everyService, 'DASHBOARD_PORT', 'BACKEND_PUBLIC_URL', 'PUBLIC_DASHBOARD_DOMAIN'],
};

/** The production variables a service's environment lacks (empty values count as missing). */
export function missingInProduction(service: Service, env: Record<string, string | undefined>): string[] {
  return PRODUCTION_REQUIRED[service].filter((name) => !env[name]);
}
