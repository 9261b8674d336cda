import { z } from 'zod';

/**
 * Every environment variable Spur reads. This is the only place that knows their names;
 * everything else receives a typed `Config`. Keep README.md and .env.example in step with it
 * (a unit test compares them).
 */
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

const optionalUrl = (protocols: string[]) => z.preprocess((v) => (v === '' ? undefined : v), url(protocols).optional());

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, underscore)');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Root of every embedded engine's files (`postgres/`, `clickhouse/`, `redis/`). */
  DATA_DIR: z.string().min(1).default('.data'),
  /** Searched for `redis-server` when REDIS_URL is unset. */
  PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),

  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  CLICKHOUSE_URL: optionalUrl(['http:', 'https:']),
  CLICKHOUSE_DATABASE: identifier.default('spur'),
  CLICKHOUSE_CLUSTER: z.preprocess((v) => (v === '' ? undefined : v), identifier.optional()),
  /** With CLICKHOUSE_CLUSTER: shard-local tables (`<name>_local`) behind Distributed tables of the usual names. */
  CLICKHOUSE_SHARDED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  /**
   * Redis through Sentinel (`host:port,host:port,…`): the sentinels name the current primary, and
   * REDIS_URL then only carries the password, database and TLS (its host is not used).
   */
  REDIS_SENTINELS: z
    .string()
    .default('')
    .transform((v, ctx) =>
      v
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((entry) => {
          const match = /^([^:\s]+):(\d{1,5})$/.exec(entry);
          if (!match || Number(match[2]) > 65_535) {
            ctx.addIssue({ code: 'custom', message: `"${entry}" must be host:port` });
            return { host: '', port: 0 };
          }
          return { host: match[1]!, port: Number(match[2]) };
        }),
    ),
  /** The name the sentinels monitor the primary under (`sentinel monitor <name> …`). */
  REDIS_MASTER_NAME: identifier.default('spur'),
  /**
   * Ingest answers 202 only once this many replicas hold the hit (Redis WAIT, one per event-loop
   * turn); 0 = no wait (single-node dev). Production with Sentinel: 1.
   */
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long ingest waits for that replica acknowledgement before answering 503 + Retry-After. */
  REDIS_WAIT_TIMEOUT_MS: positiveInt(500),

  HOST: z.string().min(1).default('127.0.0.1'),
  BACKEND_PORT: port(8080),
  BATCHES_PORT: port(8081),
  WEBSITE_PORT: port(8090),
  DASHBOARD_PORT: port(5173),

  /** Public base URLs, used in links (emails, snippets, CORS) and printed by `npm run dev`. */
  BACKEND_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  DASHBOARD_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  WEBSITE_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /**
   * Public dashboards by host: `<subdomain>.PUBLIC_DASHBOARD_DOMAIN` shows the public dashboard of the
   * site with that subdomain (unset: only `/public/<subdomain>` on the dashboard's own host).
   */
  PUBLIC_DASHBOARD_DOMAIN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})+$/, 'must be a domain name such as example.com')
      .optional(),
  ),
  /** Identification code(s) the public website sends its own statistics to; unset → no spur.js tag. */
  WEBSITE_TRACKING_CODE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .max(500)
      .regex(/^[A-Za-z0-9_-]+([ ,]+[A-Za-z0-9_-]+)*$/, 'must be identification codes separated by spaces or commas')
      .optional(),
  ),

  /** Email through SES; SES_ENDPOINT points at a local stand-in (unset in development: mail is logged). */
  EMAIL_FROM: z.string().min(3).default('Spur <no-reply@spur.localhost>'),
  SES_REGION: z.string().min(1).default('eu-central-1'),
  SES_ENDPOINT: optionalUrl(['http:', 'https:']),
  AWS_ACCESS_KEY_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  AWS_SECRET_ACCESS_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),

  /** Seals stored TOTP seeds; required in production (at least 32 characters). */
  AUTH_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  /** Bearer token a scraper sends for /metrics (backend and batches); unset: /metrics is not served in production. */
  METRICS_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /** `auto`: Secure session cookies when BACKEND_PUBLIC_URL is https. */
  SESSION_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SESSION_MAX_AGE_DAYS: positiveInt(30),

  /** Ingest: proxies whose forwarding headers carry the client IP (IPs or CIDRs, comma-separated). */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  /** Ingest: above this many unflushed stream entries (one per counted hit) in Redis, hits get 503 + Retry-After instead of growing memory. */
  INGEST_MAX_BACKLOG: positiveInt(1_000_000),
  /** Flusher: stream entries per batch (each up to three rows), and the longest wait to fill one. */
  FLUSH_BATCH_ROWS: positiveInt(10_000),
  FLUSH_INTERVAL_MS: positiveInt(1_000),
  /** Flusher: entries a consumer has held this long are taken over by another (it is presumed dead). */
  FLUSH_CLAIM_IDLE_MS: positiveInt(30_000),

  /** `npm run dev`: create the demo account and 90 days of demo traffic on first start. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Days of demo traffic the demo seed generates (tests use a few). */
  SEED_DEMO_DAYS: positiveInt(90),

  /** Billing: unset → billing is off (self-hosting: no limits, no banners, no billing pages). */
  STRIPE_SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(8).optional()),
  /** Signing secret of the Stripe webhook endpoint (`whsec_…`); required when STRIPE_SECRET_KEY is set. */
  STRIPE_WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(8).optional()),
  /** Tests: the local Stripe-compatible server instead of api.stripe.com. */
  STRIPE_API_BASE: optionalUrl(['http:', 'https:']),
  /** Checkout computes tax with Stripe Tax (needs it activated in the Stripe account). */
  STRIPE_AUTOMATIC_TAX: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),

  /** S3 (or any S3-compatible store): email reports, backups, avatars and logos. `npm run dev` and tests start a local stand-in. */
  S3_ENDPOINT: optionalUrl(['http:', 'https:']),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .default('spur'),
  S3_REGION: z.string().min(1).default('eu-central-1'),
  S3_ACCESS_KEY_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** Scheduled jobs (graphile-worker in batches): jobs run at once per process; `false` runs none here. */
  JOBS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  JOBS_CONCURRENCY: positiveInt(2),
  /** A batches process silent this long is presumed dead: the jobs it held are unlocked for others. */
  JOBS_WORKER_STALE_MS: positiveInt(60_000),
  /** Alert webhooks may target loopback/private/link-local addresses (a LAN install, tests); refused by default. */
  ALERT_WEBHOOK_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Nightly backups: how many of each kind (Postgres, ClickHouse) stay in S3. */
  BACKUP_KEEP: positiveInt(14),
  /** Directory of pg_dump/pg_restore; unset → /usr/lib/postgresql/<server major>/bin if present, else PATH. */
  PG_BIN_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),

  /**
   * Statistics sampling (issue 20), off by default: statistics are exact. When set, a page list whose
   * period has more page views than this reads a sample of the visitors (ClickHouse SAMPLE by
   * visitor_id, about this many page views) and scales the counts; the answer says so in its
   * `X-Spur-Sampled` header (the fraction read).
   */
  STATS_SAMPLE_ABOVE_VIEWS: z.coerce.number().int().min(0).default(0),

  /** How long SIGTERM waits for in-flight requests and batches before closing stores. */
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  /**
   * After SIGTERM, keep serving this long with /readyz already 503 before the listener closes, so
   * balancers that learn from health checks move away first (0 = close at once, fine for dev).
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
});

export type Env = z.infer<typeof envSchema>;
