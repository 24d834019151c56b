import { ROLLUP_DEFINITION, type TimeRange } from '../../reports/report-rollups';
import { COUNTED_AGENT_STATES } from '../../reports/report-counters';
import type { RollupSession, RollupState, RollupStore } from '../../reports/report-rollup-store';
import type { Db, DbClient, Queryable } from '../pool';
import { CALL_ID_OF_ACD_ID, SqlParams, agentCountersCtes, queueCountersCtes, sqlScope, stateColumn } from './report-sql';

/**
 * Hourly report rollups (issue 7): the tables report_queue_hours and
 * report_agent_hours, their bookkeeping row, and what the rollup job needs to
 * keep them current — which hours changed since its last run, and rebuilding
 * whole hours from the raw rows with the reports' own SQL (report-sql.ts).
 * Above the agent hours, daily rows (report_rollup_days, report_agent_days):
 * local days of one zone, each the sum of its hours, rebuilt with them.
 */

/** The bookkeeping as stored, whatever definition built it; null before the first run. */
export async function readStoredRollupState(q: Queryable): Promise<RollupState | null> {
  const { rows } = await q.query<{ definition: string; sealed_until: Date; changes_since: Date; day_zone: string | null }>(
    'SELECT definition, sealed_until, changes_since, day_zone FROM report_rollup_state',
  );
  const row = rows[0];
  return row ? { definition: row.definition, sealedUntil: row.sealed_until, changesSince: row.changes_since, dayZone: row.day_zone } : null;
}

/** The bookkeeping when the rollups can be read: built by this code's definitions. */
export async function readRollupState(q: Queryable): Promise<RollupState | null> {
  const state = await readStoredRollupState(q);
  return state !== null && state.definition === ROLLUP_DEFINITION ? state : null;
}

export async function saveRollupState(q: Queryable, state: RollupState): Promise<void> {
  await q.query(
    `INSERT INTO report_rollup_state (singleton, definition, sealed_until, changes_since, day_zone, updated_at) VALUES (true, $1, $2, $3, $4, now())
     ON CONFLICT (singleton) DO UPDATE SET definition = EXCLUDED.definition, sealed_until = EXCLUDED.sealed_until,
       changes_since = EXCLUDED.changes_since, day_zone = EXCLUDED.day_zone, updated_at = now()`,
    [state.definition, state.sealedUntil, state.changesSince, state.dayZone],
  );
}

/** Empties the rollups and starts the bookkeeping afresh (first run, or the definitions changed). */
export async function resetRollups(q: Queryable, state: RollupState): Promise<void> {
  await q.query('TRUNCATE report_queue_hours, report_agent_hours, report_agent_days, report_rollup_days');
  await saveRollupState(q, state);
}

/** Empties the daily rows only (their zone changed): the next builds list the new zone's days. */
export async function resetRollupDays(q: Queryable): Promise<void> {
  await q.query('TRUNCATE report_agent_days, report_rollup_days');
}

/** Session-level advisory lock key (two int4 keys: this system's namespace, the rollup job). */
const LOCK_KEYS = [4242700, 1] as const;

/**
 * Runs `work` on one connection holding the rollup lock, so that of several
 * Switchboard processes sharing the database one runs the job at a time.
 * Resolves { ran: false } at once when another process holds it. The lock is
 * the connection's: it goes with the connection if the process dies.
 */
export async function withRollupLock<T>(db: Db, work: (client: DbClient) => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const client = await db.connect();
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken = err;
  };
  // A checked-out client's server going away emits 'error'; without a listener that would crash the process.
  client.on('error', onError);
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...LOCK_KEYS]);
    locked = rows[0]?.locked === true;
    if (!locked) return { ran: false };
    return { ran: true, value: await work(client) };
  } finally {
    if (locked && !broken) await client.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEYS]).catch(() => undefined);
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** Runs `work` in a transaction on a checked-out client; rolls back on any throw. */
export async function inClientTransaction<T>(client: DbClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A changed row older than this is assumed seen even if a transaction that old is still open (see captureRollupClock). */
const OLDEST_OPEN_TRANSACTION = "interval '1 hour'";

/**
 * The database's clock for one run: the hour now in progress (everything
 * before it can be sealed), and the mark the next run looks for changes from.
 * Rows carry their writing transaction's start time (calls.updated_at,
 * acd_events.recorded_at), and a transaction still open now may commit after
 * this run has read — so the mark is the start of the oldest open
 * transaction, not now. Capped at an hour back, so a session left idle in a
 * transaction cannot make every run rescan days of changes.
 */
export async function captureRollupClock(q: Queryable): Promise<{ changeMark: Date; currentHour: Date }> {
  const { rows } = await q.query<{ change_mark: Date; current_hour: Date }>(
    `SELECT GREATEST(LEAST(now(), COALESCE(min(a.xact_start), now())), now() - ${OLDEST_OPEN_TRANSACTION}) AS change_mark,
            date_bin('1 hour', now(), TIMESTAMPTZ '2000-01-01 00:00:00+00') AS current_hour
     FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL`,
  );
  const row = rows[0]!;
  return { changeMark: row.change_mark, currentHour: row.current_hour };
}

/** The hour of the earliest call or ACD event, where a first build starts; null when there is none. */
export async function earliestActivityHour(q: Queryable): Promise<Date | null> {
  const { rows } = await q.query<{ hour: Date | null }>(
    `SELECT date_bin('1 hour', LEAST((SELECT min(started_at) FROM calls), (SELECT min(at) FROM acd_events)), TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour`,
  );
  return rows[0]?.hour ?? null;
}

/**
 * The sealed hours (before `sealedUntil`) whose figures rows written since
 * `since` may have changed:
 * - a call row inserted or updated (a late outbox write, a replay): the hour it started;
 * - an agent's state move: that agent's state time from the move to the agent's next move;
 * - the same move may end or cut short the wrap-up episode of the agent's last call before
 *   it, counted in the queue report in the hour that call started;
 * - a ring-no-answer release: the hour it happened (missed calls).
 */
export async function touchedRollupHours(q: Queryable, since: Date, sealedUntil: Date): Promise<Date[]> {
  const { rows } = await q.query<{ hour: Date }>(
    `WITH new_events AS (
       SELECT id, agent_id, at, type, data FROM acd_events
       WHERE recorded_at >= $1 AND agent_id IS NOT NULL AND type IN ('agent_state', 'call_released')
     ), hours AS (
       SELECT date_bin('1 hour', started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS hour
       FROM calls WHERE updated_at >= $1 AND started_at < $2
       UNION
       SELECT generate_series(date_bin('1 hour', e.at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), LEAST(COALESCE(nx.at, $2), $2), interval '1 hour')
       FROM new_events e LEFT JOIN LATERAL (
         SELECT a.at FROM acd_events a
         WHERE a.type = 'agent_state' AND a.agent_id = e.agent_id AND (a.at, a.id) > (e.at, e.id)
         ORDER BY a.at, a.id LIMIT 1
       ) nx ON true
       WHERE e.type = 'agent_state' AND e.at < $2
       UNION
       SELECT date_bin('1 hour', c.started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')
       FROM new_events e CROSS JOIN LATERAL (
         SELECT e.data->>'callId' AS acd_call_id WHERE e.data->>'to' = 'wrap_up'
         UNION ALL
         (SELECT a.data->>'callId' FROM acd_events a
          WHERE a.type = 'agent_state' AND a.agent_id = e.agent_id AND (a.at, a.id) < (e.at, e.id) AND a.at >= e.at - interval '1 day'
            AND a.data->>'to' = 'wrap_up' AND a.data->>'from' IS DISTINCT FROM 'wrap_up'
          ORDER BY a.at DESC, a.id DESC LIMIT 1)
       ) w
       JOIN calls c ON c.id = ${CALL_ID_OF_ACD_ID('w.acd_call_id')}
       WHERE e.type = 'agent_state' AND c.started_at < $2
       UNION
       SELECT date_bin('1 hour', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') FROM new_events WHERE type = 'call_released' AND at < $2
     )
     SELECT hour FROM hours WHERE hour < $2 ORDER BY hour`,
    [since, sealedUntil],
  );
  return rows.map((r) => r.hour);
}

/**
 * Recomputes every queue's and agent's rows of the whole UTC hours of
 * `range` from the raw rows: deletes them and inserts what the reports' raw
 * SQL counts per UTC hour. Idempotent; run it in a transaction so readers see
 * the old hours or the new, never none.
 */
export async function rebuildRollupHours(q: Queryable, range: TimeRange): Promise<{ queueRows: number; agentRows: number }> {
  const bounds = [range.from, range.to];
  await q.query('DELETE FROM report_queue_hours WHERE hour >= $1 AND hour < $2', bounds);
  await q.query('DELETE FROM report_agent_hours WHERE hour >= $1 AND hour < $2', bounds);
  const scope = { from: range.from, to: range.to, interval: 'hour' as const, timeZone: 'UTC' };

  const qp = new SqlParams();
  const queues = await q.query(
    `WITH ${queueCountersCtes(sqlScope(qp, scope), { queue: null, sl: { kind: 'grid' } })}
     INSERT INTO report_queue_hours (hour, queue, offered, answered, abandoned, short_abandoned, callbacks_requested, overflowed,
                                     answered_within, abandoned_after, answer_wait_ms, talk_ms, hold_ms, longest_wait_ms, wrap_up_us)
     SELECT bucket, queue, sum(offered), sum(answered), sum(abandoned), sum(short_abandoned), sum(callbacks_requested), sum(overflowed),
            -- Only the calls part carries the arrays, one row per queue and hour: max() picks it out of the NULLs.
            COALESCE(max(answered_within), array_fill(0, ARRAY[24])), COALESCE(max(abandoned_after), array_fill(0, ARRAY[24])),
            sum(answer_wait_ms), sum(talk_ms), sum(hold_ms), max(longest_wait_ms), sum(wrap_up_us)
     FROM q_parts GROUP BY bucket, queue`,
    qp.values,
  );

  const ap = new SqlParams();
  const states = COUNTED_AGENT_STATES.map((st) => stateColumn(st));
  const agents = await q.query(
    `WITH RECURSIVE ${agentCountersCtes(sqlScope(ap, scope), { agentId: null })}
     INSERT INTO report_agent_hours (hour, agent_id, handled, missed, single_talk_ms, single_hold_ms, shared_talk_us, shared_hold_us, ${states.join(', ')})
     SELECT bucket, agent_id, sum(handled), sum(missed), sum(single_talk_ms), sum(single_hold_ms), sum(shared_talk_us), sum(shared_hold_us),
            ${states.map((c) => `sum(${c})`).join(', ')}
     FROM a_parts GROUP BY bucket, agent_id`,
    ap.values,
  );
  return { queueRows: queues.rowCount ?? 0, agentRows: agents.rowCount ?? 0 };
}

/**
 * Fresh statistics and visibility map after a big build: until autovacuum
 * comes by, the planner would think the tables empty (and pick a plan for a
 * few rows to read 900,000), and the first report would set hint bits on
 * every page. Outside any transaction (VACUUM refuses to run in one).
 */
export async function vacuumRollups(q: Queryable): Promise<void> {
  await q.query('VACUUM (ANALYZE) report_queue_hours, report_agent_hours, report_rollup_days, report_agent_days');
}

/** The counters of report_agent_hours, which report_agent_days has too. */
const AGENT_COUNTER_COLUMNS = ['handled', 'missed', 'single_talk_ms', 'single_hold_ms', 'shared_talk_us', 'shared_hold_us', ...COUNTED_AGENT_STATES.map((st) => stateColumn(st))];

/**
 * Rewrites the daily agent rows of every local day of `zone` that overlaps
 * `range` (hours just rebuilt or sealed): deletes them, then lists again the
 * days whose every hour is before `sealedUntil` and sums each one's agent
 * hours into its rows. Run it in the transaction that wrote those hours, so a
 * day and its hours are never seen out of step. A day is listed only when
 * both its midnights are on a UTC hour (not so in Asia/Kolkata): only then is
 * it a whole number of rollup hours. A day's end is the next local midnight,
 * found from 26 hours on (days are 23 to 25 hours long).
 */
export async function rebuildRollupDays(q: Queryable, range: TimeRange, sealedUntil: Date, zone: string): Promise<{ days: number; agentRows: number }> {
  const overlapping = `SELECT day_start FROM report_rollup_days WHERE day_start < $2 AND day_end > $1`;
  await q.query(`DELETE FROM report_agent_days WHERE day_start IN (${overlapping})`, [range.from, range.to]);
  await q.query(`DELETE FROM report_rollup_days WHERE day_start IN (${overlapping})`, [range.from, range.to]);
  const onHour = (expr: string): string => `${expr} = date_bin('1 hour', ${expr}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
  const { rows } = await q.query<{ days: number; agent_rows: number }>(
    `WITH starts AS (
       SELECT DISTINCT date_trunc('day', h, $4::text) AS day_start
       FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') AS h
     ), candidates AS (
       SELECT day_start, date_trunc('day', day_start + interval '26 hours', $4::text) AS day_end FROM starts
     ), listed AS (
       INSERT INTO report_rollup_days (day_start, day_end)
       SELECT day_start, day_end FROM candidates
       WHERE day_end <= $3::timestamptz AND ${onHour('day_start')} AND ${onHour('day_end')}
       RETURNING day_start, day_end
     ), written AS (
       INSERT INTO report_agent_days (day_start, agent_id, ${AGENT_COUNTER_COLUMNS.join(', ')})
       SELECT d.day_start, r.agent_id, ${AGENT_COUNTER_COLUMNS.map((c) => `sum(r.${c})`).join(', ')}
       FROM listed d JOIN report_agent_hours r ON r.hour >= d.day_start AND r.hour < d.day_end
       GROUP BY d.day_start, r.agent_id
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM listed)::int AS days, (SELECT count(*) FROM written)::int AS agent_rows`,
    [range.from, range.to, sealedUntil, zone],
  );
  return { days: rows[0]?.days ?? 0, agentRows: rows[0]?.agent_rows ?? 0 };
}

/** The first hour with an agent row, where building the days of a new zone starts; null when there is none. */
export async function firstAgentHour(q: Queryable): Promise<Date | null> {
  const { rows } = await q.query<{ hour: Date | null }>('SELECT min(hour) AS hour FROM report_agent_hours');
  return rows[0]?.hour ?? null;
}

/** ReportRollupJob's store (src/reports/report-rollup-store.ts) in Postgres. */
export function rollupStore(db: Db): RollupStore {
  return {
    withLockedSession<T>(work: (session: RollupSession) => Promise<T>) {
      return withRollupLock(db, (client) => work(rollupSession(client)));
    },
  };
}

/** The steps of one locked run, all on the client that holds the lock. */
function rollupSession(client: DbClient): RollupSession {
  return {
    inTransaction<T>(work: () => Promise<T>) {
      return inClientTransaction(client, work);
    },
    captureClock: () => captureRollupClock(client),
    readState: () => readStoredRollupState(client),
    saveState: (state) => saveRollupState(client, state),
    resetRollups: (state) => resetRollups(client, state),
    resetDays: () => resetRollupDays(client),
    earliestActivityHour: () => earliestActivityHour(client),
    firstAgentHour: () => firstAgentHour(client),
    touchedHours: (since, sealedUntil) => touchedRollupHours(client, since, sealedUntil),
    // The job does not use the row counts.
    rebuildHours: async (range) => {
      await rebuildRollupHours(client, range);
    },
    rebuildDays: async (range, sealedUntil, zone) => {
      await rebuildRollupDays(client, range, sealedUntil, zone);
    },
    vacuum: () => vacuumRollups(client),
  };
}
