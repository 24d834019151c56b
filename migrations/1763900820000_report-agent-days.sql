-- Up Migration
-- Daily agent rollups (issue 7): a year's all-agents report summed ~900,000 agent-hours at 1M calls
-- (about 3 s); one row per agent and local day of REPORTS_TIME_ZONE makes it ~73,000. A day row is
-- nothing but the sum of the agent's report_agent_hours rows over the day's UTC hours, rewritten in the
-- same transaction as those hours, so a report may take a day from here wherever it would have added
-- up those hours (src/reports/report-rollups.ts, report-rollups-repository.ts).

-- The days built: local days of the job's zone whose every hour is sealed. A day is [day_start,
-- day_end) — 23, 24 or 25 UTC hours across DST. Days of a zone whose midnight is not on a UTC hour
-- (Asia/Kolkata) are never listed: reports add up their hours instead.
CREATE TABLE report_rollup_days (
  day_start timestamptz PRIMARY KEY CHECK (day_start = date_bin('1 hour', day_start, TIMESTAMPTZ '2000-01-01 00:00:00+00')),
  day_end   timestamptz NOT NULL CHECK (day_end = date_bin('1 hour', day_end, TIMESTAMPTZ '2000-01-01 00:00:00+00')),
  CHECK (day_end > day_start)
);

-- Per agent and listed day: the report_agent_hours columns summed over the day's hours (no row: nothing
-- to count that day). Rows exist only for days listed above; the job deletes and writes both together.
CREATE TABLE report_agent_days (
  day_start       timestamptz NOT NULL,
  agent_id        integer NOT NULL,
  handled         integer NOT NULL,
  missed          integer NOT NULL,
  single_talk_ms  bigint NOT NULL,
  single_hold_ms  bigint NOT NULL,
  shared_talk_us  bigint NOT NULL,
  shared_hold_us  bigint NOT NULL,
  ready_us        bigint NOT NULL,
  reserved_us     bigint NOT NULL,
  not_ready_us    bigint NOT NULL,
  wrap_up_us      bigint NOT NULL,
  PRIMARY KEY (day_start, agent_id)
);
CREATE INDEX report_agent_days_agent_idx ON report_agent_days (agent_id, day_start);

-- The zone the days above are local days of; NULL until the job has built them (after this migration
-- on a database with hourly rollups, its next run builds the days from the hours already there).
ALTER TABLE report_rollup_state ADD COLUMN day_zone text;

-- Down Migration
ALTER TABLE report_rollup_state DROP COLUMN IF EXISTS day_zone;
DROP TABLE IF EXISTS report_agent_days;
DROP TABLE IF EXISTS report_rollup_days;
