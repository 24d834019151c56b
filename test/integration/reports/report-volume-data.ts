import { inTransaction, type Db, type Queryable } from '../../../src/db/pool';

/**
 * Synthetic call volume for the report volume test and `npm run bench:reports`:
 * `calls` calls spread evenly over 365 days from `from`, written with
 * INSERT … SELECT generate_series in batches (the real, logged table with all
 * its indexes), plus the call events and ACD agent-state events of the calls
 * of the last `eventDays` days. Every value is a pure function of the call's
 * number i, so expectedCounts() can tell what any report must find without
 * asking the database.
 */
export interface VolumeSpec {
  calls: number;
  from: Date;
  /** Days at the end of the year whose calls also get their events. */
  eventDays: number;
  agents: number;
}

export const VOLUME_QUEUES = ['operators', 'regional', 'key_accounts', 'finance', 'quality_control', 'second_line'] as const;

const YEAR_MS = 365 * 86_400_000;

type Kind = 'ivr' | 'after_hours' | 'outbound' | 'abandoned_queue' | 'abandoned_ringing' | 'callback' | 'overflowed' | 'transferred' | 'answered';

/** The call's kind from its number: a fixed spread (3 % IVR hang-ups, 8 % queue abandons, 77 % answered…). */
export function kindOf(i: number): Kind {
  const h = (i * 7919) % 1000;
  if (h < 30) return 'ivr';
  if (h < 60) return 'after_hours';
  if (h < 80) return 'outbound';
  if (h < 160) return 'abandoned_queue';
  if (h < 180) return 'abandoned_ringing';
  if (h < 200) return 'callback';
  if (h < 220) return 'overflowed';
  if (h < 230) return 'transferred';
  return 'answered';
}

/** The same spread in SQL, over the column `i`. */
const KIND_SQL = `CASE
  WHEN (i * 7919) % 1000 < 30 THEN 'ivr' WHEN (i * 7919) % 1000 < 60 THEN 'after_hours' WHEN (i * 7919) % 1000 < 80 THEN 'outbound'
  WHEN (i * 7919) % 1000 < 160 THEN 'abandoned_queue' WHEN (i * 7919) % 1000 < 180 THEN 'abandoned_ringing'
  WHEN (i * 7919) % 1000 < 200 THEN 'callback' WHEN (i * 7919) % 1000 < 220 THEN 'overflowed'
  WHEN (i * 7919) % 1000 < 230 THEN 'transferred' ELSE 'answered' END`;

export function startOf(spec: VolumeSpec, i: number): number {
  // BigInt: (i − 1) × a year in ms passes 2^53 at a few hundred thousand calls; SQL does the same in bigint.
  return spec.from.getTime() + Number((BigInt(i - 1) * BigInt(YEAR_MS)) / BigInt(spec.calls));
}

const QUEUED: ReadonlySet<Kind> = new Set(['abandoned_queue', 'abandoned_ringing', 'callback', 'overflowed', 'transferred', 'answered']);
const WITH_AGENT: ReadonlySet<Kind> = new Set(['outbound', 'transferred', 'answered']);

/** What the reports must count for calls started in [from, to). */
export function expectedCounts(spec: VolumeSpec, from: number, to: number): { offered: number; answered: number; abandoned: number; handled: number; calls: number } {
  const out = { offered: 0, answered: 0, abandoned: 0, handled: 0, calls: 0 };
  for (let i = 1; i <= spec.calls; i++) {
    const start = startOf(spec, i);
    if (start < from || start >= to) continue;
    const kind = kindOf(i);
    out.calls += 1;
    if (QUEUED.has(kind)) out.offered += 1;
    if (kind === 'answered' || kind === 'transferred') out.answered += 1;
    if (kind === 'abandoned_queue' || kind === 'abandoned_ringing') out.abandoned += 1;
    // Per agent: a transferred call is handled by both of its agents.
    if (WITH_AGENT.has(kind)) out.handled += kind === 'transferred' ? 2 : 1;
  }
  return out;
}

/** Creates the agents (staff rows) and returns the first id; agent k of the data is first + k. */
export async function createVolumeAgents(q: Queryable, agents: number): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    "INSERT INTO staff (full_name, role) SELECT 'Agent ' || g, 'operator' FROM generate_series(1, $1::int) g RETURNING id",
    [agents],
  );
  return Math.min(...rows.map((r) => r.id));
}

/** Inserts calls number `first` … `last` in one statement. */
export async function insertVolumeCalls(q: Queryable, spec: VolumeSpec, firstAgent: number, first: number, last: number): Promise<void> {
  await q.query(
    `INSERT INTO calls (id, direction, caller_number, caller_e164, started_at, queued_at, agent_answered_at, ended_at, queue_name,
                        queue_wait_ms, agent_ids, talk_ms, hold_ms, outcome, hangup_side)
     SELECT md5('call' || i)::uuid,
            CASE WHEN kind = 'outbound' THEN 'outbound' ELSE 'inbound' END,
            '8495' || lpad((i % 10000000)::text, 7, '0'), '+7495' || lpad((i % 10000000)::text, 7, '0'),
            started, CASE WHEN queued THEN started END,
            CASE WHEN kind IN ('answered', 'transferred') THEN started + wait * interval '1 millisecond' END,
            started + (wait + talk + hold + 1000) * interval '1 millisecond',
            CASE WHEN queued THEN ($5::text[])[(1 + i % $6)::int] END,
            CASE WHEN queued THEN wait END,
            CASE WHEN kind = 'transferred' THEN ARRAY[$7 + i % $8, $7 + (i + 1) % $8]
                 WHEN kind IN ('answered', 'outbound') THEN ARRAY[$7 + i % $8] ELSE '{}' END::int[],
            CASE WHEN kind IN ('answered', 'transferred', 'outbound') THEN talk END,
            CASE WHEN kind IN ('answered', 'transferred') THEN hold ELSE 0 END,
            CASE kind WHEN 'ivr' THEN 'abandoned_ivr' WHEN 'callback' THEN 'callback_requested' WHEN 'outbound' THEN 'answered' ELSE kind END,
            'caller'
     FROM generate_series($1::bigint, $2::bigint) AS i
     CROSS JOIN LATERAL (SELECT ${KIND_SQL} AS kind) k
     CROSS JOIN LATERAL (SELECT $3::timestamptz + ((i - 1)::bigint * $4::bigint / $9::bigint) * interval '1 millisecond' AS started,
                                kind NOT IN ('ivr', 'after_hours', 'outbound') AS queued,
                                (i * 104729) % 120000 AS wait, 30000 + (i * 31) % 300000 AS talk,
                                CASE WHEN i % 10 = 0 THEN 15000 ELSE 0 END AS hold) v`,
    [first, last, spec.from, YEAR_MS, VOLUME_QUEUES, VOLUME_QUEUES.length, firstAgent, spec.agents, spec.calls],
  );
}

/**
 * Events of the calls of the last `eventDays` days: the overflow events, the
 * whole lifecycle of transferred calls (so the agent report can split them),
 * four ACD agent-state moves per queued call an agent answered, and every
 * agent's logout an hour after the year.
 */
export async function insertVolumeEvents(q: Queryable, spec: VolumeSpec, firstAgent: number): Promise<{ callEvents: number; acdEvents: number }> {
  const firstCall = Math.max(1, Math.floor(spec.calls * (1 - spec.eventDays / 365)));
  const subset = `
    SELECT i, md5('call' || i)::uuid AS id, ${KIND_SQL} AS kind,
           $3::timestamptz + ((i - 1)::bigint * $4::bigint / $5::bigint) * interval '1 millisecond' AS started,
           (i * 104729) % 120000 AS wait, 30000 + (i * 31) % 300000 AS talk,
           $6::int + i % $7 AS agent, $6::int + (i + 1) % $7 AS agent2
    FROM generate_series($1::bigint, $2::bigint) AS i`;
  const params = [firstCall, spec.calls, spec.from, YEAR_MS, spec.calls, firstAgent, spec.agents];
  const ms = "* interval '1 millisecond'";
  const callEvents = await q.query(
    `WITH s AS (${subset})
     INSERT INTO call_events (call_id, seq, at, type, data)
     SELECT s.id, e.seq, s.started + e.offset_ms ${ms}, e.type, e.data
     FROM s CROSS JOIN LATERAL (VALUES
       (1, 0, 'queued', jsonb_build_object('from', 'routing', 'to', 'queued', 'queue', 'operators')),
       (2, s.wait - 2000, 'offered', jsonb_build_object('from', 'queued', 'to', 'offering', 'agentId', s.agent)),
       (3, s.wait, 'agent_answered', jsonb_build_object('from', 'offering', 'to', 'connected', 'agentId', s.agent)),
       (4, s.wait + s.talk / 2, 'transfer_started', jsonb_build_object('from', 'connected', 'to', 'transferring')),
       (5, s.wait + s.talk / 2 + 5000, 'queued', jsonb_build_object('from', 'transferring', 'to', 'queued', 'queue', 'regional')),
       (6, s.wait + s.talk / 2 + 7000, 'offered', jsonb_build_object('from', 'queued', 'to', 'offering', 'agentId', s.agent2)),
       (7, s.wait + s.talk / 2 + 9000, 'agent_answered', jsonb_build_object('from', 'offering', 'to', 'connected', 'agentId', s.agent2)),
       (8, s.wait + s.talk + 9000, 'ended', jsonb_build_object('from', 'connected', 'to', 'ended'))
     ) AS e(seq, offset_ms, type, data)
     WHERE s.kind = 'transferred'
     UNION ALL
     SELECT s.id, 1, s.started + s.wait ${ms}, 'overflowed', jsonb_build_object('from', 'queued', 'to', 'routing', 'queue', 'operators')
     FROM s WHERE s.kind = 'overflowed'`,
    params,
  );
  const acdEvents = await q.query(
    `WITH s AS (${subset})
     INSERT INTO acd_events (stream_id, at, type, call_id, agent_id, data)
     SELECT 'v-' || s.i || '-' || m.k, s.started + m.offset_ms ${ms}, 'agent_state', s.id::text, s.agent,
            jsonb_build_object('type', 'agent_state', 'agentId', s.agent::text, 'from', m.from_state, 'to', m.to_state, 'by', 'acd', 'node', 'volume')
              || CASE WHEN m.k BETWEEN 1 AND 3 THEN jsonb_build_object('callId', s.id::text) ELSE '{}'::jsonb END
     FROM s CROSS JOIN LATERAL (VALUES
       (1, s.wait - 2000, 'ready', 'reserved'),
       (2, s.wait, 'reserved', 'on_call'),
       (3, s.wait + s.talk, 'on_call', 'wrap_up'),
       (4, s.wait + s.talk + 20000, 'wrap_up', 'ready')
     ) AS m(k, offset_ms, from_state, to_state)
     WHERE s.kind = 'answered'`,
    params,
  );
  // Everyone logs out after the year's last call, as a shift ends: an agent left "ready" would be ready
  // in every hour from then until today, in the raw agent report and in the rollups alike.
  const logouts = await q.query(
    `INSERT INTO acd_events (stream_id, at, type, agent_id, data)
     SELECT 'v-logout-' || a, $1::timestamptz + ($2::bigint + 3600000) * interval '1 millisecond', 'agent_state', $3::int + a,
            jsonb_build_object('type', 'agent_state', 'agentId', ($3::int + a)::text, 'from', 'ready', 'to', 'logged_out', 'by', 'acd', 'node', 'volume')
     FROM generate_series(0, $4::int - 1) AS a`,
    [spec.from, YEAR_MS, firstAgent, spec.agents],
  );
  return { callEvents: callEvents.rowCount ?? 0, acdEvents: (acdEvents.rowCount ?? 0) + (logouts.rowCount ?? 0) };
}

/**
 * Runs a bulk insert with user triggers off for its transaction (as a
 * logical replica applies rows): a row trigger on calls takes an advisory lock
 * per row to meet wrap-ups arriving first, and 250,000 of those in one
 * transaction exhaust the lock table. Synthetic rows have no wrap-ups to meet.
 */
async function bulk(db: Db, work: (q: Queryable) => Promise<void>): Promise<void> {
  await inTransaction(db, async (client) => {
    await client.query("SET LOCAL session_replication_role = 'replica'");
    await work(client);
  });
}

/** The whole data set, in batches of `batch` calls; `onBatch` hears the progress. */
export async function generateVolume(db: Db, spec: VolumeSpec, options: { batch?: number; onBatch?: (done: number) => void } = {}): Promise<{ firstAgent: number; callEvents: number; acdEvents: number }> {
  const batch = options.batch ?? 250_000;
  const firstAgent = await createVolumeAgents(db, spec.agents);
  for (let first = 1; first <= spec.calls; first += batch) {
    const last = Math.min(spec.calls, first + batch - 1);
    await bulk(db, (q) => insertVolumeCalls(q, spec, firstAgent, first, last));
    options.onBatch?.(last);
  }
  let events = { callEvents: 0, acdEvents: 0 };
  await bulk(db, async (q) => {
    events = await insertVolumeEvents(q, spec, firstAgent);
  });
  // Fresh statistics and visibility map, as autovacuum would leave them on a live system.
  await db.query('VACUUM (ANALYZE) calls');
  await db.query('VACUUM (ANALYZE) call_events');
  await db.query('VACUUM (ANALYZE) acd_events');
  return { firstAgent, ...events };
}
