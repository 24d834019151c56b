import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../../src/db/pool';
import { chunk, fmtBody, riff } from '../../helpers/wav-builder';

export interface SeededCall {
  id: string;
  recordingId: string | null;
}

export interface QualityFixture {
  anna: number;
  ion: number;
  calls: Record<string, SeededCall>;
  /** A stereo WAV on disk that every recording points at. */
  wav: Buffer;
  /** Removes the WAV file. */
  remove(): void;
}

interface CallSpec {
  name: string;
  start: string;
  queue: string;
  agent: 'anna' | 'ion' | null;
  talkS: number;
  disposition?: string;
  /** A wrap-up code besides the call's own (the agent's note after the call). */
  wrapUp?: string;
  recordingS?: number;
  purged?: boolean;
}

/**
 * Ten calls on 2025-03-03 (a Monday) and two the week after: answered or not,
 * recorded or not, in two queues, with complaints as the call's disposition
 * or only on a wrap-up. The picker tests' expectations come from this table.
 */
export const CALLS: CallSpec[] = [
  { name: 'a1', start: '2025-03-03T09:00:00Z', queue: 'operators', agent: 'anna', talkS: 30, disposition: 'order_taken', recordingS: 61 },
  { name: 'a2', start: '2025-03-03T09:10:00Z', queue: 'operators', agent: 'anna', talkS: 240, disposition: 'complaint', recordingS: 245 },
  { name: 'a3', start: '2025-03-03T09:20:00Z', queue: 'regional', agent: 'anna', talkS: 90, disposition: 'enquiry_answered', wrapUp: 'complaint', recordingS: 95 },
  { name: 'a4', start: '2025-03-03T09:30:00Z', queue: 'operators', agent: 'anna', talkS: 600, recordingS: 605 },
  { name: 'i1', start: '2025-03-03T09:05:00Z', queue: 'operators', agent: 'ion', talkS: 45, disposition: 'complaint', recordingS: 50 },
  { name: 'i2', start: '2025-03-03T09:15:00Z', queue: 'regional', agent: 'ion', talkS: 120, recordingS: 125 },
  { name: 'i3', start: '2025-03-03T09:25:00Z', queue: 'regional', agent: 'ion', talkS: 20, disposition: 'order_taken', recordingS: 25 },
  // Not candidates: no recording, a purged recording, not answered.
  { name: 'x_norec', start: '2025-03-03T09:40:00Z', queue: 'operators', agent: 'anna', talkS: 100, disposition: 'complaint' },
  { name: 'x_purged', start: '2025-03-03T09:41:00Z', queue: 'operators', agent: 'ion', talkS: 100, disposition: 'complaint', recordingS: 105, purged: true },
  { name: 'x_unanswered', start: '2025-03-03T09:42:00Z', queue: 'operators', agent: null, talkS: 0, recordingS: 10 },
  { name: 'a5', start: '2025-03-10T09:00:00Z', queue: 'operators', agent: 'anna', talkS: 60, recordingS: 65 },
  { name: 'i4', start: '2025-03-11T09:00:00Z', queue: 'operators', agent: 'ion', talkS: 60, recordingS: 65 },
];

export async function loadQualityFixture(db: Db): Promise<QualityFixture> {
  const staff = await db.query<{ id: number; full_name: string }>(
    "INSERT INTO staff (full_name, role) VALUES ('Anna Petrova', 'operator'), ('Ion Popescu', 'operator') RETURNING id, full_name",
  );
  const idOf = (name: string): number => staff.rows.find((r) => r.full_name === name)!.id;
  const agents = { anna: idOf('Anna Petrova'), ion: idOf('Ion Popescu') };
  const wav = riff([chunk('fmt ', fmtBody({ channels: 2 })), chunk('data', Buffer.alloc(3200, 1))]);
  const file = path.join(os.tmpdir(), `quality-fixture-${process.pid}.wav`);
  writeFileSync(file, wav);
  const calls: Record<string, SeededCall> = {};
  for (const spec of CALLS) {
    const id = randomUUID();
    const agent = spec.agent === null ? null : agents[spec.agent];
    await db.query(
      `INSERT INTO calls (id, caller_number, caller_e164, started_at, ended_at, queue_name, agent_id, agent_ids, talk_ms, outcome, hangup_side, disposition_code)
       VALUES ($1, '+74950000000', '+74950000000', $2, $2::timestamptz + interval '15 minutes', $3, $4, $5, $6, $7, 'caller', $8)`,
      [id, spec.start, spec.queue, agent, agent === null ? [] : [agent], spec.talkS === 0 ? null : spec.talkS * 1000, agent === null ? 'abandoned_queue' : 'answered', spec.disposition ?? null],
    );
    if (spec.wrapUp && agent !== null) {
      await db.query('INSERT INTO wrap_ups (call_id, staff_id, disposition_code) VALUES ($1, $2, $3)', [id, agent, spec.wrapUp]);
    }
    let recordingId: string | null = null;
    if (spec.recordingS !== undefined) {
      recordingId = randomUUID();
      await db.query('INSERT INTO recordings (id, call_id, file_path, duration_ms, size_bytes, purged_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [recordingId, id, file, spec.recordingS * 1000, wav.length, spec.purged ? new Date() : null]);
      await db.query('UPDATE calls SET recording_id = $1 WHERE id = $2', [recordingId, id]);
    }
    calls[spec.name] = { id, recordingId };
  }
  return { ...agents, calls, wav, remove: () => rmSync(file, { force: true }) };
}
