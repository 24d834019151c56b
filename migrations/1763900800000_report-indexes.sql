-- Up Migration
-- Reports and the call log (issue 7) over a year of calls (~5 million rows), checked with EXPLAIN
-- (test/integration/reports/report-volume.test.ts, npm run bench:reports).

-- Queue report for one queue: its calls of the period without touching other queues' rows.
CREATE INDEX calls_queue_name_started_idx ON calls (queue_name, started_at) WHERE queue_name IS NOT NULL;

-- Reports over a long period read these columns of every call of it: covering indexes make that an
-- index-only scan of narrow tuples instead of a scan of the wide rows (jsonb timeline facts).
-- The queue report: calls that entered a queue.
CREATE INDEX calls_queue_report_idx ON calls (started_at)
  INCLUDE (queue_name, direction, outcome, agent_answered_at, queue_wait_ms, talk_ms, hold_ms)
  WHERE queue_name IS NOT NULL;
-- The agent report: calls an agent took part in.
CREATE INDEX calls_agent_report_idx ON calls (started_at) INCLUDE (agent_ids, talk_ms, hold_ms) WHERE agent_ids <> '{}';

-- Call log: newest first with keyset pagination on (started_at, id), read backwards.
CREATE INDEX calls_started_id_idx ON calls (started_at, id);

-- Call log by agent, the operator's own calls, the agent report for one agent: agent_ids @> ARRAY[id].
CREATE INDEX calls_agent_ids_idx ON calls USING gin (agent_ids);

-- Call log by number typed in any format: a suffix match on the caller's digits, as a prefix match
-- on them reversed (call-log-repository.ts CALLER_DIGITS_REVERSED, the same expression).
CREATE INDEX calls_caller_digits_reversed_idx ON calls (reverse(regexp_replace(caller_number, '[^0-9]', '', 'g')) text_pattern_ops);

-- Agent state intervals: every agent's moves of a period in time order, and each agent's last move before it.
CREATE INDEX acd_events_agent_state_idx ON acd_events (agent_id, at, id) WHERE type = 'agent_state';
CREATE INDEX acd_events_agent_state_at_idx ON acd_events (at) WHERE type = 'agent_state';

-- Missed calls (ring no answer) of a period.
CREATE INDEX acd_events_released_at_idx ON acd_events (at) WHERE type = 'call_released';

-- Down Migration
DROP INDEX IF EXISTS acd_events_released_at_idx;
DROP INDEX IF EXISTS acd_events_agent_state_at_idx;
DROP INDEX IF EXISTS acd_events_agent_state_idx;
DROP INDEX IF EXISTS calls_caller_digits_reversed_idx;
DROP INDEX IF EXISTS calls_agent_ids_idx;
DROP INDEX IF EXISTS calls_started_id_idx;
DROP INDEX IF EXISTS calls_agent_report_idx;
DROP INDEX IF EXISTS calls_queue_report_idx;
DROP INDEX IF EXISTS calls_queue_name_started_idx;
