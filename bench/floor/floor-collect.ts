/**
 * Reading a floor run's results (issue 16): call rows and recordings from
 * Postgres and disk, ACD events, the wallboard once a second, rtpengine's
 * leftovers, Switchboard's log. Thin adapters; the derivations are in
 * floor-derive.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { Client as NgClient } from 'rtpengine-client';
import { channelRms } from '../../test/helpers/wav-level';
import { rtpengineSessions } from '../lib/rtpengine-ng';
import type { FloorCallRow, FloorSnapshot } from './floor-run';
import { floorSnapshot, type AcdEventRow, type IvrSpan, type WallboardSnapshot } from './floor-derive';
import type { FloorSystem } from './floor-system';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface CallRowDb {
  sip_call_id: string;
  id: string;
  outcome: string | null;
  queue_name: string | null;
  agent_id: number | null;
  started_at: Date;
  queued_at: Date | null;
  agent_answered_at: Date | null;
  ended_at: Date | null;
  ivr_started_at: Date | null;
  ivr_ended_at: Date | null;
  file_path: string | null;
  routing_reason: string | null;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

/** The rows Postgres holds for these Call-IDs, now (one per row: a Call-ID with two rows appears twice). */
export async function readCallRows(db: pg.Pool, sipCallIds: readonly string[]): Promise<{ rows: FloorCallRow[]; ivr: IvrSpan[]; ivrStarted: Array<{ sipCallId: string; ivrStartedAtMs: number | null }> }> {
  const { rows } = await db.query<CallRowDb>(
    `SELECT c.sip_call_id, c.id, c.outcome, c.queue_name, c.agent_id, c.started_at, c.queued_at, c.agent_answered_at, c.ended_at, c.ivr_started_at, c.ivr_ended_at, c.routing_reason, r.file_path
       FROM calls c LEFT JOIN recordings r ON r.id = c.recording_id
      WHERE c.sip_call_id = ANY($1)`,
    [sipCallIds],
  );
  const out: FloorCallRow[] = rows.map((r) => ({
    sipCallId: r.sip_call_id, callId: r.id, outcome: r.outcome ?? 'open', queue: r.queue_name, agentId: r.agent_id === null ? null : String(r.agent_id),
    startedAtMs: r.started_at.getTime(), queuedAtMs: ms(r.queued_at), answeredAtMs: ms(r.agent_answered_at), endedAtMs: ms(r.ended_at), routingReason: r.routing_reason,
    recording: r.file_path ? measureRecording(r.file_path) : null,
  }));
  return {
    rows: out,
    ivr: rows.filter((r) => r.ivr_started_at).map((r) => ({ fromMs: r.ivr_started_at!.getTime(), toMs: ms(r.ivr_ended_at) ?? ms(r.ended_at) })),
    ivrStarted: rows.map((r) => ({ sipCallId: r.sip_call_id, ivrStartedAtMs: ms(r.ivr_started_at) })),
  };
}

/** RMS of the recording's caller (0) and agent (1) channels; a missing or unreadable file reads as silent, with its path kept. */
function measureRecording(filePath: string): { path: string; callerRms: number; agentRms: number } {
  const file = path.resolve(REPO_ROOT, filePath);
  if (!existsSync(file)) return { path: `${filePath} (missing)`, callerRms: 0, agentRms: 0 };
  try {
    const wav = readFileSync(file);
    return { path: filePath, callerRms: channelRms(wav, 0), agentRms: channelRms(wav, 1) };
  } catch (err) {
    return { path: `${filePath} (unreadable: ${(err as Error).message})`, callerRms: 0, agentRms: 0 };
  }
}

/** Every ACD event since `fromMs` (the ACD's writer drains its Redis stream into acd_events). */
export async function readAcdEvents(db: pg.Pool, fromMs: number): Promise<AcdEventRow[]> {
  const { rows } = await db.query<{ at: Date; type: string; call_id: string | null; agent_id: number | null; data: Record<string, unknown> }>(
    'SELECT at, type, call_id, agent_id, data FROM acd_events WHERE at >= $1 ORDER BY at, id',
    [new Date(fromMs - 60_000)],
  );
  return rows.map((r) => ({ atMs: r.at.getTime(), type: r.type, callId: r.call_id, agentId: r.agent_id, data: r.data }));
}

/** The wallboard read once a second while the run lasts. */
export class WallboardSampler {
  private readonly snapshots: FloorSnapshot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  failures = 0;

  constructor(private readonly system: FloorSystem, private readonly agents: ReadonlySet<number>) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), 1000);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const wallboard = await this.system.api<WallboardSnapshot>('GET', '/api/floor');
      this.snapshots.push(floorSnapshot(Date.now(), wallboard, this.agents));
    } catch {
      this.failures++;
    } finally {
      this.busy = false;
    }
  }

  stop(): FloorSnapshot[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.snapshots;
  }
}

/** rtpengine's count of the calls it still holds (null: it did not answer). */
export async function rtpengineSessionsLeft(ngPort: number): Promise<number | null> {
  const ng = new NgClient({ timeout: 2000 });
  try {
    return await rtpengineSessions(ng, ngPort);
  } finally {
    ng.close();
  }
}
