-- Up Migration

-- Directory ---------------------------------------------------------------

CREATE TABLE departments (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name          text NOT NULL,
  head_staff_id integer,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id            serial PRIMARY KEY,
  full_name     text NOT NULL CHECK (length(trim(full_name)) > 0),
  role          text NOT NULL CHECK (role IN ('operator', 'key_account_manager', 'department_head', 'finance', 'quality', 'supervisor', 'admin')),
  department_id integer REFERENCES departments(id) ON DELETE RESTRICT,
  -- skill name -> level 1..5, e.g. {"regional": 3, "orders": 5}
  skills        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(skills) = 'object'),
  languages     text[] NOT NULL DEFAULT ARRAY['ru']::text[],
  sip_username  text UNIQUE CHECK (sip_username ~ '^[A-Za-z0-9._-]+$'),
  -- RFC 2617 HA1 = md5(username:realm:password); the plain password is never stored.
  sip_ha1       text CHECK (sip_ha1 ~ '^[0-9a-f]{32}$'),
  sip_realm     text,
  email         text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_department_idx ON staff (department_id);
CREATE INDEX staff_role_idx ON staff (role) WHERE active;

ALTER TABLE departments
  ADD CONSTRAINT departments_head_fk FOREIGN KEY (head_staff_id) REFERENCES staff(id) ON DELETE SET NULL;

CREATE TABLE client_types (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  label      text NOT NULL,
  built_in   boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO client_types (code, label, built_in) VALUES
  ('market', 'Market', true),
  ('key', 'Key client', true),
  ('own_point', 'Own outlet', true),
  ('retail', 'Retail', true),
  ('regional', 'Regional', true);

CREATE TABLE clients (
  id             serial PRIMARY KEY,
  name           text NOT NULL CHECK (length(trim(name)) > 0),
  type           text NOT NULL REFERENCES client_types(code) ON UPDATE CASCADE,
  manager_id     integer REFERENCES staff(id) ON DELETE SET NULL,
  region         text,
  language       text NOT NULL DEFAULT 'ru',
  overdue_debt   numeric(14,2) NOT NULL DEFAULT 0 CHECK (overdue_debt >= 0),
  credit_limit   numeric(14,2) NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  balance        numeric(14,2) NOT NULL DEFAULT 0,
  last_order_at  date,
  notes          text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clients_type_idx ON clients (type);
CREATE INDEX clients_manager_idx ON clients (manager_id);
CREATE INDEX clients_name_idx ON clients (lower(name) text_pattern_ops);
CREATE INDEX clients_last_order_idx ON clients (type, last_order_at);

CREATE TABLE client_phones (
  id        serial PRIMARY KEY,
  client_id integer NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  -- Always E.164: the lookup of an incoming caller is an equality on this column.
  e164      text NOT NULL UNIQUE CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  label     text NOT NULL DEFAULT '',
  position  smallint NOT NULL DEFAULT 0
);
CREATE INDEX client_phones_client_idx ON client_phones (client_id);

-- Queues and hours --------------------------------------------------------

CREATE TABLE schedules (
  id         serial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  timezone   text NOT NULL DEFAULT 'Europe/Moscow',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE schedule_hours (
  schedule_id integer NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  weekday     smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Sunday
  opens       time NOT NULL,
  closes      time NOT NULL CHECK (closes > opens),
  PRIMARY KEY (schedule_id, weekday, opens)
);

CREATE TABLE schedule_holidays (
  schedule_id integer NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  day         date NOT NULL,
  name        text NOT NULL,
  PRIMARY KEY (schedule_id, day)
);

CREATE TABLE queues (
  id                         serial PRIMARY KEY,
  name                       text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9_]*$'),
  label                      text NOT NULL,
  department_id              integer REFERENCES departments(id) ON DELETE SET NULL,
  schedule_id                integer REFERENCES schedules(id) ON DELETE SET NULL,
  -- skill name -> minimum level, e.g. {"regional": 1}
  required_skills            jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(required_skills) = 'object'),
  strategy                   text NOT NULL DEFAULT 'longest_idle' CHECK (strategy IN ('longest_idle', 'fewest_calls', 'round_robin', 'linear', 'weighted_random')),
  -- client type -> priority (higher is served first)
  priority_by_client_type    jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(priority_by_client_type) = 'object'),
  ring_timeout_seconds       integer NOT NULL DEFAULT 20 CHECK (ring_timeout_seconds BETWEEN 5 AND 120),
  max_wait_seconds           integer NOT NULL DEFAULT 300 CHECK (max_wait_seconds BETWEEN 10 AND 7200),
  wrap_up_seconds            integer NOT NULL DEFAULT 30 CHECK (wrap_up_seconds BETWEEN 0 AND 3600),
  service_level_seconds      integer NOT NULL DEFAULT 20 CHECK (service_level_seconds BETWEEN 1 AND 600),
  announce_every_seconds     integer NOT NULL DEFAULT 30 CHECK (announce_every_seconds BETWEEN 0 AND 600),
  music_on_hold              text NOT NULL DEFAULT 'default',
  -- {"kind": "queue"|"staff"|"callback"|"voicemail", "queue"?: name, "staffId"?: id}
  overflow_target            jsonb,
  empty_queue_policy         text NOT NULL DEFAULT 'wait' CHECK (empty_queue_policy IN ('wait', 'overflow', 'callback')),
  active                     boolean NOT NULL DEFAULT true,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE queue_members (
  queue_id integer NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  staff_id integer NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  PRIMARY KEY (queue_id, staff_id)
);

CREATE TABLE disposition_codes (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  label      text NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  position   smallint NOT NULL DEFAULT 0
);
INSERT INTO disposition_codes (code, label, position) VALUES
  ('order_taken', 'Order taken', 1),
  ('enquiry_answered', 'Enquiry answered', 2),
  ('transferred', 'Transferred', 3),
  ('complaint', 'Complaint', 4),
  ('callback_promised', 'Callback promised', 5),
  ('wrong_number', 'Wrong number', 6);

CREATE TABLE not_ready_reasons (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  label      text NOT NULL,
  built_in   boolean NOT NULL DEFAULT false,
  active     boolean NOT NULL DEFAULT true
);
INSERT INTO not_ready_reasons (code, label, built_in) VALUES
  ('break', 'Break', true),
  ('lunch', 'Lunch', true),
  ('training', 'Training', true),
  ('missed_call', 'Missed call', true);

-- Versioned configuration -------------------------------------------------

CREATE TABLE ivr_flow_versions (
  id            serial PRIMARY KEY,
  flow_name     text NOT NULL,
  version       integer NOT NULL CHECK (version > 0),
  status        text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  document      jsonb NOT NULL,
  comment       text NOT NULL DEFAULT '',
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_by  text,
  published_at  timestamptz,
  UNIQUE (flow_name, version)
);
CREATE UNIQUE INDEX ivr_flow_one_published ON ivr_flow_versions (flow_name) WHERE status = 'published';

CREATE TABLE routing_config_versions (
  id            serial PRIMARY KEY,
  version       integer NOT NULL UNIQUE CHECK (version > 0),
  status        text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  document      jsonb NOT NULL,
  comment       text NOT NULL DEFAULT '',
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_by  text,
  published_at  timestamptz
);
CREATE UNIQUE INDEX routing_config_one_published ON routing_config_versions ((true)) WHERE status = 'published';

-- Calls --------------------------------------------------------------------

CREATE TABLE calls (
  id                     uuid PRIMARY KEY,
  sip_call_id            text,
  direction              text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound', 'callback', 'internal')),
  trunk                  text,
  caller_number          text NOT NULL,
  caller_e164            text,
  dialed_number          text,
  client_id              integer REFERENCES clients(id) ON DELETE SET NULL,
  client_type            text,
  ivr_flow_version       integer,
  routing_config_version integer,
  -- stage timestamps
  started_at             timestamptz NOT NULL,
  answered_at            timestamptz,
  ivr_started_at         timestamptz,
  ivr_ended_at           timestamptz,
  queued_at              timestamptz,
  offered_at             timestamptz,
  agent_answered_at      timestamptz,
  ended_at               timestamptz,
  ivr_path               jsonb NOT NULL DEFAULT '[]'::jsonb,
  routing_decision       jsonb,
  routing_reason         text,
  queue_id               integer REFERENCES queues(id) ON DELETE SET NULL,
  queue_name             text,
  queue_wait_ms          integer,
  agent_id               integer REFERENCES staff(id) ON DELETE SET NULL,
  agent_ids              integer[] NOT NULL DEFAULT '{}',
  talk_ms                integer,
  hold_ms                integer NOT NULL DEFAULT 0,
  transfers              jsonb NOT NULL DEFAULT '[]'::jsonb,
  hangup_side            text CHECK (hangup_side IN ('caller', 'agent', 'system')),
  hangup_cause           text,
  outcome                text CHECK (outcome IN ('answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'overflowed', 'transferred', 'callback_requested', 'after_hours', 'failed', 'rejected')),
  disposition_code       text REFERENCES disposition_codes(code),
  recording_id           uuid,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_started_idx ON calls (started_at);
CREATE INDEX calls_queue_started_idx ON calls (queue_id, started_at);
CREATE INDEX calls_agent_started_idx ON calls (agent_id, started_at);
CREATE INDEX calls_client_started_idx ON calls (client_id, started_at);
CREATE INDEX calls_caller_idx ON calls (caller_e164);
CREATE INDEX calls_sip_call_id_idx ON calls (sip_call_id);

CREATE TABLE call_events (
  id       bigserial PRIMARY KEY,
  call_id  uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  seq      integer NOT NULL,
  at       timestamptz NOT NULL,
  type     text NOT NULL,
  data     jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (call_id, seq)
);
CREATE INDEX call_events_type_at_idx ON call_events (type, at);

-- The timeline is append-only: corrections are new events, never edits.
CREATE FUNCTION call_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'call_events is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER call_events_no_update BEFORE UPDATE ON call_events
  FOR EACH ROW EXECUTE FUNCTION call_events_append_only();

CREATE TABLE recordings (
  id           uuid PRIMARY KEY,
  call_id      uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  file_path    text NOT NULL,
  format       text NOT NULL DEFAULT 'wav',
  channels     smallint NOT NULL DEFAULT 2,
  sample_rate  integer NOT NULL DEFAULT 8000,
  duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
  size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  purge_after  timestamptz
);
CREATE INDEX recordings_call_idx ON recordings (call_id);
CREATE INDEX recordings_purge_idx ON recordings (purge_after);
ALTER TABLE calls ADD CONSTRAINT calls_recording_fk FOREIGN KEY (recording_id) REFERENCES recordings(id) ON DELETE SET NULL;

CREATE TABLE wrap_ups (
  id               serial PRIMARY KEY,
  call_id          uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  staff_id         integer NOT NULL REFERENCES staff(id),
  disposition_code text NOT NULL REFERENCES disposition_codes(code),
  notes            text NOT NULL DEFAULT '',
  order_reference  text,
  order_amount     numeric(14,2),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (call_id, staff_id)
);

-- API side -----------------------------------------------------------------

CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9._@-]{2,64}$'),
  -- scrypt$N$r$p$salt$hash (Node's crypto.scrypt); never a plain password
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator')),
  staff_id      integer REFERENCES staff(id) ON DELETE SET NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

CREATE TABLE api_tokens (
  token_hash  text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  user_id   integer REFERENCES users(id) ON DELETE SET NULL,
  username  text NOT NULL,
  action    text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import', 'publish', 'rollback', 'login')),
  entity    text NOT NULL,
  entity_id text,
  before    jsonb,
  after     jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- Down Migration

DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS api_tokens;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS wrap_ups;
ALTER TABLE IF EXISTS calls DROP CONSTRAINT IF EXISTS calls_recording_fk;
DROP TABLE IF EXISTS recordings;
DROP TABLE IF EXISTS call_events;
DROP FUNCTION IF EXISTS call_events_append_only();
DROP TABLE IF EXISTS calls;
DROP TABLE IF EXISTS routing_config_versions;
DROP TABLE IF EXISTS ivr_flow_versions;
DROP TABLE IF EXISTS not_ready_reasons;
DROP TABLE IF EXISTS disposition_codes;
DROP TABLE IF EXISTS queue_members;
DROP TABLE IF EXISTS queues;
DROP TABLE IF EXISTS schedule_holidays;
DROP TABLE IF EXISTS schedule_hours;
DROP TABLE IF EXISTS schedules;
DROP TABLE IF EXISTS client_phones;
DROP TABLE IF EXISTS clients;
DROP TABLE IF EXISTS client_types;
ALTER TABLE IF EXISTS departments DROP CONSTRAINT IF EXISTS departments_head_fk;
DROP TABLE IF EXISTS staff;
DROP TABLE IF EXISTS departments;
