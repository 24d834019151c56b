-- Up Migration
-- Issue 18 point 3: who supervises which queue (monitoring rights), and the audit of every monitoring session.

-- A supervisor assigned here may monitor the calls of these queues; one assigned to none follows the site policy
-- (callMonitoring.unassignedSupervisorsSeeAllQueues). Admins manage it.
CREATE TABLE queue_supervisors (
  queue_id   integer NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  user_id    integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (queue_id, user_id)
);
CREATE INDEX queue_supervisors_user_idx ON queue_supervisors (user_id);

-- Who listened to whom, when, how long, in which modes. Written before the supervisor's phone rings (state
-- 'requested'), at the answer, at each mode change and at the end, so a failure still leaves its row.
-- No foreign key to calls: the call's row is written when the call ends, after the monitoring started.
CREATE TABLE monitoring_sessions (
  id                   uuid PRIMARY KEY,
  call_id              uuid NOT NULL,
  agent_staff_id       integer REFERENCES staff(id) ON DELETE SET NULL,
  caller_number        text,
  queue                text,
  supervisor_user_id   integer REFERENCES users(id) ON DELETE SET NULL,
  -- kept as written: the audit still names who listened after their account is gone
  supervisor_username  text NOT NULL,
  supervisor_staff_id  integer REFERENCES staff(id) ON DELETE SET NULL,
  state                text NOT NULL CHECK (state IN ('requested', 'ringing', 'active', 'ended')),
  mode                 text NOT NULL CHECK (mode IN ('listen', 'whisper', 'barge')),
  -- [{"mode": "listen", "at": "2026-…Z"}, …], first entry the mode it started in
  mode_history         jsonb NOT NULL CHECK (jsonb_typeof(mode_history) = 'array'),
  started_at           timestamptz NOT NULL,
  answered_at          timestamptz,
  ended_at             timestamptz,
  end_reason           text CHECK (end_reason IN ('supervisor_hung_up', 'call_ended', 'stopped', 'failed')),
  end_detail           text CHECK (length(end_detail) <= 1000),
  -- answer to end: how long the call was heard (0 when never answered); null while running
  duration_ms          integer CHECK (duration_ms >= 0),
  CHECK ((state = 'ended') = (ended_at IS NOT NULL))
);
CREATE INDEX monitoring_sessions_started_idx ON monitoring_sessions (started_at DESC);
CREATE INDEX monitoring_sessions_supervisor_idx ON monitoring_sessions (supervisor_user_id, started_at DESC);
CREATE INDEX monitoring_sessions_agent_idx ON monitoring_sessions (agent_staff_id, started_at DESC);
CREATE INDEX monitoring_sessions_running_idx ON monitoring_sessions (call_id) WHERE state <> 'ended';

-- Down Migration
DROP TABLE IF EXISTS monitoring_sessions;
DROP TABLE IF EXISTS queue_supervisors;
