-- Users, memberships, login sessions and every one-time secret. Secrets are never stored in the
-- clear: tokens are kept as SHA-256 digests (they carry >= 128 random bits, so a fast hash is
-- enough), passwords as scrypt hashes.

CREATE TABLE app_user (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Stored trimmed and lower-cased, so the unique index is the whole duplicate check.
  email              text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash      text NOT NULL,
  email_verified_at  timestamptz,
  terms_accepted_at  timestamptz NOT NULL,
  -- AES-GCM sealed with a key derived from AUTH_SECRET; enabled only once a code was confirmed.
  totp_secret        text,
  totp_enabled_at    timestamptz,
  -- The last accepted time step: a code works once, even within its 30-second window.
  totp_last_step     bigint,
  -- Bumped on password change and reset; sessions older than this are invalid.
  credentials_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organization_member (
  organization_id  bigint NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  user_id          bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  role             text NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_member_user_idx ON organization_member (user_id);

ALTER TABLE organization ADD COLUMN personal boolean NOT NULL DEFAULT false;
ALTER TABLE organization ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE auth_session (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash    bytea NOT NULL UNIQUE,
  user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  -- A coarse label for the sessions list ("Firefox on Linux"); no IP address is kept.
  user_agent    text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX auth_session_user_idx ON auth_session (user_id);

-- Email verification, password reset, email change and the second login step share one shape.
CREATE TABLE one_time_token (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash  bytea NOT NULL UNIQUE,
  purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email', 'login_2fa')),
  user_id     bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  payload     jsonb NOT NULL DEFAULT '{}',
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX one_time_token_user_idx ON one_time_token (user_id, purpose);

CREATE TABLE recovery_code (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  code_hash  bytea NOT NULL,
  used_at    timestamptz,
  UNIQUE (user_id, code_hash)
);

CREATE TABLE invitation (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  email            text NOT NULL CHECK (email = lower(email)),
  role             text NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  token_hash       bytea NOT NULL UNIQUE,
  invited_by       bigint REFERENCES app_user (id) ON DELETE SET NULL,
  expires_at       timestamptz NOT NULL,
  accepted_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitation_organization_idx ON invitation (organization_id);

-- Security-relevant actions per organization (or per user for account-level ones).
CREATE TABLE audit_log (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint REFERENCES organization (id) ON DELETE CASCADE,
  user_id          bigint REFERENCES app_user (id) ON DELETE SET NULL,
  action           text NOT NULL,
  details          jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_organization_idx ON audit_log (organization_id, created_at DESC);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, created_at DESC);
