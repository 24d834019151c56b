-- Up Migration
-- Hourly report rollups (issue 7): a year's queue or agent report reads ~9,000 hours per queue or
-- agent instead of every call and ACD event of the year. One row per UTC hour and queue (or agent)
-- that had anything to count, holding only additive counters, so any hour-aligned bucket (an hour,
-- a day, a week in a zone whose offset is whole hours) is a plain sum. Written only by the rollup job
-- (src/reports/report-rollup-job.ts); the figures are defined in src/reports/*-metrics.ts and the
-- rows are filled by the very same SQL as the raw reports (src/db/repositories/report-sql.ts).

-- Per queue and hour, for the calls that started in that hour (queue-metrics.ts).
CREATE TABLE report_queue_hours (
  hour                timestamptz NOT NULL CHECK (hour = date_bin('1 hour', hour, TIMESTAMPTZ '2000-01-01 00:00:00+00')),
  queue               text NOT NULL,
  offered             integer NOT NULL,
  answered            integer NOT NULL,
  abandoned           integer NOT NULL,
  short_abandoned     integer NOT NULL,
  callbacks_requested integer NOT NULL,
  overflowed          integer NOT NULL,
  -- Cumulative wait histograms on a 5 s grid, so a service-level threshold T that is a multiple of
  -- 5 s up to 120 s is answered exactly: element k (1…24) counts answered calls that waited ≤ 5·k s,
  -- and abandoned calls that waited > 5·k s. Other thresholds fall back to the raw query.
  answered_within     integer[] NOT NULL CHECK (cardinality(answered_within) = 24),
  abandoned_after     integer[] NOT NULL CHECK (cardinality(abandoned_after) = 24),
  answer_wait_ms      bigint NOT NULL,
  talk_ms             bigint NOT NULL,
  hold_ms             bigint NOT NULL,
  -- NULL when no call of the hour has a known wait (the report shows 0 then, as the raw query does).
  longest_wait_ms     integer,
  -- Microseconds: the raw query adds up exact sub-millisecond durations before rounding once.
  wrap_up_us          bigint NOT NULL,
  PRIMARY KEY (hour, queue)
);
CREATE INDEX report_queue_hours_queue_idx ON report_queue_hours (queue, hour);

-- Per agent and hour (agent-metrics.ts): calls by their start, missed calls and state time by when
-- they happened. Talk and hold of single-agent calls are the rows' whole milliseconds; those split
-- from a transferred call's timeline, and state times, are exact microseconds.
CREATE TABLE report_agent_hours (
  hour            timestamptz NOT NULL CHECK (hour = date_bin('1 hour', hour, TIMESTAMPTZ '2000-01-01 00:00:00+00')),
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
  PRIMARY KEY (hour, agent_id)
);
CREATE INDEX report_agent_hours_agent_idx ON report_agent_hours (agent_id, hour);

-- The job's bookkeeping, one row. Hours before sealed_until are in the tables above (an hour with no
-- row had nothing to count); later hours are read raw. Rows that changed since changes_since are
-- looked for on the next run. `definition` names what the counters mean: when the code's differs,
-- the tables are rebuilt and reports read raw rows meanwhile.
CREATE TABLE report_rollup_state (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  definition    text NOT NULL,
  sealed_until  timestamptz NOT NULL,
  changes_since timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Finding what changed since the last run without touching the call path: a call row's updated_at
-- (set on insert and on every update), and when an ACD event was stored (its `at` is when it
-- happened; the writer may store it much later, after an outage). Both default to the writing
-- transaction's start, which the job compares with the oldest open transaction.
CREATE INDEX calls_updated_at_idx ON calls (updated_at);
ALTER TABLE acd_events ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX acd_events_recorded_at_idx ON acd_events (recorded_at);

-- Down Migration
DROP INDEX IF EXISTS acd_events_recorded_at_idx;
ALTER TABLE acd_events DROP COLUMN IF EXISTS recorded_at;
DROP INDEX IF EXISTS calls_updated_at_idx;
DROP TABLE IF EXISTS report_rollup_state;
DROP TABLE IF EXISTS report_agent_hours;
DROP TABLE IF EXISTS report_queue_hours;
