import {
  ABANDONED_OUTCOMES, openAbandonedCalls, type AbandonedCall, type AbandonedEntry, type AnsweredContact, type CallbackAttempt, type CallbackResult,
} from '../../calls/abandoned-calls';
import type { Queryable } from '../pool';

/** How far back the list looks by default: a caller who hung up a week ago has long moved on. */
export const ABANDONED_LIST_DAYS = 7;

/**
 * The open abandoned calls of `queues` over the last `days` (see
 * openAbandonedCalls for what is open): the calls, the call-back attempts
 * recorded against them and the answered calls with their numbers since.
 */
export async function listAbandonedCalls(q: Queryable, queues: readonly string[], options: { days?: number; now?: Date } = {}): Promise<AbandonedEntry[]> {
  if (queues.length === 0) return [];
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.days ?? ABANDONED_LIST_DAYS) * 86_400_000);
  const { rows } = await q.query<{
    id: string; queue_name: string; caller_e164: string | null; client_id: number | null; client_name: string | null; at: Date; queue_wait_ms: number | null;
  }>(
    `SELECT c.id, c.queue_name, c.caller_e164, c.client_id, cl.name AS client_name, COALESCE(c.ended_at, c.started_at) AS at, c.queue_wait_ms
     FROM calls c LEFT JOIN clients cl ON cl.id = c.client_id
     WHERE c.outcome = ANY($1::text[]) AND c.queue_name = ANY($2::text[]) AND c.started_at >= $3 AND c.direction = 'inbound'`,
    [[...ABANDONED_OUTCOMES], [...queues], since],
  );
  const calls: AbandonedCall[] = rows.map((r) => ({
    callId: r.id, queue: r.queue_name, callerNumber: r.caller_e164, clientId: r.client_id, clientName: r.client_name, abandonedAt: r.at, waitMs: r.queue_wait_ms,
  }));
  if (calls.length === 0) return [];
  const attempts = await q.query<{ call_id: string; result: CallbackResult; at: Date; staff_id: number | null }>(
    'SELECT call_id, result, at, staff_id FROM abandoned_callbacks WHERE call_id = ANY($1::uuid[]) ORDER BY at, id', [calls.map((c) => c.callId)]);
  const numbers = [...new Set(calls.map((c) => c.callerNumber).filter((n): n is string => n !== null))];
  // Talking to the caller since: an inbound call of theirs answered, or any call to them that was answered.
  const answered = await q.query<{ number: string; at: Date }>(
    `SELECT CASE WHEN direction = 'inbound' THEN caller_e164 ELSE dialed_number END AS number, COALESCE(agent_answered_at, answered_at) AS at
     FROM calls
     WHERE started_at >= $2 AND outcome IN ('answered', 'transferred')
       AND ((direction = 'inbound' AND caller_e164 = ANY($1::text[])) OR (direction IN ('outbound', 'callback') AND dialed_number = ANY($1::text[])))`,
    [numbers, since],
  );
  const tried: CallbackAttempt[] = attempts.rows.map((r) => ({ callId: r.call_id, result: r.result, at: r.at, staffId: r.staff_id }));
  const contacts: AnsweredContact[] = answered.rows.filter((r) => r.at !== null).map((r) => ({ number: r.number, at: r.at }));
  return openAbandonedCalls(calls, tried, contacts);
}

/** The queue an abandoned call was in; null when the call is not an abandoned one. */
export async function abandonedCallQueue(q: Queryable, callId: string): Promise<string | null> {
  const { rows } = await q.query<{ queue_name: string | null }>(
    'SELECT queue_name FROM calls WHERE id = $1 AND outcome = ANY($2::text[])', [callId, [...ABANDONED_OUTCOMES]]);
  return rows[0]?.queue_name ?? null;
}

/** Records one call-back attempt. */
export async function recordAbandonedCallback(q: Queryable, callId: string, staffId: number | null, result: CallbackResult): Promise<CallbackAttempt> {
  const { rows } = await q.query<{ at: Date }>(
    'INSERT INTO abandoned_callbacks (call_id, staff_id, result) VALUES ($1, $2, $3) RETURNING at', [callId, staffId, result]);
  return { callId, staffId, result, at: rows[0]!.at };
}

/** Names of the queues a staff member works (is a member of). */
export async function queuesOfStaff(q: Queryable, staffId: number): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>(
    'SELECT q.name FROM queue_members m JOIN queues q ON q.id = m.queue_id WHERE m.staff_id = $1 ORDER BY q.name', [staffId]);
  return rows.map((r) => r.name);
}

/** Every active queue's name: what supervisors may choose from. */
export async function allQueueNames(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>('SELECT name FROM queues WHERE active ORDER BY name');
  return rows.map((r) => r.name);
}
