-- Hostname shield (issue 13): hits for a page whose hostname the site does not allow are dropped
-- (reason `hostname_not_allowed` in ClickHouse's request table) instead of counted: a copy of the
-- page on another domain, with the snippet in it, no longer counts as the site's traffic.
-- No row for a site: its hostname, its alternative hostnames and their subdomains are allowed.
-- Rows replace that default: `example.com` that hostname exactly, `*.example.com` its subdomains
-- (not itself), `*` any hostname (the shield off).
CREATE TABLE site_allowed_hostname (
  site_id     bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  pattern     text NOT NULL CHECK (pattern = lower(pattern) AND length(pattern) BETWEEN 1 AND 255),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, pattern)
);
