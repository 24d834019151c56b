-- Up Migration
-- Voicemail (issue 17): a message a caller left for a queue or for one person. The audio is the
-- call's recording (recordings row, written when the call ends, so after this row: no foreign keys
-- to calls or recordings, as for wrap-ups), purged with the recordings under their retention.
CREATE TABLE voicemails (
  id              uuid PRIMARY KEY,
  call_id         uuid NOT NULL,
  recording_id    uuid NOT NULL,
  -- where the message starts in the recording (0 unless the call was recorded before)
  offset_ms       integer NOT NULL DEFAULT 0 CHECK (offset_ms >= 0),
  caller_number   text NOT NULL,
  client_id       integer REFERENCES clients(id) ON DELETE SET NULL,
  -- the owner: a queue (by name: the direct queue has no row) or one person
  queue_name      text,
  owner_staff_id  integer REFERENCES staff(id) ON DELETE CASCADE,
  recorded_at     timestamptz NOT NULL,
  duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
  ended_by        text NOT NULL CHECK (ended_by IN ('hash', 'hangup', 'max_length')),
  done_at         timestamptz,
  done_by         integer REFERENCES staff(id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((queue_name IS NULL) <> (owner_staff_id IS NULL))
);
CREATE INDEX voicemails_queue_idx ON voicemails (queue_name, recorded_at) WHERE queue_name IS NOT NULL;
CREATE INDEX voicemails_owner_idx ON voicemails (owner_staff_id, recorded_at) WHERE owner_staff_id IS NOT NULL;

-- Calling back a caller who abandoned in a queue (issue 17): one row per attempt, so the list shows
-- what was tried; 'reached' closes the entry. No foreign key to calls, as above.
CREATE TABLE abandoned_callbacks (
  id          bigserial PRIMARY KEY,
  call_id     uuid NOT NULL,
  staff_id    integer REFERENCES staff(id) ON DELETE SET NULL,
  result      text NOT NULL CHECK (result IN ('reached', 'no_answer', 'later')),
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX abandoned_callbacks_call_idx ON abandoned_callbacks (call_id);
-- The abandoned list reads a queue's abandoned calls by time.
CREATE INDEX calls_abandoned_queue_idx ON calls (queue_name, started_at) WHERE outcome IN ('abandoned_queue', 'abandoned_ringing');

-- Down Migration
DROP INDEX IF EXISTS calls_abandoned_queue_idx;
DROP TABLE IF EXISTS abandoned_callbacks;
DROP TABLE IF EXISTS voicemails;
