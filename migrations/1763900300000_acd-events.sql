-- Up Migration
-- Every ACD event (agent state changes, calls enqueued, reserved, offered, answered, abandoned,
-- overflowed, callbacks…), drained from the Redis stream by the ACD event writer. Append-only.
CREATE TABLE acd_events (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL,
  type       text NOT NULL CHECK (type ~ '^[a-z_]+$'),
  call_id    text,
  -- The staff id when the ACD agent id is one (Switchboard registers staff by their id). No
  -- foreign key: a report row must never be refused because the person was removed since.
  agent_id   integer,
  queue      text,
  -- The whole event as the ACD published it (reasons, waits, from/to states, node).
  data       jsonb NOT NULL,
  -- Redis stream entry id: the writer inserts with ON CONFLICT DO NOTHING on it, so a batch
  -- written again after a crash between INSERT and XACK is not stored twice.
  stream_id  text NOT NULL UNIQUE
);

-- Reports: a period, one queue's calls and outcomes, one agent's day, one call's story.
CREATE INDEX acd_events_at_idx ON acd_events (at);
CREATE INDEX acd_events_queue_type_at_idx ON acd_events (queue, type, at) WHERE queue IS NOT NULL;
CREATE INDEX acd_events_agent_at_idx ON acd_events (agent_id, at) WHERE agent_id IS NOT NULL;
CREATE INDEX acd_events_call_at_idx ON acd_events (call_id, at) WHERE call_id IS NOT NULL;

-- Down Migration
DROP TABLE IF EXISTS acd_events;
