-- API clients (client id + secret, exchanged at /api/v1/token) and access keys (`pa_…`,
-- write-only ingest), both scoped to an organization and optionally to one site.
CREATE TABLE api_client (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  site_id          bigint REFERENCES site (id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('client', 'access_key')),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Public half of a client; NULL for access keys, which are one secret.
  client_id        text UNIQUE CHECK (client_id IS NULL OR length(client_id) = 32),
  secret_hash      bytea NOT NULL UNIQUE,
  write_only       boolean NOT NULL DEFAULT false,
  created_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_used_at     timestamptz,
  revoked_at       timestamptz,
  CHECK ((kind = 'client') = (client_id IS NOT NULL))
);
CREATE INDEX api_client_organization_idx ON api_client (organization_id);

CREATE TABLE api_access_token (
  token_hash     bytea PRIMARY KEY,
  api_client_id  bigint NOT NULL REFERENCES api_client (id) ON DELETE CASCADE,
  expires_at     timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_access_token_client_idx ON api_access_token (api_client_id);

-- Traffic the ingest pipeline drops before counting (read through getSiteIngestSettings).
CREATE TABLE site_traffic_filter (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id     bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('ip', 'path', 'country')),
  value       text NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (site_id, kind, value)
);

-- Read-only links to a site's statistics; the token is the secret part of the URL.
CREATE TABLE access_link (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id        bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  token_hash     bytea NOT NULL UNIQUE,
  description    text NOT NULL DEFAULT '',
  password_hash  text,
  expires_at     timestamptz,
  revoked_at     timestamptz,
  created_by     bigint REFERENCES app_user (id) ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz
);
CREATE INDEX access_link_site_idx ON access_link (site_id);

-- Conversion goals in Pirsch's shape: a path glob, a regex, or an event (+ meta), optionally
-- with a custom metric; visitor_goal / cr_goal are targets shown on the dashboard.
CREATE TABLE goal (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id             bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  path_pattern        text NOT NULL DEFAULT '',
  pattern             text NOT NULL DEFAULT '',
  event_name          text NOT NULL DEFAULT '',
  event_meta_key      text NOT NULL DEFAULT '',
  event_meta_value    text NOT NULL DEFAULT '',
  custom_metric_key   text NOT NULL DEFAULT '',
  custom_metric_type  text NOT NULL DEFAULT '' CHECK (custom_metric_type IN ('', 'integer', 'float')),
  visitor_goal        integer CHECK (visitor_goal > 0),
  cr_goal             double precision CHECK (cr_goal > 0 AND cr_goal <= 1),
  delete_reached      boolean NOT NULL DEFAULT false,
  email_reached       boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((path_pattern <> '')::int + (pattern <> '')::int + (event_name <> '')::int = 1)
);
CREATE INDEX goal_site_idx ON goal (site_id);

CREATE TABLE funnel (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id     bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funnel_site_idx ON funnel (site_id);

-- Each step is a filter in the statistics filter model (path, event, …), counted in order.
CREATE TABLE funnel_step (
  funnel_id  bigint NOT NULL REFERENCES funnel (id) ON DELETE CASCADE,
  step       smallint NOT NULL CHECK (step BETWEEN 1 AND 8),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  filter     jsonb NOT NULL,
  PRIMARY KEY (funnel_id, step)
);

-- Who gets which periodic report; sent by the batches' report job.
CREATE TABLE email_report (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  email         text NOT NULL CHECK (email = lower(email)),
  interval      text NOT NULL CHECK (interval IN ('daily', 'weekly', 'monthly')),
  created_by    bigint REFERENCES app_user (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_sent_at  timestamptz,
  UNIQUE (site_id, email, interval)
);
