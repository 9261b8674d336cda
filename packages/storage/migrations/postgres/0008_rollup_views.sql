-- Rollup views (issue 18): a site row of kind 'rollup' whose statistics are those of its member
-- sites combined, with its own name, time zone, goals, funnels, annotations, access links and
-- public dashboard. It receives no traffic of its own: ingest refuses it (it has an identification
-- code only because the column is NOT NULL UNIQUE; the API never shows it) and its hostname is a
-- reserved `.invalid` name no page can carry.
ALTER TABLE site ADD COLUMN kind text NOT NULL DEFAULT 'site' CHECK (kind IN ('site', 'rollup'));

-- Members are sites of the rollup's own organization and never rollups themselves; the service
-- checks both under a row lock. Deleting a member site removes it from every rollup (CASCADE).
CREATE TABLE site_rollup_member (
  rollup_id  bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  site_id    bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  PRIMARY KEY (rollup_id, site_id),
  CHECK (rollup_id <> site_id)
);
CREATE INDEX site_rollup_member_site_idx ON site_rollup_member (site_id);
