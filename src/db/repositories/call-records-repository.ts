import pg from 'pg';
import type { CallEventData } from '../../calls/call-event';
import type { CallRecord, IvrPathEntry, TransferFact } from '../../calls/call-record';
import type { CallDetailWriteResult, CallRecordStore, CallWriteResult } from '../../calls/call-record-store';
import type { RecordingMetadata, WrapUpRecord } from '../../calls/recording-metadata';
import type { RecordingDueForPurge, RecordingPurgeStore } from '../../calls/recording-purge-store';
import { inTransaction, type Db, type DbClient, type Queryable } from '../pool';

// SQLSTATE classes that say "try again later" rather than "this statement is wrong":
// connection exceptions, insufficient resources, operator intervention (shutdown, starting up),
// system errors, and transaction rollbacks (serialization failure, deadlock).
const RETRYABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58', '40']);

/**
 * True when a write failed because of what was written (a constraint, a bad
 * value): the server answered, and the same write will fail the same way.
 * False for everything that may pass later — Postgres unreachable, restarting,
 * the connection cut (`terminated`), a timeout, a deadlock.
 */
export function isPermanentStoreError(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return false;
  const code = err.code ?? '';
  return code.length === 5 && !RETRYABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

const ms = (value: number | null): Date | null => (value === null ? null : new Date(value));

/**
 * Writes a finished call's row and its whole timeline atomically: a call's
 * first write in one statement (insertNewCall), any later one in one
 * transaction.
 *
 * Idempotent: the call id is the primary key and events are unique on
 * (call_id, seq), both inserted with ON CONFLICT DO NOTHING, so writing the
 * same record again (after a lost COMMIT acknowledgement, or by two outbox
 * drainers) changes nothing and answers `duplicate`. The first write wins —
 * except over a row marked `interrupted`: a survivor wrote that for a process
 * it took for dead, and the call's own record (the process was only stalled)
 * replaces it with its whole timeline.
 *
 * References that no longer resolve (a client, queue, agent or disposition
 * code deleted since, a recording not converted yet) are stored as NULL rather
 * than refusing the row — the columns are ON DELETE SET NULL anyway, and a
 * call must never be lost because a person left. The timeline keeps the ids.
 */
export async function writeCallRecord(db: Db, record: CallRecord): Promise<CallWriteResult> {
  if (await insertNewCall(db, record)) return 'written';
  // The row is there already: the same record again (a retry), or a survivor's row for an interrupted call.
  return inTransaction(db, async (client) => {
    const row = await upsertCallRow(client, record);
    // The survivor's timeline ends in its own `ended` event at the seq the real one has: the call's own timeline replaces it.
    if (row === 'replaced') await client.query('DELETE FROM call_events WHERE call_id = $1', [record.id]);
    await insertCallEvents(client, record);
    return row === 'unchanged' ? 'duplicate' : 'written';
  });
}

/** What writing a call row did: inserted it, replaced an interrupted call's row with the call's own record, or nothing (already stored). */
type CallRowWrite = 'inserted' | 'replaced' | 'unchanged';

/** The calls columns a record fills, in the order of callRowValues. */
const CALL_COLUMNS = `id, sip_call_id, direction, trunk, caller_number, caller_e164, dialed_number,
       client_id, client_type, ivr_flow_version, routing_config_version,
       started_at, answered_at, ivr_started_at, ivr_ended_at, queued_at, offered_at, agent_answered_at, ended_at,
       ivr_path, routing_decision, routing_reason,
       queue_id, queue_name, queue_wait_ms, agent_id, agent_ids, talk_ms, hold_ms, transfers,
       hangup_side, hangup_cause, outcome, disposition_code, recording_id`;

/** The values of CALL_COLUMNS, $1–$35 of callRowValues. */
const CALL_VALUES = `$1, $2, $3, $4, $5, $6, $7,
       (SELECT id FROM clients WHERE id = $8::int), $9, $10, $11,
       $12, $13, $14, $15, $16, $17, $18, $19,
       $20::jsonb, $21::jsonb, $22,
       COALESCE((SELECT id FROM queues WHERE id = $23::int), (SELECT id FROM queues WHERE name = $24::text)),
       $24, $25, (SELECT id FROM staff WHERE id = $26::int), $27::int[], $28, $29, $30::jsonb,
       $31, $32, $33, (SELECT code FROM disposition_codes WHERE code = $34::text), (SELECT id FROM recordings WHERE id = $35::uuid)`;

function callRowValues(r: CallRecord): unknown[] {
  return [
    r.id, r.sipCallId, r.direction, r.trunk, r.callerNumber, r.callerE164, r.dialedNumber,
    r.clientId, r.clientType, r.ivrFlowVersion, r.routingConfigVersion,
    ms(r.startedAt), ms(r.answeredAt), ms(r.ivrStartedAt), ms(r.ivrEndedAt), ms(r.queuedAt), ms(r.offeredAt), ms(r.agentAnsweredAt), ms(r.endedAt),
    JSON.stringify(r.ivrPath), r.routingDecision === null ? null : JSON.stringify(r.routingDecision), r.routingReason,
    r.queueId, r.queueName, r.queueWaitMs, r.agentId, r.agentIds, r.talkMs, r.holdMs, JSON.stringify(r.transfers),
    r.hangupSide, r.hangupCause, r.outcome, r.dispositionCode, r.recordingId,
  ];
}

/** The timeline as the parallel arrays call_events is filled from with unnest. */
function callEventArrays(r: CallRecord): unknown[] {
  return [
    r.events.map((e) => e.seq),
    r.events.map((e) => new Date(e.at).toISOString()),
    r.events.map((e) => e.type),
    r.events.map((e) => JSON.stringify(e.data)),
  ];
}

/**
 * The usual write — a call's first — as one statement: its row and its whole
 * timeline, atomic as any statement is, in one round trip instead of four
 * (BEGIN, row, timeline, COMMIT), and prepared once per connection (named).
 * bench:sip (issue 16) had Postgres at ~0.9 ms of CPU per IVR call, the most
 * of it here. False when the call's row exists: nothing was written then.
 */
async function insertNewCall(db: Queryable, r: CallRecord): Promise<boolean> {
  const result = await db.query<{ inserted: string }>({
    name: 'insert-new-call',
    text: `WITH new_call AS (
       INSERT INTO calls (${CALL_COLUMNS})
       VALUES (${CALL_VALUES})
       ON CONFLICT (id) DO NOTHING
       RETURNING id
     ), new_events AS (
       INSERT INTO call_events (call_id, seq, at, type, data)
       SELECT new_call.id, e.seq, e.at, e.type, e.data
       FROM new_call, unnest($36::int[], $37::timestamptz[], $38::text[], $39::jsonb[]) AS e(seq, at, type, data)
     )
     SELECT count(*) AS inserted FROM new_call`,
    values: [...callRowValues(r), ...callEventArrays(r)],
  });
  return Number(result.rows[0]?.inserted ?? 0) > 0;
}

async function upsertCallRow(client: DbClient, r: CallRecord): Promise<CallRowWrite> {
  const result = await client.query<{ inserted: boolean }>(
    `INSERT INTO calls (${CALL_COLUMNS})
     VALUES (${CALL_VALUES})
     ON CONFLICT (id) DO UPDATE SET
       sip_call_id = EXCLUDED.sip_call_id, direction = EXCLUDED.direction, trunk = EXCLUDED.trunk,
       caller_number = EXCLUDED.caller_number, caller_e164 = EXCLUDED.caller_e164, dialed_number = EXCLUDED.dialed_number,
       client_id = EXCLUDED.client_id, client_type = EXCLUDED.client_type, ivr_flow_version = EXCLUDED.ivr_flow_version,
       routing_config_version = EXCLUDED.routing_config_version, started_at = EXCLUDED.started_at, answered_at = EXCLUDED.answered_at,
       ivr_started_at = EXCLUDED.ivr_started_at, ivr_ended_at = EXCLUDED.ivr_ended_at, queued_at = EXCLUDED.queued_at,
       offered_at = EXCLUDED.offered_at, agent_answered_at = EXCLUDED.agent_answered_at, ended_at = EXCLUDED.ended_at,
       ivr_path = EXCLUDED.ivr_path, routing_decision = EXCLUDED.routing_decision, routing_reason = EXCLUDED.routing_reason,
       queue_id = EXCLUDED.queue_id, queue_name = EXCLUDED.queue_name, queue_wait_ms = EXCLUDED.queue_wait_ms,
       agent_id = EXCLUDED.agent_id, agent_ids = EXCLUDED.agent_ids, talk_ms = EXCLUDED.talk_ms, hold_ms = EXCLUDED.hold_ms,
       transfers = EXCLUDED.transfers, hangup_side = EXCLUDED.hangup_side, hangup_cause = EXCLUDED.hangup_cause,
       outcome = EXCLUDED.outcome, disposition_code = COALESCE(calls.disposition_code, EXCLUDED.disposition_code),
       recording_id = COALESCE(calls.recording_id, EXCLUDED.recording_id), updated_at = now()
     -- Only a row a survivor wrote for an interrupted call gives way, and only to the call's own record:
     -- otherwise the first write wins, which keeps a repeated write a no-op.
     WHERE calls.outcome = 'interrupted' AND EXCLUDED.outcome <> 'interrupted'
     RETURNING (xmax = 0) AS inserted`,
    callRowValues(r),
  );
  const row = result.rows[0];
  if (!row) return 'unchanged';
  return row.inserted ? 'inserted' : 'replaced';
}

async function insertCallEvents(client: DbClient, r: CallRecord): Promise<void> {
  if (r.events.length === 0) return;
  // unnest over parallel arrays: one statement for the whole timeline, whatever its length.
  await client.query(
    `INSERT INTO call_events (call_id, seq, at, type, data)
     SELECT $1::uuid, seq, at, type, data
     FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::jsonb[]) AS e(seq, at, type, data)
     ON CONFLICT (call_id, seq) DO NOTHING`,
    [r.id, ...callEventArrays(r)],
  );
}

/** Locks the call row against deletion for the transaction; false when it is not there (yet). */
async function callExists(client: DbClient, callId: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM calls WHERE id = $1 FOR KEY SHARE', [callId]);
  return (rowCount ?? 0) > 0;
}

/**
 * Stores a recording's metadata and links it to its call (calls.recording_id,
 * unless the call already has one). Idempotent on the recording id.
 * `call_missing` when the call row has not been written yet.
 */
export async function writeRecording(db: Db, recording: RecordingMetadata): Promise<CallDetailWriteResult> {
  return inTransaction(db, async (client) => {
    if (!(await callExists(client, recording.callId))) return 'call_missing';
    const result = await client.query(
      `INSERT INTO recordings (id, call_id, file_path, format, channels, sample_rate, duration_ms, size_bytes, purge_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO NOTHING`,
      [
        recording.id, recording.callId, recording.filePath, recording.format ?? 'wav', recording.channels ?? 2,
        recording.sampleRate ?? 8000, recording.durationMs, recording.sizeBytes, ms(recording.purgeAfter ?? null),
      ],
    );
    await client.query('UPDATE calls SET recording_id = $1, updated_at = now() WHERE id = $2 AND recording_id IS NULL', [recording.id, recording.callId]);
    return (result.rowCount ?? 0) === 1 ? 'written' : 'duplicate';
  });
}

/**
 * Stores an agent's wrap-up (one per agent per call) and makes its code the
 * call's disposition unless the call has one already (the first agent's
 * wrap-up decides, whatever order retries arrive in). `call_missing` when the
 * call row has not been written yet.
 */
export async function writeWrapUp(db: Db, wrapUp: WrapUpRecord): Promise<CallDetailWriteResult> {
  return inTransaction(db, async (client) => {
    if (!(await callExists(client, wrapUp.callId))) return 'call_missing';
    const result = await client.query(
      `INSERT INTO wrap_ups (call_id, staff_id, disposition_code, notes, order_reference, order_amount)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (call_id, staff_id) DO NOTHING`,
      [wrapUp.callId, wrapUp.staffId, wrapUp.dispositionCode, wrapUp.notes ?? '', wrapUp.orderReference ?? null, wrapUp.orderAmount ?? null],
    );
    await client.query(
      'UPDATE calls SET disposition_code = $1, updated_at = now() WHERE id = $2 AND disposition_code IS NULL',
      [wrapUp.dispositionCode, wrapUp.callId],
    );
    return (result.rowCount ?? 0) === 1 ? 'written' : 'duplicate';
  });
}

/** One event of a stored timeline. */
export interface StoredCallEvent {
  seq: number;
  at: string;
  type: string;
  data: CallEventData;
}

/** A stored recording's metadata. */
export interface StoredRecording {
  id: string;
  callId: string;
  filePath: string;
  format: string;
  channels: number;
  sampleRate: number;
  durationMs: number;
  sizeBytes: number;
  createdAt: string;
  purgeAfter: string | null;
  purgedAt: string | null;
}

/** A stored wrap-up. */
export interface StoredWrapUp {
  staffId: number;
  dispositionCode: string;
  notes: string;
  orderReference: string | null;
  orderAmount: number | null;
  /** A regional order's details (DESIGN.md §1 rule 8); null for other calls. */
  paymentForm: string | null;
  deliveryDate: string | null;
  shippingDetails: string | null;
  createdAt: string;
}

/** A call as stored, with its ordered timeline (times as ISO strings). */
export interface StoredCall {
  id: string;
  sipCallId: string | null;
  direction: string;
  trunk: string | null;
  callerNumber: string;
  callerE164: string | null;
  dialedNumber: string | null;
  clientId: number | null;
  clientType: string | null;
  ivrFlowVersion: number | null;
  routingConfigVersion: number | null;
  startedAt: string;
  answeredAt: string | null;
  ivrStartedAt: string | null;
  ivrEndedAt: string | null;
  queuedAt: string | null;
  offeredAt: string | null;
  agentAnsweredAt: string | null;
  endedAt: string | null;
  ivrPath: IvrPathEntry[];
  routingDecision: unknown;
  routingReason: string | null;
  queueId: number | null;
  queueName: string | null;
  queueWaitMs: number | null;
  agentId: number | null;
  agentIds: number[];
  talkMs: number | null;
  holdMs: number;
  transfers: TransferFact[];
  hangupSide: string | null;
  hangupCause: string | null;
  outcome: string | null;
  dispositionCode: string | null;
  recordingId: string | null;
  events: StoredCallEvent[];
  recording: StoredRecording | null;
  wrapUps: StoredWrapUp[];
}

interface CallRow {
  id: string; sip_call_id: string | null; direction: string; trunk: string | null; caller_number: string; caller_e164: string | null;
  dialed_number: string | null; client_id: number | null; client_type: string | null; ivr_flow_version: number | null;
  routing_config_version: number | null; started_at: Date; answered_at: Date | null; ivr_started_at: Date | null;
  ivr_ended_at: Date | null; queued_at: Date | null; offered_at: Date | null; agent_answered_at: Date | null; ended_at: Date | null;
  ivr_path: IvrPathEntry[]; routing_decision: unknown; routing_reason: string | null; queue_id: number | null; queue_name: string | null;
  queue_wait_ms: number | null; agent_id: number | null; agent_ids: number[]; talk_ms: number | null; hold_ms: number;
  transfers: TransferFact[]; hangup_side: string | null; hangup_cause: string | null; outcome: string | null;
  disposition_code: string | null; recording_id: string | null;
}

interface RecordingRow {
  id: string; call_id: string; file_path: string; format: string; channels: number; sample_rate: number; duration_ms: number;
  size_bytes: number; created_at: Date; purge_after: Date | null; purged_at: Date | null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const toRecording = (r: RecordingRow): StoredRecording => ({
  id: r.id, callId: r.call_id, filePath: r.file_path, format: r.format, channels: r.channels, sampleRate: r.sample_rate,
  durationMs: r.duration_ms, sizeBytes: r.size_bytes, createdAt: r.created_at.toISOString(), purgeAfter: iso(r.purge_after), purgedAt: iso(r.purged_at),
});

/** One call with its timeline in order, its recording and its wrap-ups; null when not stored. */
export async function findCall(q: Queryable, id: string): Promise<StoredCall | null> {
  const { rows } = await q.query<CallRow>('SELECT * FROM calls WHERE id = $1', [id]);
  const r = rows[0];
  if (!r) return null;
  const events = await q.query<{ seq: number; at: Date; type: string; data: CallEventData }>(
    'SELECT seq, at, type, data FROM call_events WHERE call_id = $1 ORDER BY seq',
    [id],
  );
  const recording = r.recording_id === null
    ? null
    : (await q.query<RecordingRow>('SELECT * FROM recordings WHERE id = $1', [r.recording_id])).rows[0] ?? null;
  const wrapUps = await q.query<{
    staff_id: number; disposition_code: string; notes: string; order_reference: string | null; order_amount: number | null;
    payment_form: string | null; delivery_date: string | null; shipping_details: string | null; created_at: Date;
  }>(
    `SELECT staff_id, disposition_code, notes, order_reference, order_amount, payment_form, to_char(delivery_date, 'YYYY-MM-DD') AS delivery_date,
            shipping_details, created_at
     FROM wrap_ups WHERE call_id = $1 ORDER BY id`,
    [id],
  );
  return {
    id: r.id, sipCallId: r.sip_call_id, direction: r.direction, trunk: r.trunk, callerNumber: r.caller_number,
    callerE164: r.caller_e164, dialedNumber: r.dialed_number, clientId: r.client_id, clientType: r.client_type,
    ivrFlowVersion: r.ivr_flow_version, routingConfigVersion: r.routing_config_version,
    startedAt: r.started_at.toISOString(), answeredAt: iso(r.answered_at), ivrStartedAt: iso(r.ivr_started_at),
    ivrEndedAt: iso(r.ivr_ended_at), queuedAt: iso(r.queued_at), offeredAt: iso(r.offered_at),
    agentAnsweredAt: iso(r.agent_answered_at), endedAt: iso(r.ended_at),
    ivrPath: r.ivr_path, routingDecision: r.routing_decision, routingReason: r.routing_reason,
    queueId: r.queue_id, queueName: r.queue_name, queueWaitMs: r.queue_wait_ms, agentId: r.agent_id, agentIds: r.agent_ids,
    talkMs: r.talk_ms, holdMs: r.hold_ms, transfers: r.transfers, hangupSide: r.hangup_side, hangupCause: r.hangup_cause,
    outcome: r.outcome, dispositionCode: r.disposition_code, recordingId: r.recording_id,
    events: events.rows.map((e) => ({ seq: e.seq, at: e.at.toISOString(), type: e.type, data: e.data })),
    recording: recording ? toRecording(recording) : null,
    wrapUps: wrapUps.rows.map((w) => ({
      staffId: w.staff_id, dispositionCode: w.disposition_code, notes: w.notes, orderReference: w.order_reference,
      orderAmount: w.order_amount, paymentForm: w.payment_form, deliveryDate: w.delivery_date, shippingDetails: w.shipping_details,
      createdAt: w.created_at.toISOString(),
    })),
  };
}

/**
 * Recordings not purged yet whose time is up at `now`: their own purge_after
 * when set, else created_at + `retentionMs` (null retention: only those with a
 * purge_after). Oldest first, at most `limit`.
 */
export async function listRecordingsDueForPurge(
  q: Queryable,
  options: { now: number; retentionMs: number | null; limit: number },
): Promise<RecordingDueForPurge[]> {
  const { rows } = await q.query<{ id: string; call_id: string; file_path: string }>(
    `SELECT id, call_id, file_path FROM recordings
     WHERE purged_at IS NULL
       AND COALESCE(purge_after, created_at + make_interval(secs => $2::double precision / 1000)) <= $1
     ORDER BY created_at, id
     LIMIT $3`,
    [new Date(options.now), options.retentionMs, options.limit],
  );
  return rows.map((r) => ({ id: r.id, callId: r.call_id, filePath: r.file_path }));
}

/** Marks a recording purged (its file is gone); false when it already was. */
export async function markRecordingPurged(q: Queryable, id: string, at: number): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE recordings SET purged_at = $2 WHERE id = $1 AND purged_at IS NULL', [id, new Date(at)]);
  return (rowCount ?? 0) > 0;
}

/** CallRecordWriter's store (src/calls/call-record-store.ts) in Postgres. */
export function callRecordStore(db: Db): CallRecordStore {
  return {
    writeCall: (record) => writeCallRecord(db, record),
    writeRecording: (recording) => writeRecording(db, recording),
    writeWrapUp: (wrapUp) => writeWrapUp(db, wrapUp),
    isPermanentError: isPermanentStoreError,
  };
}

/** The recording purge's store (src/calls/recording-purge-store.ts) in Postgres. */
export function recordingPurgeStore(q: Queryable): RecordingPurgeStore {
  return {
    listDueForPurge: (options) => listRecordingsDueForPurge(q, options),
    markPurged: (id, at) => markRecordingPurged(q, id, at),
  };
}

/** One recording's metadata; null when there is no such recording. */
export async function findRecording(q: Queryable, id: string): Promise<StoredRecording | null> {
  const { rows } = await q.query<RecordingRow>('SELECT * FROM recordings WHERE id = $1', [id]);
  return rows[0] ? toRecording(rows[0]) : null;
}
