import type { Queryable } from '../pool';
import { listAssignedCampaignCalls } from './campaigns-repository';

/** A period, as instants; null ends mean "the calendar day of now in `timeZone`". */
export interface Period {
  from: string | null;
  to: string | null;
  timeZone: string;
}

// The period as SQL: $2 = from, $3 = to, $4 = time zone (shared by the statements below).
const PERIOD_CTE = `period AS (
  SELECT f AS p_from, COALESCE($3::timestamptz, f + interval '1 day') AS p_to
  FROM (SELECT COALESCE($2::timestamptz, date_trunc('day', now() AT TIME ZONE $4::text) AT TIME ZONE $4::text) AS f) x
)`;

const periodParams = (p: Period): [string | null, string | null, string] => [p.from, p.to, p.timeZone];

/** One of my calls, newest first. */
export interface MyCall {
  callId: string;
  startedAt: string;
  direction: string;
  callerNumber: string;
  clientName: string | null;
  outcome: string | null;
  talkMs: number | null;
  holdMs: number;
  dispositionCode: string | null;
  dispositionLabel: string | null;
}

/**
 * The calls a staff member took part in during the period (newest first, at
 * most `limit`), with their own wrap-up's code where they wrote one, else the
 * call's disposition.
 */
export async function listMyCalls(q: Queryable, staffId: number, period: Period, limit = 500): Promise<MyCall[]> {
  const { rows } = await q.query<{
    id: string; started_at: Date; direction: string; caller_number: string; client_name: string | null; outcome: string | null;
    talk_ms: number | null; hold_ms: number; disposition_code: string | null; disposition_label: string | null;
  }>(
    `WITH ${PERIOD_CTE}
     SELECT c.id, c.started_at, c.direction, c.caller_number, cl.name AS client_name, c.outcome, c.talk_ms, c.hold_ms,
            COALESCE(w.disposition_code, c.disposition_code) AS disposition_code, d.label AS disposition_label
     FROM period, calls c
     LEFT JOIN clients cl ON cl.id = c.client_id
     LEFT JOIN wrap_ups w ON w.call_id = c.id AND w.staff_id = $1
     LEFT JOIN disposition_codes d ON d.code = COALESCE(w.disposition_code, c.disposition_code)
     WHERE c.started_at >= period.p_from AND c.started_at < period.p_to AND ($1 = ANY(c.agent_ids) OR c.agent_id = $1)
     ORDER BY c.started_at DESC, c.id DESC
     LIMIT $5`,
    [staffId, ...periodParams(period), limit],
  );
  return rows.map((r) => ({
    callId: r.id, startedAt: r.started_at.toISOString(), direction: r.direction, callerNumber: r.caller_number, clientName: r.client_name,
    outcome: r.outcome, talkMs: r.talk_ms, holdMs: r.hold_ms, dispositionCode: r.disposition_code, dispositionLabel: r.disposition_label,
  }));
}

/** A shift's figures for one person. */
export interface MyStats {
  /** Calls they took part in. */
  handled: number;
  /** Calls that rang them unanswered (the ACD's ring-no-answer). */
  missed: number;
  talkMs: number;
  /** (talk + hold + wrap-up) per handled call; 0 with none. */
  avgHandleMs: number;
  holdMs: number;
  wrapUpMs: number;
  readyMs: number;
  notReadyMs: number;
  byDisposition: Record<string, number>;
}

/**
 * Today's (or the period's) statistics of one person: calls from the call
 * rows, rings missed and time per agent state from the ACD events (a state
 * lasts until the next change, the one in force at the start of the period
 * counting from the start, the one in force now until now).
 */
export async function myStats(q: Queryable, staffId: number, period: Period): Promise<MyStats> {
  const params = [staffId, ...periodParams(period)];
  const [calls, states, missed, dispositions] = await Promise.all([
    q.query<{ handled: number; talk_ms: number; hold_ms: number }>(
      `WITH ${PERIOD_CTE}
       SELECT count(*)::int AS handled, COALESCE(sum(c.talk_ms), 0)::bigint AS talk_ms, COALESCE(sum(c.hold_ms), 0)::bigint AS hold_ms
       FROM period, calls c
       WHERE c.started_at >= period.p_from AND c.started_at < period.p_to AND ($1 = ANY(c.agent_ids) OR c.agent_id = $1)`,
      params,
    ),
    q.query<{ state: string; ms: number }>(
      `WITH ${PERIOD_CTE},
       changes AS (
         SELECT e.at, e.id, e.data->>'to' AS state FROM period, acd_events e
         WHERE e.type = 'agent_state' AND e.agent_id = $1 AND e.at >= period.p_from AND e.at < period.p_to
         UNION ALL
         (SELECT period.p_from, 0, e.data->>'to' FROM period, acd_events e
          WHERE e.type = 'agent_state' AND e.agent_id = $1 AND e.at < period.p_from
          ORDER BY e.at DESC, e.id DESC LIMIT 1)
       ),
       spans AS (
         SELECT state, at, LEAD(at, 1, LEAST(now(), period.p_to)) OVER (ORDER BY at, id) AS ends FROM changes, period
       )
       SELECT state, COALESCE(sum(GREATEST(0, EXTRACT(EPOCH FROM (ends - at)) * 1000)), 0)::bigint AS ms FROM spans GROUP BY state`,
      params,
    ),
    q.query<{ n: number }>(
      `WITH ${PERIOD_CTE}
       SELECT count(*)::int AS n FROM period, acd_events e
       WHERE e.type = 'call_released' AND e.agent_id = $1 AND e.data->>'reason' = 'ring_no_answer'
         AND e.at >= period.p_from AND e.at < period.p_to`,
      params,
    ),
    q.query<{ code: string; n: number }>(
      `WITH ${PERIOD_CTE}
       SELECT COALESCE(w.disposition_code, c.disposition_code) AS code, count(*)::int AS n
       FROM period, calls c
       LEFT JOIN wrap_ups w ON w.call_id = c.id AND w.staff_id = $1
       WHERE c.started_at >= period.p_from AND c.started_at < period.p_to AND ($1 = ANY(c.agent_ids) OR c.agent_id = $1)
         AND COALESCE(w.disposition_code, c.disposition_code) IS NOT NULL
       GROUP BY 1`,
      params,
    ),
  ]);
  const c = calls.rows[0] ?? { handled: 0, talk_ms: 0, hold_ms: 0 };
  const stateMs = new Map(states.rows.map((r) => [r.state, Number(r.ms)]));
  const wrapUpMs = stateMs.get('wrap_up') ?? 0;
  const talkMs = Number(c.talk_ms);
  const holdMs = Number(c.hold_ms);
  return {
    handled: c.handled,
    missed: missed.rows[0]?.n ?? 0,
    talkMs,
    avgHandleMs: c.handled > 0 ? Math.round((talkMs + holdMs + wrapUpMs) / c.handled) : 0,
    holdMs,
    wrapUpMs,
    readyMs: stateMs.get('ready') ?? 0,
    notReadyMs: stateMs.get('not_ready') ?? 0,
    byDisposition: Object.fromEntries(dispositions.rows.map((r) => [r.code, r.n])),
  };
}

/** One thing the person has been given to do: call a client back, or a campaign call. */
export interface Assignment {
  kind: 'callback' | 'campaign';
  /** Callbacks: the requesting call's id (uuid); campaign calls: the campaign_calls row id. */
  id: string | number;
  clientId: number | null;
  clientName: string | null;
  number: string | null;
  /** When it should be done; null: as soon as possible. */
  dueAt: string | null;
  note: string;
  status: string;
}

/** How far back a callback request stays on someone's list. */
export const CALLBACK_HORIZON_DAYS = 7;

/**
 * Callback requests (calls that ended with the caller asking to be called
 * back, design §3 step 5) of clients this person manages, not yet dealt
 * with, from the last CALLBACK_HORIZON_DAYS days; plus those of `extraCallIds`
 * (callbacks the ACD has handed to this person right now). Oldest first.
 * A request made in a queue (the call has a queue) is the ACD's: it places it
 * with whichever agent it picks, so it is not on the manager's list too —
 * two people would call the same client back.
 */
export async function listCallbackAssignments(q: Queryable, staffId: number, extraCallIds: readonly string[] = []): Promise<Assignment[]> {
  const { rows } = await q.query<{
    id: string; client_id: number | null; client_name: string | null; number: string; ended_at: Date | null; started_at: Date;
    routing_reason: string | null; done: boolean;
  }>(
    `SELECT c.id, c.client_id, cl.name AS client_name, COALESCE(c.caller_e164, c.caller_number) AS number, c.ended_at, c.started_at,
            c.routing_reason, r.call_id IS NOT NULL AS done
     FROM calls c
     LEFT JOIN clients cl ON cl.id = c.client_id
     LEFT JOIN callback_results r ON r.call_id = c.id
     WHERE c.outcome = 'callback_requested' AND r.call_id IS NULL
       AND ((cl.manager_id = $1 AND c.queue_name IS NULL AND c.started_at > now() - make_interval(days => $2)) OR c.id = ANY($3::uuid[]))
     ORDER BY c.started_at, c.id`,
    [staffId, CALLBACK_HORIZON_DAYS, extraCallIds],
  );
  return rows.map((r) => ({
    kind: 'callback', id: r.id, clientId: r.client_id, clientName: r.client_name, number: r.number,
    dueAt: (r.ended_at ?? r.started_at).toISOString(), note: r.routing_reason ?? 'the caller asked to be called back', status: 'pending',
  }));
}

/** True when the campaigns feature's table exists (it ships in its own migration). */
export async function campaignsInstalled(q: Queryable): Promise<boolean> {
  const { rows } = await q.query<{ present: boolean }>(`SELECT to_regclass('public.campaign_calls') IS NOT NULL AS present`);
  return rows[0]?.present === true;
}

/**
 * Campaign calls assigned to this person still to be made (the campaigns
 * repository decides which: pending, or not answered before, in active
 * campaigns); none when the campaigns feature is not installed.
 */
export async function listCampaignAssignments(q: Queryable, staffId: number): Promise<Assignment[]> {
  if (!(await campaignsInstalled(q))) return [];
  const calls = await listAssignedCampaignCalls(q, staffId);
  return calls.map((c) => ({
    kind: 'campaign', id: c.id, clientId: c.clientId, clientName: c.clientName, number: c.phone, dueAt: null,
    note: c.notes ? `${c.campaignName}: ${c.notes}` : c.campaignName, status: c.status,
  }));
}

/**
 * Marks a callback request dealt with. 'not_found' when the call is not a
 * callback request (yet: its row may still be on its way).
 */
export async function recordCallbackResult(q: Queryable, callId: string, staffId: number | null, input: { result: string; notes?: string }): Promise<'recorded' | 'not_found'> {
  const call = await q.query('SELECT 1 FROM calls WHERE id = $1 AND outcome = $2', [callId, 'callback_requested']);
  if ((call.rowCount ?? 0) === 0) return 'not_found';
  await q.query(
    `INSERT INTO callback_results (call_id, staff_id, result, notes) VALUES ($1, $2, $3, $4)
     ON CONFLICT (call_id) DO UPDATE SET staff_id = EXCLUDED.staff_id, result = EXCLUDED.result, notes = EXCLUDED.notes, done_at = now()`,
    [callId, staffId, input.result, input.notes ?? ''],
  );
  return 'recorded';
}

/** The manager of a callback request's client (whose list it is on); undefined when the call is not a callback request. */
export async function callbackOwner(q: Queryable, callId: string): Promise<{ managerId: number | null; agentIds: number[] } | undefined> {
  const { rows } = await q.query<{ manager_id: number | null; agent_ids: number[] }>(
    `SELECT cl.manager_id, c.agent_ids FROM calls c LEFT JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1 AND c.outcome = 'callback_requested'`,
    [callId],
  );
  const r = rows[0];
  return r ? { managerId: r.manager_id, agentIds: r.agent_ids } : undefined;
}
