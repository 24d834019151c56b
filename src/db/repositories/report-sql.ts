import { ABANDON_OUTCOMES, CALLBACK_OUTCOMES, QUEUE_REPORT_DIRECTIONS, QUEUE_REPORT_EXCLUDED_DIALED, SHORT_ABANDON_MS } from '../../reports/queue-metrics';
import { MISSED_RELEASE_REASON } from '../../reports/agent-metrics';
import { COUNTED_AGENT_STATES } from '../../reports/report-counters';
import { SL_GRID_SECONDS, SL_GRID_STEPS } from '../../reports/report-rollups';
import type { ReportInterval } from '../../reports/report-period';

/**
 * The SQL that adds up report counters, written once and used twice: by the
 * raw reports (buckets of the report's interval in its zone) and by the rollup
 * job (buckets of one UTC hour). Because the rollups are filled by the very
 * queries the raw reports run, a report combined from rollup hours and raw
 * edges adds up exactly what the raw query over the whole period does.
 *
 * Each builder returns CTEs ending in a `*_parts` relation: one row per
 * source (calls, overflow events, wrap-up episodes…) per key and bucket, with
 * the same columns; the caller adds them up with GROUP BY.
 */

/** Positional parameters of one statement, numbered as they are added. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder with a cast (`$3::text`). */
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** What one statement reads: [from, to), cut into buckets of `interval` in `timeZone`. */
export interface SqlScope {
  readonly p: SqlParams;
  readonly from: string;
  readonly to: string;
  readonly interval: ReportInterval;
  readonly unit: string;
  readonly zone: string;
}

export function sqlScope(p: SqlParams, range: { from: Date; to: Date; interval: ReportInterval; timeZone: string }): SqlScope {
  return {
    p, from: p.add(range.from, 'timestamptz'), to: p.add(range.to, 'timestamptz'), interval: range.interval,
    unit: p.add(range.interval, 'text'), zone: p.add(range.timeZone, 'text'),
  };
}

/** The bucket (an instant) an instant falls in. */
export function bucketOf(s: SqlScope, expr: string): string {
  return `date_trunc(${s.unit}, ${expr}, ${s.zone})`;
}

/** The bucket's start as wall-clock text in the zone, `YYYY-MM-DDTHH:MM`. */
export function bucketLocalOf(s: SqlScope, expr: string): string {
  return `to_char(${expr} AT TIME ZONE ${s.zone}, 'YYYY-MM-DD"T"HH24:MI')`;
}

/** Events that happen after a call started are looked for this long after the period (no call lasts a day). */
const CALL_TAIL = "interval '1 day'";

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** The ACD call id of a call's queue entry is the call id, plus `.tN` after the Nth transfer (sip/inbound-call.ts). */
export const CALL_ID_OF_ACD_ID = (expr: string): string =>
  `(CASE WHEN split_part(${expr}, '.', 1) ~* '${UUID_PATTERN}' THEN split_part(${expr}, '.', 1)::uuid END)`;

/** The 15-minute UTC bin of a timestamp: calls are counted per bin first (cheap for every row), bins then cut into the zone's buckets (every zone's offset is a multiple of 15 minutes). */
const BIN_SQL = (column: string): string => `date_bin('15 minutes', ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** Exact microseconds of an interval, as bigint: timestamps have microsecond precision, so this never rounds. */
const MICROS = (intervalExpr: string): string => `(extract(epoch FROM ${intervalExpr}) * 1000000)::bigint`;

/**
 * How answered-within-T and abandoned-after-T are counted: for one threshold
 * (a report), or on the whole 5 s grid as cumulative arrays (the rollups).
 */
export type ServiceLevelMode = { kind: 'threshold'; ms: number } | { kind: 'grid' };

const GRID_MS = Array.from({ length: SL_GRID_STEPS }, (_, i) => (i + 1) * SL_GRID_SECONDS * 1000);

/**
 * The queue counters' CTEs, ending in `q_parts` with columns queue, bucket,
 * offered, answered, abandoned, short_abandoned, callbacks_requested,
 * overflowed, answer_wait_ms, talk_ms, hold_ms, longest_wait_ms, wrap_up_us,
 * and answered_within_sl / abandoned_after_sl (threshold) or
 * answered_within / abandoned_after (grid, int[24]).
 *
 * A call counts in the queue it last waited in and the bucket of its start;
 * overflows count in the queue the call left (queue-metrics.ts).
 */
export function queueCountersCtes(s: SqlScope, options: { queue: string | null; sl: ServiceLevelMode }): string {
  const { p } = s;
  const abandon = p.add(ABANDON_OUTCOMES, 'text[]');
  const directions = p.add(QUEUE_REPORT_DIRECTIONS, 'text[]');
  const excluded = p.add(QUEUE_REPORT_EXCLUDED_DIALED, 'text[]');
  // A call counts unless its dialled number is one of the excluded patterns (draft tests).
  const counted = (alias: string): string => `NOT (COALESCE(${alias}dialed_number, '') LIKE ANY(${excluded}))`;
  const callbacks = p.add(CALLBACK_OUTCOMES, 'text[]');
  const short = p.add(SHORT_ABANDON_MS, 'int');
  const queue = options.queue === null ? null : p.add(options.queue, 'text');
  const answered = 'agent_answered_at IS NOT NULL';
  const abandoned = `outcome = ANY(${abandon})`;
  const where = `started_at >= ${s.from} AND started_at < ${s.to} AND queue_name IS NOT NULL AND direction = ANY(${directions}) AND ${counted('')}
         ${queue === null ? '' : `AND queue_name = ${queue}`}`;
  const common = `count(*) AS offered,
         count(*) FILTER (WHERE ${answered}) AS answered,
         count(*) FILTER (WHERE ${abandoned}) AS abandoned,
         count(*) FILTER (WHERE ${abandoned} AND COALESCE(queue_wait_ms, 0) < ${short}) AS short_abandoned,
         count(*) FILTER (WHERE outcome = ANY(${callbacks})) AS callbacks_requested,
         sum(queue_wait_ms) FILTER (WHERE ${answered}) AS answer_wait_ms,
         sum(talk_ms) FILTER (WHERE ${answered}) AS talk_ms,
         sum(hold_ms) FILTER (WHERE ${answered}) AS hold_ms,
         max(queue_wait_ms) AS longest_wait_ms`;

  let calls: string;
  let slColumns: string;
  let slZeros: string;
  if (options.sl.kind === 'threshold') {
    const sl = p.add(options.sl.ms, 'int');
    calls = `q_bins AS (
       SELECT queue_name AS queue, ${BIN_SQL('started_at')} AS bin, ${common},
         count(*) FILTER (WHERE ${answered} AND queue_wait_ms <= ${sl}) AS answered_within_sl,
         count(*) FILTER (WHERE ${abandoned} AND queue_wait_ms > ${sl}) AS abandoned_after_sl
       FROM calls WHERE ${where}
       GROUP BY 1, 2
     ), q_calls AS (
       SELECT queue, ${bucketOf(s, 'bin')} AS bucket,
         sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned, sum(short_abandoned) AS short_abandoned,
         sum(callbacks_requested) AS callbacks_requested, sum(answer_wait_ms) AS answer_wait_ms, sum(talk_ms) AS talk_ms,
         sum(hold_ms) AS hold_ms, max(longest_wait_ms) AS longest_wait_ms,
         sum(answered_within_sl) AS answered_within_sl, sum(abandoned_after_sl) AS abandoned_after_sl
       FROM q_bins GROUP BY 1, 2
     )`;
    slColumns = 'answered_within_sl::bigint, abandoned_after_sl::bigint';
    slZeros = '0::bigint, 0::bigint';
  } else {
    // Cumulative counts on the grid: element k is exactly the threshold query's count for T = 5·k s.
    const within = GRID_MS.map((ms) => `count(*) FILTER (WHERE ${answered} AND queue_wait_ms <= ${ms})`).join(', ');
    const after = GRID_MS.map((ms) => `count(*) FILTER (WHERE ${abandoned} AND queue_wait_ms > ${ms})`).join(', ');
    calls = `q_calls AS (
       SELECT queue_name AS queue, ${bucketOf(s, 'started_at')} AS bucket, ${common},
         ARRAY[${within}]::int[] AS answered_within, ARRAY[${after}]::int[] AS abandoned_after
       FROM calls WHERE ${where}
       GROUP BY 1, 2
     )`;
    slColumns = 'answered_within, abandoned_after';
    slZeros = 'NULL::int[], NULL::int[]';
  }

  return `${calls},
     -- Overflow is a fact of the queue the call left, which is not the row's queue_name when it overflowed into another queue.
     q_overflow AS (
       SELECT e.data->>'queue' AS queue, ${bucketOf(s, 'c.started_at')} AS bucket, count(DISTINCT c.id) AS overflowed
       FROM call_events e JOIN calls c ON c.id = e.call_id
       WHERE e.type = 'overflowed' AND e.at >= ${s.from} AND e.at < ${s.to} + ${CALL_TAIL}
         AND c.started_at >= ${s.from} AND c.started_at < ${s.to} AND c.direction = ANY(${directions}) AND ${counted('c.')} AND e.data->>'queue' IS NOT NULL
         ${queue === null ? '' : `AND e.data->>'queue' = ${queue}`}
       GROUP BY 1, 2
     ),
     -- Wrap-up episodes: an agent entering wrap_up for a call (the event carries the ACD call id) until
     -- the agent's next move out of wrap_up; a one-time extension (wrap_up → wrap_up) does not end it.
     q_marks AS (
       SELECT id, agent_id, at, data->>'from' AS from_state, data->>'to' AS to_state, data->>'callId' AS acd_call_id
       FROM acd_events
       WHERE type = 'agent_state' AND agent_id IS NOT NULL AND at >= ${s.from} AND at < ${s.to} + ${CALL_TAIL}
         AND ((data->>'to' = 'wrap_up') IS DISTINCT FROM (data->>'from' = 'wrap_up'))
     ), q_episodes AS (
       SELECT to_state, acd_call_id, at, lead(at) OVER w AS ended_at, lead(from_state) OVER w AS next_from
       FROM q_marks WINDOW w AS (PARTITION BY agent_id ORDER BY at, id)
     ), q_wrap AS (
       SELECT c.queue_name AS queue, ${bucketOf(s, 'c.started_at')} AS bucket, sum(${MICROS('ep.ended_at - ep.at')}) AS wrap_up_us
       FROM q_episodes ep JOIN calls c ON c.id = ${CALL_ID_OF_ACD_ID('ep.acd_call_id')}
       WHERE ep.to_state = 'wrap_up' AND ep.next_from = 'wrap_up'
         AND c.started_at >= ${s.from} AND c.started_at < ${s.to} AND c.queue_name IS NOT NULL AND c.direction = ANY(${directions}) AND ${counted('c.')}
         AND c.agent_answered_at IS NOT NULL
         ${queue === null ? '' : `AND c.queue_name = ${queue}`}
       GROUP BY 1, 2
     ), q_parts AS (
       SELECT queue, bucket, offered::bigint, answered::bigint, abandoned::bigint, short_abandoned::bigint, callbacks_requested::bigint,
              0::bigint AS overflowed, COALESCE(answer_wait_ms, 0)::bigint AS answer_wait_ms, COALESCE(talk_ms, 0)::bigint AS talk_ms,
              COALESCE(hold_ms, 0)::bigint AS hold_ms, longest_wait_ms::int, 0::bigint AS wrap_up_us, ${slColumns}
       FROM q_calls
       UNION ALL
       SELECT queue, bucket, 0, 0, 0, 0, 0, overflowed::bigint, 0, 0, 0, NULL, 0, ${slZeros} FROM q_overflow
       UNION ALL
       SELECT queue, bucket, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, wrap_up_us::bigint, ${slZeros} FROM q_wrap
     )`;
}

/** The `${state}_us` column of a counted agent state. */
export const stateColumn = (state: string): string => `${state}_us`;

/**
 * The agent counters' CTEs (recursive: the statement starts WITH RECURSIVE),
 * ending in `a_parts` with columns agent_id,
 * bucket, handled, missed, single_talk_ms, single_hold_ms, shared_talk_us,
 * shared_hold_us and one `<state>_us` per counted state (agent-metrics.ts).
 */
export function agentCountersCtes(s: SqlScope, options: { agentId: number | null }): string {
  const { p } = s;
  const agent = options.agentId === null ? null : p.add(options.agentId, 'int');
  const missedReason = p.add(MISSED_RELEASE_REASON, 'text');
  const states = p.add(COUNTED_AGENT_STATES, 'text[]');
  const stateZeros = COUNTED_AGENT_STATES.map((st) => `0::bigint AS ${stateColumn(st)}`).join(', ');
  const stateSums = COUNTED_AGENT_STATES.map((st) => `COALESCE(sum(us) FILTER (WHERE state = '${st}'), 0)::bigint AS ${stateColumn(st)}`).join(', ');
  const zeroStates = COUNTED_AGENT_STATES.map(() => '0').join(', ');

  // Bucket walk for state spans. By the hour: absolute hours from the span's hour (a local hour is an
  // absolute one, and walking wall-clock time would give the repeated hour of a DST fall-back twice the
  // time under one label). By day or week: local midnights, so a day is a local day (23 or 25 hours).
  let walk: string;
  if (s.interval === 'hour') {
    walk = `(SELECT h, h + interval '1 hour' FROM generate_series(date_trunc('hour', sp.started, ${s.zone}), sp.ended, interval '1 hour') AS h)`;
  } else {
    const step = p.add(s.interval === 'day' ? '1 day' : '1 week', 'interval');
    walk = `(SELECT l AT TIME ZONE ${s.zone}, (l + ${step}) AT TIME ZONE ${s.zone}
              FROM generate_series(date_trunc(${s.unit}, sp.started, ${s.zone}) AT TIME ZONE ${s.zone}, sp.ended AT TIME ZONE ${s.zone}, ${step}) AS l)`;
  }

  return `a_single_bins AS (
       -- Calls one agent took: the row's own talk and hold.
       SELECT agent_ids[1] AS agent_id, ${BIN_SQL('started_at')} AS bin, count(*) AS handled, sum(talk_ms) AS talk_ms, sum(hold_ms) AS hold_ms
       FROM calls
       WHERE started_at >= ${s.from} AND started_at < ${s.to} AND agent_ids <> '{}' AND cardinality(agent_ids) = 1
         ${agent === null ? '' : `AND agent_ids @> ARRAY[${agent}]`}
       GROUP BY 1, 2
     ), a_single AS (
       SELECT agent_id, ${bucketOf(s, 'bin')} AS bucket, sum(handled) AS handled, sum(talk_ms) AS talk_ms, sum(hold_ms) AS hold_ms
       FROM a_single_bins GROUP BY 1, 2
     ),
     -- Calls several agents took (transfers): each of their agents handled them (calls.agent_ids); the
     -- lifecycle events say who was connected when. Each stretch of the timeline belongs to the agent of
     -- the last agent_answered / remote_answered before it.
     a_shared_calls AS (
       SELECT id, started_at, agent_ids FROM calls
       WHERE started_at >= ${s.from} AND started_at < ${s.to} AND agent_ids <> '{}' AND cardinality(agent_ids) > 1
         ${agent === null ? '' : `AND agent_ids @> ARRAY[${agent}]`}
     ), a_call_moves AS (
       SELECT e.call_id, e.seq, e.at, e.data->>'to' AS to_state,
              CASE WHEN e.type IN ('agent_answered', 'remote_answered') THEN (e.data->>'agentId')::int END AS answered_by
       FROM a_shared_calls sc JOIN call_events e ON e.call_id = sc.id
       WHERE e.data ? 'to'
     ), a_stretches AS (
       SELECT call_id, seq, to_state, answered_by, ${MICROS('lead(at) OVER w - at')} AS us, count(answered_by) OVER w AS stint
       FROM a_call_moves WINDOW w AS (PARTITION BY call_id ORDER BY seq)
     ), a_owned AS (
       SELECT call_id, to_state, us, first_value(answered_by) OVER (PARTITION BY call_id, stint ORDER BY seq) AS agent_id
       FROM a_stretches
     ), a_times AS (
       SELECT call_id, agent_id,
              sum(us) FILTER (WHERE to_state = 'connected') AS talk_us,
              sum(us) FILTER (WHERE to_state IN ('on_hold', 'transferring')) AS hold_us
       FROM a_owned WHERE agent_id IS NOT NULL GROUP BY 1, 2
     ), a_took AS (
       SELECT DISTINCT sc.id, sc.started_at, a.agent_id FROM a_shared_calls sc CROSS JOIN LATERAL unnest(sc.agent_ids) AS a(agent_id)
     ), a_shared AS (
       SELECT k.agent_id, ${bucketOf(s, 'k.started_at')} AS bucket, count(*) AS handled, sum(t.talk_us) AS talk_us, sum(t.hold_us) AS hold_us
       FROM a_took k LEFT JOIN a_times t ON t.call_id = k.id AND t.agent_id = k.agent_id
       ${agent === null ? '' : `WHERE k.agent_id = ${agent}`}
       GROUP BY 1, 2
     ), a_missed AS (
       SELECT agent_id, ${bucketOf(s, 'at')} AS bucket, count(*) AS missed
       FROM acd_events
       WHERE type = 'call_released' AND at >= ${s.from} AND at < ${s.to} AND agent_id IS NOT NULL AND data->>'reason' = ${missedReason}
         ${agent === null ? '' : `AND agent_id = ${agent}`}
       GROUP BY 1, 2
     ),
     -- Time in each state, from one agent_state event to the agent's next, cut at bucket boundaries.
     -- The state at the start of the period comes from each agent's last move before it — every agent
     -- that ever moved, on staff or removed since (a_agents: a skip scan of the agent-state index, one
     -- probe per agent), so that an hour of the rollups and a day of the raw report agree.
     a_agents AS (
       ${agent === null ? `(SELECT agent_id FROM acd_events WHERE type = 'agent_state' AND agent_id IS NOT NULL ORDER BY agent_id LIMIT 1)
       UNION ALL
       SELECT (SELECT a.agent_id FROM acd_events a WHERE a.type = 'agent_state' AND a.agent_id > k.agent_id ORDER BY a.agent_id LIMIT 1)
       FROM a_agents k WHERE k.agent_id IS NOT NULL` : `SELECT ${agent} AS agent_id`}
     ), a_moves AS (
       SELECT agent_id, at, id, data->>'to' AS state
       FROM acd_events
       WHERE type = 'agent_state' AND agent_id IS NOT NULL AND at >= ${s.from} AND at < ${s.to}
         ${agent === null ? '' : `AND agent_id = ${agent}`}
       UNION ALL
       SELECT k.agent_id, ${s.from}, 0, last.state
       FROM a_agents k CROSS JOIN LATERAL (
         SELECT data->>'to' AS state FROM acd_events a
         WHERE a.type = 'agent_state' AND a.agent_id = k.agent_id AND a.at < ${s.from}
         ORDER BY a.at DESC, a.id DESC LIMIT 1
       ) last
       WHERE k.agent_id IS NOT NULL
     ), a_spans AS (
       SELECT agent_id, state, at AS started,
              COALESCE(lead(at) OVER (PARTITION BY agent_id ORDER BY at, id), LEAST(${s.to}, now())) AS ended
       FROM a_moves
     ), a_cut AS (
       SELECT sp.agent_id, sp.state, b.start AS bucket, GREATEST(sp.started, b.start) AS piece_start, LEAST(sp.ended, b.stop) AS piece_end
       FROM a_spans sp CROSS JOIN LATERAL ${walk} AS b(start, stop)
       WHERE sp.ended > sp.started AND sp.state = ANY(${states})
     ), a_states AS (
       SELECT agent_id, bucket, ${stateSums}
       FROM (SELECT agent_id, bucket, state, ${MICROS('piece_end - piece_start')} AS us FROM a_cut WHERE piece_end > piece_start) pieces
       GROUP BY 1, 2
     ), a_parts AS (
       SELECT agent_id, bucket, handled::bigint, 0::bigint AS missed, COALESCE(talk_ms, 0)::bigint AS single_talk_ms,
              COALESCE(hold_ms, 0)::bigint AS single_hold_ms, 0::bigint AS shared_talk_us, 0::bigint AS shared_hold_us, ${stateZeros}
       FROM a_single
       UNION ALL
       SELECT agent_id, bucket, handled::bigint, 0, 0, 0, COALESCE(talk_us, 0)::bigint, COALESCE(hold_us, 0)::bigint, ${zeroStates} FROM a_shared
       UNION ALL
       SELECT agent_id, bucket, 0, missed::bigint, 0, 0, 0, 0, ${zeroStates} FROM a_missed
       UNION ALL
       SELECT agent_id, bucket, 0, 0, 0, 0, 0, 0, ${COUNTED_AGENT_STATES.map((st) => stateColumn(st)).join(', ')} FROM a_states
     )`;
}
