-- Up Migration
-- Call records (issue 5): the call row is written once, when the call ends, with its whole
-- timeline; recordings and wrap-ups arrive after it. Retention purges recording files but keeps
-- the row, so a report can still tell "recorded, purged on …" from "never recorded".
ALTER TABLE recordings ADD COLUMN purged_at timestamptz;

-- The purge scans recordings not yet purged by age (purge_after overrides the retention).
CREATE INDEX recordings_unpurged_created_idx ON recordings (created_at) WHERE purged_at IS NULL;

-- Reports count calls by outcome over a period (abandoned in queue today, after-hours this week).
CREATE INDEX calls_outcome_started_idx ON calls (outcome, started_at);

-- Down Migration
DROP INDEX IF EXISTS calls_outcome_started_idx;
DROP INDEX IF EXISTS recordings_unpurged_created_idx;
ALTER TABLE recordings DROP COLUMN IF EXISTS purged_at;
