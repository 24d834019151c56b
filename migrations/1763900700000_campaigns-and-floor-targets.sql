-- Up Migration

-- Outbound campaigns (issue 7): operators call "dormant" market clients — no order for two
-- quarters (design §1 rule 10) — and record the result. A campaign is created from the dormant
-- list as it stood then (criteria keeps the parameters and the date); its rows are the calls to make.
CREATE TABLE campaigns (
  id          serial PRIMARY KEY,
  name        text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'done')),
  -- e.g. {"kind": "dormant_clients", "months": 6, "clientType": "market", "asOf": "2026-11-23"}
  criteria    jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(criteria) = 'object'),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_status_idx ON campaigns (status, created_at);

CREATE TABLE campaign_calls (
  id                 serial PRIMARY KEY,
  campaign_id        integer NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  client_id          integer NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  assigned_staff_id  integer REFERENCES staff(id) ON DELETE SET NULL,
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'no_answer', 'skipped')),
  result             text CHECK (length(result) <= 500),
  notes              text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  -- The client's last order when the campaign was created (shown to the operator; not kept in sync).
  last_order_at      date,
  attempted_at       timestamptz,
  -- The outbound call that carried the attempt. No foreign key: the call row is written when the
  -- call ends (through an outbox), possibly after the result was recorded.
  call_id            uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, client_id)
);
-- An operator's list ("my assignments") and a campaign's progress per operator.
CREATE INDEX campaign_calls_staff_idx ON campaign_calls (assigned_staff_id, status) WHERE assigned_staff_id IS NOT NULL;
CREATE INDEX campaign_calls_campaign_status_idx ON campaign_calls (campaign_id, status);
CREATE INDEX campaign_calls_client_idx ON campaign_calls (client_id);

-- Wallboard targets per queue: the service-level percentage goes with the existing
-- service_level_seconds ("90 % within 20 s", design §1); a caller waiting longer than
-- long_wait_alert_seconds raises a wallboard alert (NULL: the wallboard's default, 60 s).
ALTER TABLE queues
  ADD COLUMN service_level_percent numeric(4,1) NOT NULL DEFAULT 90 CHECK (service_level_percent > 0 AND service_level_percent < 100),
  ADD COLUMN long_wait_alert_seconds integer CHECK (long_wait_alert_seconds BETWEEN 5 AND 7200);

-- Down Migration

ALTER TABLE queues DROP COLUMN IF EXISTS long_wait_alert_seconds, DROP COLUMN IF EXISTS service_level_percent;
DROP TABLE IF EXISTS campaign_calls;
DROP TABLE IF EXISTS campaigns;
