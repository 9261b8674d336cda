-- Scheduled work (batches): a record of every job run, which batches processes are alive, what
-- the email reports and traffic alerts sent, Postgres/ClickHouse backups, and images kept in S3.
-- graphile-worker keeps its own queue in the graphile_worker schema and deletes finished jobs, so
-- everything we want to look back on lives here.

-- One row per (job, slot). The unique pair is also the idempotency key of whatever the run
-- sends: a report for (recipient, period) or an alert notice is a slot of its own, so a retry,
-- a second replica or a rerun finds the row marked succeeded and sends nothing.
CREATE TABLE job_run (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job          text NOT NULL CHECK (length(job) BETWEEN 1 AND 100),
  slot         text NOT NULL CHECK (length(slot) BETWEEN 1 AND 300),
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  attempts     integer NOT NULL DEFAULT 1,
  -- The graphile-worker id holding the run; a running row whose worker stopped its heartbeat
  -- may be taken over.
  worker       text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  duration_ms  integer,
  error        text,
  -- What the run did, for `jobs:list` and the logs ({"sent": 3}, {"key": "backups/…"}).
  detail       jsonb,
  UNIQUE (job, slot)
);
CREATE INDEX job_run_job_finished_idx ON job_run (job, finished_at DESC);
CREATE INDEX job_run_started_idx ON job_run (started_at);

-- Heartbeats of live graphile workers. A job locked by a worker whose heartbeat stopped (its
-- process was SIGKILLed) is unlocked by a live process, instead of waiting the 4 hours
-- graphile-worker itself waits.
CREATE TABLE job_worker (
  worker_id   text PRIMARY KEY,
  host        text NOT NULL,
  pid         integer NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  seen_at     timestamptz NOT NULL DEFAULT now()
);

-- Every rendered email report, stored in S3. The token is the "view in browser" link: random,
-- unguessable, and it shows only that one report.
CREATE TABLE report_copy (
  token            text PRIMARY KEY CHECK (length(token) = 32),
  site_id          bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  email_report_id  bigint REFERENCES email_report (id) ON DELETE SET NULL,
  interval         text NOT NULL CHECK (interval IN ('daily', 'weekly', 'monthly')),
  period_from      date NOT NULL,
  period_to        date NOT NULL,
  s3_key           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_copy_site_idx ON report_copy (site_id, created_at);

-- Traffic alerts: one spike and one drop rule per site at most.
CREATE TABLE traffic_alert (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id          bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('spike', 'drop')),
  -- spike: visitors in the last 10 minutes >= threshold; drop: visitors in the last
  -- window_hours < threshold (threshold 1 = "no visitors at all").
  threshold        integer NOT NULL CHECK (threshold BETWEEN 1 AND 100000000),
  window_hours     integer NOT NULL DEFAULT 1 CHECK (window_hours BETWEEN 1 AND 168),
  emails           text[] NOT NULL DEFAULT '{}',
  webhook_url      text,
  webhook_format   text NOT NULL DEFAULT 'json' CHECK (webhook_format IN ('json', 'slack', 'discord')),
  -- Signs webhook bodies (HMAC-SHA256); shown to the owner so the receiver can verify them.
  webhook_secret   text NOT NULL,
  enabled          boolean NOT NULL DEFAULT true,
  state            text NOT NULL DEFAULT 'normal' CHECK (state IN ('normal', 'firing')),
  state_since      timestamptz NOT NULL DEFAULT now(),
  last_notice_at   timestamptz,
  last_value       integer,
  created_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (site_id, kind)
);

-- Each notice to each target, with its attempts: the delivery log shown to the owner.
CREATE TABLE alert_delivery (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id         bigint NOT NULL REFERENCES traffic_alert (id) ON DELETE CASCADE,
  notice           text NOT NULL CHECK (notice IN ('fired', 'recovered')),
  -- The job_run slot of the notice: one delivery per (notice, channel, target).
  notice_key       text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
  target           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  response_status  integer,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  UNIQUE (notice_key, channel, target)
);
CREATE INDEX alert_delivery_alert_idx ON alert_delivery (alert_id, created_at DESC);

-- Backups written to S3; the newest BACKUP_KEEP of each kind are kept.
CREATE TABLE backup (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('postgres', 'clickhouse')),
  s3_key          text NOT NULL UNIQUE,
  status          text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'deleted')),
  size_bytes      bigint,
  sha256          text,
  server_version  text,
  error           text,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX backup_kind_idx ON backup (kind, started_at DESC);

-- Avatars and logos live in S3 under these keys (content-addressed, so any node serves them and
-- a changed image gets a new URL).
ALTER TABLE app_user ADD COLUMN avatar_key text;
ALTER TABLE organization ADD COLUMN logo_key text;
