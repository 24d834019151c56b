-- Up Migration
-- A call whose process stopped mid-call (SIGKILL, a crash) is closed by a
-- survivor or the next start from its checkpoint, marked 'interrupted'
-- (issue 14); the process's own final record, if it was only stalled,
-- replaces such a row.
ALTER TABLE calls DROP CONSTRAINT IF EXISTS calls_outcome_check;
ALTER TABLE calls ADD CONSTRAINT calls_outcome_check CHECK (outcome IN (
  'answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'overflowed', 'transferred', 'callback_requested', 'after_hours',
  'failed', 'rejected', 'interrupted'));

-- Down Migration
UPDATE calls SET outcome = 'failed' WHERE outcome = 'interrupted';
ALTER TABLE calls DROP CONSTRAINT IF EXISTS calls_outcome_check;
ALTER TABLE calls ADD CONSTRAINT calls_outcome_check CHECK (outcome IN (
  'answered', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'overflowed', 'transferred', 'callback_requested', 'after_hours',
  'failed', 'rejected'));
