-- Billing (issue 15): a mirror of each organization's Stripe subscription, the Stripe events
-- already applied, usage per site and day, and the notices already sent. Stripe stays the source
-- of truth for subscriptions; these rows are what the API, ingest and the jobs read.

CREATE TABLE billing_account (
  organization_id         bigint PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  -- Unique: one Stripe customer per organization, even when two checkouts race.
  stripe_customer_id      text UNIQUE,
  stripe_subscription_id  text UNIQUE,
  plan                    text NOT NULL DEFAULT 'business' CHECK (plan IN ('starter', 'business')),
  -- Monthly page views included (a tier of the plan table).
  tier                    integer NOT NULL DEFAULT 100000 CHECK (tier > 0),
  billing_interval        text CHECK (billing_interval IN ('monthly', 'yearly')),
  -- Stripe's subscription status; `trialing` without a subscription id is the local, card-less trial.
  status                  text NOT NULL DEFAULT 'trialing' CHECK (status IN ('trialing', 'active', 'past_due',
                            'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'paused')),
  trial_start             timestamptz NOT NULL DEFAULT now(),
  trial_end               timestamptz NOT NULL DEFAULT now() + interval '30 days',
  current_period_start    timestamptz,
  current_period_end      timestamptz,
  cancel_at_period_end    boolean NOT NULL DEFAULT false,
  -- When the subscription ended or became unpaid (statistics lock at once, ingest 30 days later).
  lapsed_at               timestamptz,
  -- Set by the quota job after two cycles more than 10 % over: statistics lock from this time on.
  quota_lock_at           timestamptz,
  -- A complimentary plan granted by an operator (billing:grant); Stripe never sees it.
  grant_plan              text CHECK (grant_plan IN ('starter', 'business')),
  grant_tier              integer CHECK (grant_tier > 0),
  grant_until             timestamptz,
  -- Derived from the columns above by the billing code (entitlement.ts) whenever they change, so
  -- ingest reads one timestamp from its cached site settings instead of the billing rules.
  ingest_stop_at          timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- Every organization gets its account (and so its trial) in the transaction that creates it.
CREATE FUNCTION billing_account_for_new_organization() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO billing_account (organization_id, trial_start, trial_end)
  VALUES (NEW.id, NEW.created_at, NEW.created_at + interval '30 days')
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;

CREATE TRIGGER organization_billing_account AFTER INSERT ON organization
  FOR EACH ROW EXECUTE FUNCTION billing_account_for_new_organization();

-- Organizations that existed before billing: their trial starts now.
INSERT INTO billing_account (organization_id) SELECT id FROM organization ON CONFLICT DO NOTHING;

-- Stripe events already applied, written in the same transaction as their effect: a redelivered
-- event finds its row and changes nothing.
CREATE TABLE stripe_event (
  id               text PRIMARY KEY,
  type             text NOT NULL,
  organization_id  bigint REFERENCES organization (id) ON DELETE SET NULL,
  outcome          text NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now()
);

-- Page views and custom events per site and day (UTC), measured from ClickHouse by the daily
-- job. No foreign key to site: a deleted site's usage in the cycle still counts.
CREATE TABLE billing_usage_day (
  organization_id  bigint NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  site_id          bigint NOT NULL,
  day              date NOT NULL,
  page_views       bigint NOT NULL DEFAULT 0 CHECK (page_views >= 0),
  events           bigint NOT NULL DEFAULT 0 CHECK (events >= 0),
  measured_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, day, site_id)
);

-- One row per notice sent (quota 80/100 %, grace, trial and ingest-stop reminders), keyed by what
-- makes it unique (kind + cycle or date), so a job that runs twice sends nothing twice.
CREATE TABLE billing_notice (
  organization_id  bigint NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  kind             text NOT NULL,
  period_key       text NOT NULL,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, kind, period_key)
);

-- What reconciliation repaired, for the log and the counter shown by billing:status.
CREATE TABLE billing_drift (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  bigint REFERENCES organization (id) ON DELETE CASCADE,
  fields           text[] NOT NULL,
  repaired_at      timestamptz NOT NULL DEFAULT now()
);
