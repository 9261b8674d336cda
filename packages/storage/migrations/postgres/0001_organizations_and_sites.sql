-- Organizations own sites; the accounts migrations add users, members and sessions.
CREATE TABLE organization (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE site (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id      bigint NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  hostname             text NOT NULL CHECK (hostname = lower(hostname) AND length(hostname) BETWEEN 1 AND 253),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- What spur.js sends as data-code; random, public, regenerable.
  identification_code  text NOT NULL UNIQUE CHECK (length(identification_code) = 32),
  timezone             text NOT NULL DEFAULT 'UTC',
  public               boolean NOT NULL DEFAULT false,
  subdomain            text UNIQUE,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX site_organization_idx ON site (organization_id);
CREATE UNIQUE INDEX site_hostname_per_org_idx ON site (organization_id, hostname);

-- Further hostnames whose traffic counts for the site (rollups, www/apex, staging).
CREATE TABLE site_hostname (
  site_id   bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  hostname  text NOT NULL CHECK (hostname = lower(hostname)),
  PRIMARY KEY (site_id, hostname)
);
