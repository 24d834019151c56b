import { encodeCallLogCursor, type CallLogPosition } from '../../reports/call-log-cursor';
import type { Queryable } from '../pool';

/** What the call log can be narrowed by; every field is optional and they combine with AND. */
export interface CallLogFilter {
  from?: Date | null;
  to?: Date | null;
  /** Calls from this E.164 number… */
  callerE164?: string | null;
  /** …or whose caller number ends with these digits (either matches). */
  callerDigitsSuffix?: string | null;
  clientId?: number | null;
  /** Part of the client's name, any case. */
  clientName?: string | null;
  /** Calls this staff member took part in. */
  agentId?: number | null;
  /** A second agent restriction, applied whatever the filter says: an operator sees only their own calls. */
  restrictToAgentId?: number | null;
  queue?: string | null;
  disposition?: string | null;
  outcome?: string | null;
  direction?: string | null;
  /** Continue after this call (the previous page's last). */
  after?: CallLogPosition | null;
  limit: number;
}

/** One line of the call log. */
export interface CallLogItem {
  callId: string;
  startedAt: string;
  direction: string;
  callerNumber: string;
  clientName: string | null;
  clientType: string | null;
  queue: string | null;
  /** Every agent connected to the caller, in order (removed staff are left out). */
  agentNames: string[];
  outcome: string | null;
  /** Queue wait (queue entry → agent answer, or → the end). */
  waitMs: number | null;
  talkMs: number | null;
  dispositionCode: string | null;
  /** A recording is stored and not purged yet (it can be played). */
  hasRecording: boolean;
}

export interface CallLogPage {
  items: CallLogItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface CallLogRow {
  id: string; started_at: Date; started_at_key: string; direction: string; caller_number: string; client_name: string | null;
  client_type: string | null; queue_name: string | null; agent_names: string[]; outcome: string | null; queue_wait_ms: number | null;
  talk_ms: number | null; disposition_code: string | null; has_recording: boolean;
}

/** Digits of a caller number reversed: the indexed expression suffix searches run against (migration 1763900800000). */
export const CALLER_DIGITS_REVERSED = "reverse(regexp_replace(c.caller_number, '[^0-9]', '', 'g'))";

/** Escapes LIKE wildcards so a user's text matches literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Adds a query parameter and returns its placeholder (`$n`). */
export type SqlParam = (value: unknown) => string;

/** A placeholder maker over a fresh parameter list, for a query built a condition at a time. */
export function sqlParams(): { params: unknown[]; param: SqlParam } {
  const params: unknown[] = [];
  return { params, param: (value) => {
    params.push(value);
    return `$${params.length}`;
  } };
}

/**
 * The call log's filter as WHERE conditions on `calls c` (ANDed), the keyset
 * position included: shared with the quality team's call picker, so a filter
 * means the same in both.
 */
export function callLogConditions(filter: Omit<CallLogFilter, 'limit'>, param: SqlParam): string[] {
  const where: string[] = [];
  if (filter.from) where.push(`c.started_at >= ${param(filter.from)}`);
  if (filter.to) where.push(`c.started_at < ${param(filter.to)}`);
  const numberMatches: string[] = [];
  if (filter.callerE164) numberMatches.push(`c.caller_e164 = ${param(filter.callerE164)}`);
  if (filter.callerDigitsSuffix) {
    numberMatches.push(`${CALLER_DIGITS_REVERSED} LIKE ${param(likeLiteral([...filter.callerDigitsSuffix].reverse().join('')) + '%')}`);
  }
  if (numberMatches.length > 0) where.push(`(${numberMatches.join(' OR ')})`);
  if (filter.clientId != null) where.push(`c.client_id = ${param(filter.clientId)}`);
  if (filter.clientName) {
    // Clients are few next to calls: find the matching ones first, then their calls by index.
    where.push(`c.client_id IN (SELECT id FROM clients WHERE lower(name) LIKE ${param(`%${likeLiteral(filter.clientName.toLowerCase())}%`)})`);
  }
  for (const agentId of [filter.agentId, filter.restrictToAgentId]) {
    if (agentId != null) where.push(`c.agent_ids @> ARRAY[${param(agentId)}::int]`);
  }
  if (filter.queue) where.push(`c.queue_name = ${param(filter.queue)}`);
  if (filter.disposition) where.push(`c.disposition_code = ${param(filter.disposition)}`);
  if (filter.outcome) where.push(`c.outcome = ${param(filter.outcome)}`);
  if (filter.direction) where.push(`c.direction = ${param(filter.direction)}`);
  if (filter.after) where.push(`(c.started_at, c.id) < (${param(filter.after.startedAt)}::timestamptz, ${param(filter.after.id)}::uuid)`);
  return where;
}

/**
 * A page of the call log, newest first (keyset on (started_at, id)
 * descending). Fetches one row more than asked to know whether a next page exists.
 */
export async function listCallLog(q: Queryable, filter: CallLogFilter): Promise<CallLogPage> {
  const { params, param } = sqlParams();
  const where = callLogConditions(filter, param);
  const limit = param(filter.limit + 1);

  const { rows } = await q.query<CallLogRow>(
    `SELECT c.id, c.started_at, to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_at_key,
            c.direction, c.caller_number, cl.name AS client_name, c.client_type, c.queue_name,
            ARRAY(SELECT s.full_name FROM unnest(c.agent_ids) WITH ORDINALITY AS a(id, n) JOIN staff s ON s.id = a.id ORDER BY a.n) AS agent_names,
            c.outcome, c.queue_wait_ms, c.talk_ms, c.disposition_code,
            (r.id IS NOT NULL AND r.purged_at IS NULL) AS has_recording
     FROM calls c
     LEFT JOIN clients cl ON cl.id = c.client_id
     LEFT JOIN recordings r ON r.id = c.recording_id
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY c.started_at DESC, c.id DESC
     LIMIT ${limit}`,
    params,
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      callId: r.id, startedAt: r.started_at.toISOString(), direction: r.direction, callerNumber: r.caller_number,
      clientName: r.client_name, clientType: r.client_type, queue: r.queue_name, agentNames: r.agent_names, outcome: r.outcome,
      waitMs: r.queue_wait_ms, talkMs: r.talk_ms, dispositionCode: r.disposition_code, hasRecording: r.has_recording,
    })),
    nextCursor: rows.length > filter.limit && last ? encodeCallLogCursor({ startedAt: last.started_at_key, id: last.id }) : null,
  };
}

/** A ring of an agent's phone for the call, read off its timeline. */
export interface CallRing {
  agentId: number;
  agentName: string | null;
  at: string;
  /** How long it rang, until answered, missed or the caller left; null while unknown. */
  ringMs: number | null;
  result: 'answered' | 'missed' | 'caller_left';
  /** For a missed ring: why (no answer, busy, unregistered…). */
  reason: string | null;
}

/** What the call view needs besides the stored call: names for the ids, and the rings summed up. */
export interface CallViewExtras {
  clientName: string | null;
  queueLabel: string | null;
  agentNames: string[];
  /** Staff id → name, for every person the call or its wrap-ups mention. */
  staffNames: Record<string, string>;
  rings: CallRing[];
  recordingDurationMs: number | null;
}

/** Names and the ring summary for one stored call (GET /api/calls/:id). */
export async function loadCallViewExtras(
  q: Queryable,
  call: { id: string; clientId: number | null; queueName: string | null; agentIds: number[]; wrapUps: { staffId: number }[]; recording: { durationMs: number } | null },
): Promise<CallViewExtras> {
  const events = await q.query<{ seq: number; at: Date; type: string; agent_id: number | null; reason: string | null }>(
    `SELECT seq, at, type, (data->>'agentId')::int AS agent_id, data->>'reason' AS reason
     FROM call_events WHERE call_id = $1 ORDER BY seq`,
    [call.id],
  );
  const rings: Array<Omit<CallRing, 'agentName'> & { started: number }> = [];
  let ringing: (Omit<CallRing, 'agentName'> & { started: number }) | null = null;
  const close = (at: Date, result: CallRing['result'], reason: string | null): void => {
    if (!ringing) return;
    ringing.ringMs = Math.max(0, at.getTime() - ringing.started);
    ringing.result = result;
    ringing.reason = reason;
    ringing = null;
  };
  for (const e of events.rows) {
    if (e.type === 'offered' && e.agent_id !== null) {
      close(e.at, 'missed', 'offered elsewhere');
      ringing = { agentId: e.agent_id, at: e.at.toISOString(), started: e.at.getTime(), ringMs: null, result: 'caller_left', reason: null };
      rings.push(ringing);
    } else if (e.type === 'offer_missed') {
      close(e.at, 'missed', e.reason);
    } else if (e.type === 'agent_answered') {
      close(e.at, 'answered', null);
    } else if (e.type === 'ended') {
      close(e.at, 'caller_left', null);
    }
  }
  const staffIds = [...new Set([...call.agentIds, ...call.wrapUps.map((w) => w.staffId), ...rings.map((r) => r.agentId)])];
  const names = await q.query<{ id: number; full_name: string }>('SELECT id, full_name FROM staff WHERE id = ANY($1::int[])', [staffIds]);
  const staffNames = new Map(names.rows.map((r) => [r.id, r.full_name]));
  const client = call.clientId === null ? null : (await q.query<{ name: string }>('SELECT name FROM clients WHERE id = $1', [call.clientId])).rows[0];
  const queue = call.queueName === null ? null : (await q.query<{ label: string }>('SELECT label FROM queues WHERE name = $1', [call.queueName])).rows[0];
  return {
    clientName: client?.name ?? null,
    queueLabel: queue?.label ?? null,
    agentNames: call.agentIds.map((id) => staffNames.get(id)).filter((n): n is string => n !== undefined),
    staffNames: Object.fromEntries([...staffNames].map(([id, name]) => [String(id), name])),
    rings: rings.map(({ started: _started, ...ring }) => ({ ...ring, agentName: staffNames.get(ring.agentId) ?? null })),
    recordingDurationMs: call.recording?.durationMs ?? null,
  };
}
