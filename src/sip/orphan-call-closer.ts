import { RepeatingTask } from '../acd/repeating-task';
import { interruptedCallRecord, parseCallCheckpoint, type CallCheckpoint } from '../calls/call-checkpoint';
import type { CallCheckpointStore } from '../calls/call-checkpoint-store';
import type { CallRecordWriter } from '../calls/call-record-writer';
import type { Logger } from '../logger';
import { recordingWavPath } from '../media/call-recording';
import { convertOrphanRecording, releaseOrphanMediaCall, type OrphanMediaCall, type OrphanMediaReleased } from '../media/orphan-media-call';
import type { MediaEngine, MediaEngines } from '../media/media-engine';

/** Options of OrphanCallCloser. */
export interface OrphanCallCloserOptions {
  store: CallCheckpointStore;
  /** This process's ACD node id: its own checkpoints are never closed here. */
  nodeId: string;
  /** The processes alive now, or null while this process cannot tell (Acd.liveNodes). */
  liveNodes: () => Promise<ReadonlySet<string> | null>;
  /**
   * The rtpengines: each call is closed on the one its checkpoint names, with
   * that engine's recording folder; its sweeper takes over a delete that
   * could not be sent now (issue 14).
   */
  media: Pick<MediaEngines, 'engine'>;
  writer: Pick<CallRecordWriter, 'writeCall' | 'writeRecording'>;
  /** Sends a BYE on a dead process's call leg by drachtio dialog id (orphan-legs.ts); without it the legs are left to their devices. */
  hangUpLeg?: (dialogId: string) => Promise<unknown>;
  recordingsRoot: string;
  recordingRetentionDays: number;
  logger: Logger;
  /** Default 1 s: with the ACD's 6 s heartbeat TTL a dead process's calls are closed within about 8 s. */
  intervalMs?: number;
  clock?: () => number;
}

/** What one sweep did. */
export interface OrphanSweep {
  /** Dead processes whose calls this sweep closed. */
  readonly nodes: number;
  /** Calls closed (record stored as interrupted). */
  readonly calls: number;
}

/**
 * Closes the calls of processes that died (issue 14: SIGKILL, a crash, a
 * machine gone). Every live call keeps a checkpoint in Redis under its
 * process's ACD node id; once the ACD has reaped a process (its heartbeat
 * lapsed and a live process with a fresh heartbeat declared it dead, which
 * also freed its agents), a survivor — or the next start — claims its
 * checkpoints and for each call deletes the rtpengine session, converts the
 * raw recording into the call's WAV (or says on the record why not) and
 * stores the call's record marked `interrupted` with its events up to the
 * last checkpoint; the call's legs get a BYE through drachtio-server, which
 * still holds their dialogs. A process that was only stalled later replaces that row
 * with its own record (writeCallRecord).
 */
export class OrphanCallCloser {
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly loop: RepeatingTask;

  constructor(private readonly options: OrphanCallCloserOptions) {
    this.clock = options.clock ?? Date.now;
    this.log = options.logger.child({ module: 'orphan-calls' });
    this.loop = new RepeatingTask(options.intervalMs ?? 1_000, () => this.sweep(), (err) => this.log.warn({ err }, 'closing dead processes\' calls failed'));
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Closes the calls of every dead process that has checkpoints. */
  async sweep(): Promise<OrphanSweep> {
    const { store, nodeId } = this.options;
    const holders = await store.nodes();
    if (holders.every((id) => id === nodeId)) return { nodes: 0, calls: 0 };
    const alive = await this.options.liveNodes();
    if (!alive) return { nodes: 0, calls: 0 };
    let nodes = 0;
    let calls = 0;
    for (const dead of holders) {
      if (dead === nodeId || alive.has(dead)) continue;
      // Two survivors must not convert the same capture at once: one claims the dead process.
      if (!(await store.claim(dead, nodeId, 60_000))) continue;
      try {
        nodes++;
        calls += await this.closeNode(dead);
      } finally {
        await store.release(dead, nodeId).catch(() => undefined);
      }
    }
    return { nodes, calls };
  }

  private async closeNode(dead: string): Promise<number> {
    const { store } = this.options;
    let closed = 0;
    const byes: Array<Promise<unknown>> = [];
    for (const { callId, raw } of await store.list(dead)) {
      const checkpoint = parseCallCheckpoint(raw);
      if (!checkpoint) {
        // Kept out of the way but not lost: the raw text goes to the log for a person.
        this.log.error({ deadNode: dead, callId, raw }, 'unreadable call checkpoint of a dead process; removed');
        await store.forget(dead, callId);
        continue;
      }
      try {
        if (checkpoint.snapshot.state === 'ended') {
          // It died while storing the call's own record (or just after): that record is in Postgres or the outbox.
          this.log.info({ deadNode: dead, callId }, 'a dead process\'s call had ended already; nothing to close');
        } else {
          byes.push((await this.closeCall(dead, checkpoint)).byes);
          closed++;
        }
      } catch (err) {
        // A defect, not an outage (the writer never rejects for one): the whole checkpoint goes to the log for a person.
        this.log.error({ err, deadNode: dead, callId, raw }, 'could not close a dead process\'s call; checkpoint removed, its content is in this line');
      }
      await store.forget(dead, callId);
    }
    if (closed > 0) this.log.warn({ deadNode: dead, calls: closed }, 'closed the calls of a process that stopped');
    await Promise.all(byes);
    return closed;
  }

  /** Closes one call; resolves, once its row is stored, with the BYEs to its legs still on their way (closeNode awaits them all at the end). */
  private async closeCall(dead: string, checkpoint: CallCheckpoint): Promise<{ byes: Promise<unknown> }> {
    const callId = checkpoint.snapshot.facts.id;
    const log = this.log.child({ callId, deadNode: dead });
    const at = this.clock();
    // The caller and the agent hear silence from here on: a BYE tells them the call is over. Sent first, awaited
    // after every call of the dead process is closed: a device that does not answer (5 s) must hold up no record.
    const hangUp = this.options.hangUpLeg;
    const byes = hangUp ? Promise.all((checkpoint.legs ?? []).map((leg) => hangUp(leg))) : Promise.resolve();
    const media = checkpoint.media;
    const engine = media ? this.options.media.engine(media.engine ?? null) : null;
    const orphan: OrphanMediaCall | null = media
      ? { callId: media.callId, callerTag: media.callerTag, recordingStartedAt: media.recording?.startedAt ?? null, callerPorts: media.callerPorts, agentPorts: media.agentPorts }
      : null;
    const released = orphan && engine ? await this.releaseMedia(orphan, engine, log) : null;
    if (media && !engine) {
      // Configured away since (RTPENGINE_URLS changed): its session ends with that engine's own timeout.
      log.error({ rtpengine: media.engine }, 'an interrupted call was on an rtpengine this process does not use; its session and recording are left there');
    }
    // The row first: converting a long capture takes a while on a loaded machine, and the row is what people wait for.
    await this.options.writer.writeCall(interruptedCallRecord(checkpoint, { at, deadNode: dead, recorded: media?.recording != null }));
    log.warn({ state: checkpoint.snapshot.state }, 'call of a stopped process closed as interrupted');
    if (media?.recording && orphan && engine) {
      const converted = await convertOrphanRecording(orphan, released?.layout ?? { callerPorts: new Set(orphan.callerPorts), agentPorts: new Set(orphan.agentPorts) }, {
        recordingDir: engine.recordingDir, outputPath: recordingWavPath(this.options.recordingsRoot, callId, new Date(media.recording.startedAt)), now: at,
      });
      if ('file' in converted) {
        await this.options.writer.writeRecording({
          id: media.recording.id, callId, filePath: converted.file.path, durationMs: converted.file.durationMs, sizeBytes: converted.file.sizeBytes,
          purgeAfter: at + this.options.recordingRetentionDays * 86_400_000,
        });
      } else {
        // The raw capture stays in rtpengine's folder under the call's id, for a person; the row has no recording.
        log.error({ problem: converted.problem, sipCallId: media.callId, recordingDir: engine.recordingDir }, 'the recording of an interrupted call could not be converted; its raw capture is left in place');
      }
    }
    // Wrapped: a promise returned as is would be awaited along with the row (promises flatten).
    return { byes };
  }

  /** Deletes the call in rtpengine; with rtpengine away, its sweeper takes the delete over and the checkpoint's layout serves. */
  private async releaseMedia(orphan: OrphanMediaCall, engine: MediaEngine, log: Logger): Promise<OrphanMediaReleased | null> {
    try {
      return await releaseOrphanMediaCall(engine.ng, orphan);
    } catch (err) {
      log.warn({ err, rtpengine: engine.id }, 'rtpengine could not be reached to end an interrupted call; its sweeper will delete the session');
      engine.tracker?.deleteFailed(orphan.callId);
      return null;
    }
  }
}
