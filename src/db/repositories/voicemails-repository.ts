import type { NewVoicemail, VoicemailOwner, VoicemailReader, VoicemailStore } from '../../calls/voicemail';
import type { Db, Queryable } from '../pool';

/** A message as the API lists it. */
export interface VoicemailView {
  id: string;
  callId: string;
  recordingId: string;
  offsetMs: number;
  callerNumber: string;
  clientId: number | null;
  clientName: string | null;
  owner: VoicemailOwner;
  recordedAt: string;
  durationMs: number;
  endedBy: NewVoicemail['endedBy'];
  doneAt: string | null;
  doneBy: number | null;
  doneByName: string | null;
  /** The audio can be played: its recording is stored (the call has ended) and not purged. */
  playable: boolean;
  /** The audio was deleted under the recordings' retention. */
  purged: boolean;
}

interface VoicemailRow {
  id: string; call_id: string; recording_id: string; offset_ms: number; caller_number: string; client_id: number | null; client_name: string | null;
  queue_name: string | null; owner_staff_id: number | null; recorded_at: Date; duration_ms: number; ended_by: NewVoicemail['endedBy'];
  done_at: Date | null; done_by: number | null; done_by_name: string | null; file_path: string | null; purged_at: Date | null;
}

const toView = (r: VoicemailRow): VoicemailView => ({
  id: r.id, callId: r.call_id, recordingId: r.recording_id, offsetMs: r.offset_ms, callerNumber: r.caller_number,
  clientId: r.client_id, clientName: r.client_name,
  owner: r.owner_staff_id !== null ? { kind: 'staff', staffId: r.owner_staff_id } : { kind: 'queue', queue: r.queue_name ?? '' },
  recordedAt: r.recorded_at.toISOString(), durationMs: r.duration_ms, endedBy: r.ended_by,
  doneAt: r.done_at?.toISOString() ?? null, doneBy: r.done_by, doneByName: r.done_by_name,
  playable: r.file_path !== null && r.purged_at === null, purged: r.purged_at !== null,
});

const SELECT = `
  SELECT v.id, v.call_id, v.recording_id, v.offset_ms, v.caller_number, v.client_id, c.name AS client_name, v.queue_name, v.owner_staff_id,
         v.recorded_at, v.duration_ms, v.ended_by, v.done_at, v.done_by, d.full_name AS done_by_name, r.file_path, r.purged_at
  FROM voicemails v
  LEFT JOIN clients c ON c.id = v.client_id
  LEFT JOIN staff d ON d.id = v.done_by
  LEFT JOIN recordings r ON r.id = v.recording_id`;

/** The call sessions' store (src/calls/voicemail.ts). */
export function voicemailStore(db: Db): VoicemailStore {
  return {
    async add(message: NewVoicemail): Promise<void> {
      await db.query(
        `INSERT INTO voicemails (id, call_id, recording_id, offset_ms, caller_number, client_id, queue_name, owner_staff_id, recorded_at, duration_ms, ended_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
        [
          message.id, message.callId, message.recordingId, Math.round(message.offsetMs), message.callerNumber, message.clientId,
          message.owner.kind === 'queue' ? message.owner.queue : null, message.owner.kind === 'staff' ? message.owner.staffId : null,
          message.recordedAt, Math.round(message.durationMs), message.endedBy,
        ],
      );
    },
  };
}

/** The voicemail rights of a user: role, staff id and the queues they are a member of. */
export async function voicemailReader(q: Queryable, user: { role: VoicemailReader['role']; staffId: number | null }): Promise<VoicemailReader> {
  if (user.staffId === null) return { role: user.role, staffId: null, memberOf: [] };
  const { rows } = await q.query<{ name: string }>(
    'SELECT q.name FROM queue_members m JOIN queues q ON q.id = m.queue_id WHERE m.staff_id = $1 ORDER BY q.name', [user.staffId]);
  return { role: user.role, staffId: user.staffId, memberOf: rows.map((r) => r.name) };
}

/**
 * The messages `reader` may see, newest first: open ones only unless
 * `includeDone`. Operators: their queues' and their own; supervisors and
 * admins: every queue's and their own.
 */
export async function listVoicemails(q: Queryable, reader: VoicemailReader, options: { includeDone: boolean; limit: number }): Promise<VoicemailView[]> {
  const everyQueue = reader.role !== 'operator';
  const { rows } = await q.query<VoicemailRow>(
    `${SELECT}
     WHERE ((v.queue_name IS NOT NULL AND ($1::boolean OR v.queue_name = ANY($2::text[]))) OR v.owner_staff_id = $3)
       AND ($4::boolean OR v.done_at IS NULL)
     ORDER BY v.recorded_at DESC, v.id
     LIMIT $5`,
    [everyQueue, [...reader.memberOf], reader.staffId ?? -1, options.includeDone, options.limit],
  );
  return rows.map(toView);
}

/** One message with where its audio lies; null when there is none. */
export async function findVoicemail(q: Queryable, id: string): Promise<(VoicemailView & { filePath: string | null }) | null> {
  const { rows } = await q.query<VoicemailRow>(`${SELECT} WHERE v.id = $1`, [id]);
  const row = rows[0];
  return row ? { ...toView(row), filePath: row.file_path } : null;
}

/** Marks a message done (or open again) by `staffId`; false when it does not exist. */
export async function markVoicemailDone(q: Queryable, id: string, staffId: number | null, done: boolean): Promise<boolean> {
  // Done twice keeps the first who and when.
  const { rowCount } = done
    ? await q.query('UPDATE voicemails SET done_at = COALESCE(done_at, now()), done_by = CASE WHEN done_at IS NULL THEN $2 ELSE done_by END WHERE id = $1', [id, staffId])
    : await q.query('UPDATE voicemails SET done_at = NULL, done_by = NULL WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

/** Open messages per owner the reader may see: the softphone's badge. */
export async function countOpenVoicemails(q: Queryable, reader: VoicemailReader): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM voicemails v
     WHERE ((v.queue_name IS NOT NULL AND ($1::boolean OR v.queue_name = ANY($2::text[]))) OR v.owner_staff_id = $3) AND v.done_at IS NULL`,
    [reader.role !== 'operator', [...reader.memberOf], reader.staffId ?? -1],
  );
  return rows[0]?.n ?? 0;
}
