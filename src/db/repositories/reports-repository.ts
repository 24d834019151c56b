import {
  ABANDON_OUTCOMES, CALLBACK_OUTCOMES, EMPTY_QUEUE_AGGREGATE, QUEUE_REPORT_DIRECTIONS, SHORT_ABANDON_MS, queueReportRow,
  type QueueAggregate, type QueueReportRow,
} from '../../reports/queue-metrics';
import {
  EMPTY_AGENT_AGGREGATE, MISSED_RELEASE_REASON, NOT_READY_STATES, READY_STATES, WRAP_UP_STATES, agentReportRow,
  type AgentAggregate, type AgentReportRow,
} from '../../reports/agent-metrics';
import type { ReportPeriod } from '../../reports/report-period';
import { inTransaction, type Db, type Queryable } from '../pool';

/**
 * Report queries. The heavy lifting is done here, in SQL: each query adds up
 * raw counters per (queue or agent, bucket) with GROUP BY on date_trunc in
 * the report's time zone, so a year of calls never travels to Node — only one
 * row per group does. src/reports turns the counters into the figures.
 */

/**
 * Runs report queries in one read-only transaction with more memory per sort
 * and hash: a year's GROUP BY otherwise spills to disk at the default 4 MB
 * (seen in EXPLAIN ANALYZE at 1M calls). A handful of supervisors run
 * reports, so the extra memory is bounded; SET LOCAL ends with the transaction.
 */
export async function withReportSession<T>(db: Db, work: (q: Queryable) => Promise<T>): Promise<T> {
  return inTransaction(db, async (client) => {
    await client.query('SET TRANSACTION READ ONLY');
    await client.query("SET LOCAL work_mem = '64MB'");
    return work(client);
  });
}

/** Events that happen after a call started are looked for this long after the period (no call lasts a day). */
const CALL_TAIL = '1 day';

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** The ACD call id of a call's queue entry is the call id, plus `.tN` after the Nth transfer (sip/inbound-call.ts). */
const CALL_ID_OF_ACD_ID = (expr: string): string =>
  `(CASE WHEN split_part(${expr}, '.', 1) ~* '${UUID_PATTERN}' THEN split_part(${expr}, '.', 1)::uuid END)`;

interface BucketColumns {
  bucket: Date;
  bucket_local: string;
}

/** The 15-minute UTC bin of a timestamp: the unit counters are added up in before they are cut into the zone's buckets. */
const BIN_SQL = (column: string): string => `date_bin('15 minutes', ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** SQL for a bucket start of `column` and its wall-clock text, with the unit in $3 and the zone in $4. */
function bucketSelect(column: string): string {
  return `date_trunc($3::text, ${column}, $4::text) AS bucket,
          to_char(date_trunc($3::text, ${column}, $4::text) AT TIME ZONE $4::text, 'YYYY-MM-DD"T"HH24:MI') AS bucket_local`;
}

/** Parameters $1..$4 every report query starts with. */
function periodParams(p: ReportPeriod): unknown[] {
  return [p.from, p.to, p.interval, p.timeZone];
}

export interface QueueReportFilter {
  /** Only this queue (queues.name). */
  queue?: string | null;
  /** Service-level threshold T in seconds. */
  slSeconds: number;
}

interface QueueCallsRow extends BucketColumns {
  queue: string;
  offered: number; answered: number; answered_within_sl: number; abandoned: number; short_abandoned: number;
  abandoned_after_sl: number; callbacks_requested: number; answer_wait_ms: number; talk_ms: number; hold_ms: number;
  longest_wait_ms: number;
}

interface QueueExtraRow extends BucketColumns {
  queue: string;
  value: number;
}

/** The queue report: one row per queue per bucket that had calls, ordered by queue then time. */
export async function queueReport(q: Queryable, period: ReportPeriod, filter: QueueReportFilter): Promise<QueueReportRow[]> {
  const slMs = filter.slSeconds * 1000;
  const queue = filter.queue ?? null;
  const base = periodParams(period);

  // Two steps: counters per queue and 15-minute bin in UTC (cheap to compute for every row, and the
  // year's bins are few), then the bins regrouped into buckets of the report's zone. Every zone's
  // offset is a multiple of 15 minutes, so a bin never straddles a local hour or day.
  const calls = await q.query<QueueCallsRow>(
    `WITH bins AS (
       SELECT queue_name AS queue, ${BIN_SQL('started_at')} AS bin,
         count(*) AS offered,
         count(*) FILTER (WHERE agent_answered_at IS NOT NULL) AS answered,
         count(*) FILTER (WHERE agent_answered_at IS NOT NULL AND queue_wait_ms <= $5) AS answered_within_sl,
         count(*) FILTER (WHERE outcome = ANY($6::text[])) AS abandoned,
         count(*) FILTER (WHERE outcome = ANY($6::text[]) AND COALESCE(queue_wait_ms, 0) < $7) AS short_abandoned,
         count(*) FILTER (WHERE outcome = ANY($6::text[]) AND queue_wait_ms > $5) AS abandoned_after_sl,
         count(*) FILTER (WHERE outcome = ANY($8::text[])) AS callbacks_requested,
         sum(queue_wait_ms) FILTER (WHERE agent_answered_at IS NOT NULL) AS answer_wait_ms,
         sum(talk_ms) FILTER (WHERE agent_answered_at IS NOT NULL) AS talk_ms,
         sum(hold_ms) FILTER (WHERE agent_answered_at IS NOT NULL) AS hold_ms,
         max(queue_wait_ms) AS longest_wait_ms
       FROM calls
       WHERE started_at >= $1 AND started_at < $2 AND queue_name IS NOT NULL AND direction = ANY($9::text[])
         ${queue === null ? '' : 'AND queue_name = $10'}
       GROUP BY 1, 2
     )
     SELECT queue, ${bucketSelect('bin')},
       sum(offered)::int AS offered, sum(answered)::int AS answered, sum(answered_within_sl)::int AS answered_within_sl,
       sum(abandoned)::int AS abandoned, sum(short_abandoned)::int AS short_abandoned, sum(abandoned_after_sl)::int AS abandoned_after_sl,
       sum(callbacks_requested)::int AS callbacks_requested, COALESCE(sum(answer_wait_ms), 0)::float8 AS answer_wait_ms,
       COALESCE(sum(talk_ms), 0)::float8 AS talk_ms, COALESCE(sum(hold_ms), 0)::float8 AS hold_ms,
       COALESCE(max(longest_wait_ms), 0)::int AS longest_wait_ms
     FROM bins GROUP BY 1, 2, 3`,
    [...base, slMs, ABANDON_OUTCOMES, SHORT_ABANDON_MS, CALLBACK_OUTCOMES, QUEUE_REPORT_DIRECTIONS, ...(queue === null ? [] : [queue])],
  );

  // Overflow is a fact of the queue the call left, which is not the row's queue_name when it overflowed into another queue.
  const overflowed = await q.query<QueueExtraRow>(
    `SELECT e.data->>'queue' AS queue, ${bucketSelect('c.started_at')}, count(DISTINCT c.id)::int AS value
     FROM call_events e JOIN calls c ON c.id = e.call_id
     WHERE e.type = 'overflowed' AND e.at >= $1 AND e.at < $2::timestamptz + interval '${CALL_TAIL}'
       AND c.started_at >= $1 AND c.started_at < $2 AND c.direction = ANY($5::text[]) AND e.data->>'queue' IS NOT NULL
       ${queue === null ? '' : "AND e.data->>'queue' = $6"}
     GROUP BY 1, 2, 3`,
    [...base, QUEUE_REPORT_DIRECTIONS, ...(queue === null ? [] : [queue])],
  );

  // Wrap-up episodes: an agent entering wrap_up for a call (the event carries the ACD call id) until
  // the agent's next move out of wrap_up; a one-time extension (wrap_up → wrap_up) does not end it.
  const wrapUps = await q.query<QueueExtraRow>(
    `WITH marks AS (
       SELECT id, agent_id, at, data->>'from' AS from_state, data->>'to' AS to_state, data->>'callId' AS acd_call_id
       FROM acd_events
       WHERE type = 'agent_state' AND agent_id IS NOT NULL AND at >= $1 AND at < $2::timestamptz + interval '${CALL_TAIL}'
         AND ((data->>'to' = 'wrap_up') IS DISTINCT FROM (data->>'from' = 'wrap_up'))
     ), episodes AS (
       SELECT to_state, acd_call_id, at,
              lead(at) OVER w AS ended_at, lead(from_state) OVER w AS next_from
       FROM marks WINDOW w AS (PARTITION BY agent_id ORDER BY at, id)
     )
     SELECT c.queue_name AS queue, ${bucketSelect('c.started_at')},
            sum(extract(epoch FROM ep.ended_at - ep.at) * 1000)::float8 AS value
     FROM episodes ep JOIN calls c ON c.id = ${CALL_ID_OF_ACD_ID('ep.acd_call_id')}
     WHERE ep.to_state = 'wrap_up' AND ep.next_from = 'wrap_up'
       AND c.started_at >= $1 AND c.started_at < $2 AND c.queue_name IS NOT NULL AND c.direction = ANY($5::text[])
       AND c.agent_answered_at IS NOT NULL
       ${queue === null ? '' : 'AND c.queue_name = $6'}
     GROUP BY 1, 2, 3`,
    [...base, QUEUE_REPORT_DIRECTIONS, ...(queue === null ? [] : [queue])],
  );

  const groups = new Map<string, { queue: string; bucket: Date; bucketLocal: string; aggregate: QueueAggregate }>();
  const group = (row: { queue: string } & BucketColumns): QueueAggregate => {
    const key = `${row.queue}\u0000${row.bucket.toISOString()}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = { queue: row.queue, bucket: row.bucket, bucketLocal: row.bucket_local, aggregate: { ...EMPTY_QUEUE_AGGREGATE } };
      groups.set(key, entry);
    }
    return entry.aggregate;
  };
  for (const r of calls.rows) {
    Object.assign(group(r), {
      offered: r.offered, answered: r.answered, answeredWithinSl: r.answered_within_sl, abandoned: r.abandoned,
      shortAbandoned: r.short_abandoned, abandonedAfterSl: r.abandoned_after_sl, callbacksRequested: r.callbacks_requested,
      answerWaitMs: r.answer_wait_ms, talkMs: r.talk_ms, holdMs: r.hold_ms, longestWaitMs: r.longest_wait_ms,
    } satisfies Partial<QueueAggregate>);
  }
  for (const r of overflowed.rows) group(r).overflowed = r.value;
  for (const r of wrapUps.rows) group(r).wrapUpMs = Math.round(r.value);

  return [...groups.values()]
    .sort((a, b) => (a.queue === b.queue ? a.bucket.getTime() - b.bucket.getTime() : a.queue < b.queue ? -1 : 1))
    .map((g) => queueReportRow({ queue: g.queue, bucketStart: g.bucket.toISOString(), bucketLocal: g.bucketLocal }, g.aggregate));
}

export interface AgentReportFilter {
  /** Only this staff member. */
  agentId?: number | null;
}

interface AgentCallsRow extends BucketColumns {
  agent_id: number;
  handled: number;
  talk_ms: number;
  hold_ms: number;
}

interface AgentValueRow extends BucketColumns {
  agent_id: number;
  value: number;
}

interface AgentStateRow extends BucketColumns {
  agent_id: number;
  state: string;
  ms: number;
}

const STEP: Readonly<Record<ReportPeriod['interval'], string>> = { hour: '1 hour', day: '1 day', week: '1 week' };

/** The agent report: one row per agent per bucket with any call or state time, ordered by agent then time. */
export async function agentReport(q: Queryable, period: ReportPeriod, filter: AgentReportFilter): Promise<AgentReportRow[]> {
  const agent = filter.agentId ?? null;
  const base = periodParams(period);
  const agentParam = agent === null ? [] : [agent];

  // Calls one agent took: the row's own talk and hold (binned first, as in the queue report).
  const single = await q.query<AgentCallsRow>(
    `WITH bins AS (
       SELECT agent_ids[1] AS agent_id, ${BIN_SQL('started_at')} AS bin, count(*) AS handled, sum(talk_ms) AS talk_ms, sum(hold_ms) AS hold_ms
       FROM calls
       WHERE started_at >= $1 AND started_at < $2 AND agent_ids <> '{}' AND cardinality(agent_ids) = 1
         ${agent === null ? '' : 'AND agent_ids @> ARRAY[$5::int]'}
       GROUP BY 1, 2
     )
     SELECT agent_id, ${bucketSelect('bin')}, sum(handled)::int AS handled,
            COALESCE(sum(talk_ms), 0)::float8 AS talk_ms, COALESCE(sum(hold_ms), 0)::float8 AS hold_ms
     FROM bins GROUP BY 1, 2, 3`,
    [...base, ...agentParam],
  );

  // Calls several agents took (transfers): each of their agents handled them (calls.agent_ids); the
  // lifecycle events say who was connected when. Each stretch of the timeline belongs to the agent of
  // the last agent_answered / remote_answered before it.
  const shared = await q.query<AgentCallsRow>(
    `WITH shared AS (
       SELECT id, started_at, agent_ids FROM calls
       WHERE started_at >= $1 AND started_at < $2 AND agent_ids <> '{}' AND cardinality(agent_ids) > 1
         ${agent === null ? '' : 'AND agent_ids @> ARRAY[$5::int]'}
     ), moves AS (
       SELECT e.call_id, e.seq, e.at, e.data->>'to' AS to_state,
              CASE WHEN e.type IN ('agent_answered', 'remote_answered') THEN (e.data->>'agentId')::int END AS answered_by
       FROM shared s JOIN call_events e ON e.call_id = s.id
       WHERE e.data ? 'to'
     ), stretches AS (
       SELECT call_id, seq, to_state, answered_by,
              extract(epoch FROM lead(at) OVER w - at) * 1000 AS ms,
              count(answered_by) OVER w AS stint
       FROM moves WINDOW w AS (PARTITION BY call_id ORDER BY seq)
     ), owned AS (
       SELECT call_id, to_state, ms, first_value(answered_by) OVER (PARTITION BY call_id, stint ORDER BY seq) AS agent_id
       FROM stretches
     ), times AS (
       SELECT call_id, agent_id,
              sum(ms) FILTER (WHERE to_state = 'connected') AS talk_ms,
              sum(ms) FILTER (WHERE to_state IN ('on_hold', 'transferring')) AS hold_ms
       FROM owned WHERE agent_id IS NOT NULL GROUP BY 1, 2
     ), took AS (
       SELECT DISTINCT s.id, s.started_at, a.agent_id FROM shared s CROSS JOIN LATERAL unnest(s.agent_ids) AS a(agent_id)
     )
     SELECT k.agent_id, ${bucketSelect('k.started_at')}, count(*)::int AS handled,
            COALESCE(sum(t.talk_ms), 0)::float8 AS talk_ms, COALESCE(sum(t.hold_ms), 0)::float8 AS hold_ms
     FROM took k LEFT JOIN times t ON t.call_id = k.id AND t.agent_id = k.agent_id
     ${agent === null ? '' : 'WHERE k.agent_id = $5'}
     GROUP BY 1, 2, 3`,
    [...base, ...agentParam],
  );

  const missed = await q.query<AgentValueRow>(
    `SELECT agent_id, ${bucketSelect('at')}, count(*)::int AS value
     FROM acd_events
     WHERE type = 'call_released' AND at >= $1 AND at < $2 AND agent_id IS NOT NULL AND data->>'reason' = $5
       ${agent === null ? '' : 'AND agent_id = $6'}
     GROUP BY 1, 2, 3`,
    [...base, MISSED_RELEASE_REASON, ...agentParam],
  );

  // Time in each state, from one agent_state event to the agent's next, cut at bucket boundaries.
  // The state at the start of the period comes from each staff member's last move before it.
  // Buckets are walked in local wall-clock time (timestamp without zone), so a day is a local day.
  const states = await q.query<AgentStateRow>(
    `WITH moves AS (
       SELECT agent_id, at, id, data->>'to' AS state
       FROM acd_events
       WHERE type = 'agent_state' AND agent_id IS NOT NULL AND at >= $1 AND at < $2
         ${agent === null ? '' : 'AND agent_id = $7'}
       UNION ALL
       SELECT s.id, $1::timestamptz, 0, last.state
       FROM staff s CROSS JOIN LATERAL (
         SELECT data->>'to' AS state FROM acd_events a
         WHERE a.type = 'agent_state' AND a.agent_id = s.id AND a.at < $1
         ORDER BY a.at DESC, a.id DESC LIMIT 1
       ) last
       ${agent === null ? '' : 'WHERE s.id = $7'}
     ), spans AS (
       SELECT agent_id, state, at AS started, COALESCE(lead(at) OVER (PARTITION BY agent_id ORDER BY at, id), LEAST($2::timestamptz, now())) AS ended
       FROM moves
     ), cut AS (
       SELECT sp.agent_id, sp.state, b.local AT TIME ZONE $4::text AS bucket,
              GREATEST(sp.started, b.local AT TIME ZONE $4::text) AS piece_start,
              LEAST(sp.ended, (b.local + $5::interval) AT TIME ZONE $4::text) AS piece_end
       FROM spans sp
       CROSS JOIN LATERAL generate_series(date_trunc($3::text, sp.started, $4::text) AT TIME ZONE $4::text,
                                          sp.ended AT TIME ZONE $4::text, $5::interval) AS b(local)
       WHERE sp.ended > sp.started AND sp.state = ANY($6::text[])
     )
     SELECT agent_id, state, bucket, to_char(bucket AT TIME ZONE $4::text, 'YYYY-MM-DD"T"HH24:MI') AS bucket_local,
            sum(extract(epoch FROM piece_end - piece_start) * 1000)::float8 AS ms
     FROM cut WHERE piece_end > piece_start
     GROUP BY 1, 2, 3`,
    [...base, STEP[period.interval], [...READY_STATES, ...NOT_READY_STATES, ...WRAP_UP_STATES], ...agentParam],
  );

  const groups = new Map<string, { agentId: number; bucket: Date; bucketLocal: string; aggregate: AgentAggregate }>();
  const group = (row: { agent_id: number } & BucketColumns): AgentAggregate => {
    const key = `${row.agent_id}\u0000${row.bucket.toISOString()}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = { agentId: row.agent_id, bucket: row.bucket, bucketLocal: row.bucket_local, aggregate: { ...EMPTY_AGENT_AGGREGATE } };
      groups.set(key, entry);
    }
    return entry.aggregate;
  };
  for (const r of [...single.rows, ...shared.rows]) {
    const a = group(r);
    a.handled += r.handled;
    a.talkMs += Math.round(r.talk_ms);
    a.holdMs += Math.round(r.hold_ms);
  }
  for (const r of missed.rows) group(r).missed = r.value;
  for (const r of states.rows) {
    const a = group(r);
    const ms = Math.round(r.ms);
    if ((READY_STATES as readonly string[]).includes(r.state)) a.readyMs += ms;
    else if ((NOT_READY_STATES as readonly string[]).includes(r.state)) a.notReadyMs += ms;
    else if ((WRAP_UP_STATES as readonly string[]).includes(r.state)) a.wrapUpMs += ms;
  }

  const ids = [...new Set([...groups.values()].map((g) => g.agentId))];
  const names = new Map<number, string>();
  if (ids.length > 0) {
    const { rows } = await q.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff WHERE id = ANY($1::int[])', [ids]);
    for (const r of rows) names.set(r.id, r.full_name);
  }
  return [...groups.values()]
    .sort((a, b) => a.agentId - b.agentId || a.bucket.getTime() - b.bucket.getTime())
    .map((g) => agentReportRow(
      { agentId: g.agentId, agentName: names.get(g.agentId) ?? null, bucketStart: g.bucket.toISOString(), bucketLocal: g.bucketLocal },
      g.aggregate,
    ));
}
