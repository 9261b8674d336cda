-- Dashboard (issue 18). Annotations mark a day on a site's main chart (a release, a campaign);
-- they show on every period that holds their day, and travel in the API and the chart's CSV.
CREATE TABLE annotation (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id     bigint NOT NULL REFERENCES site (id) ON DELETE CASCADE,
  -- A calendar day in the site's time zone, like every period the dashboard asks for.
  day         date NOT NULL,
  text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX annotation_site_day_idx ON annotation (site_id, day);

-- A goal whose custom metric is money names its currency (ISO 4217), so the dashboard shows
-- "€1,234.50" instead of a bare number; '' for a plain number (a score, seconds, items).
ALTER TABLE goal ADD COLUMN currency text NOT NULL DEFAULT ''
  CHECK (currency = '' OR currency ~ '^[A-Z]{3}$');
