import { RepeatingTask } from '../acd/repeating-task';
import { interruptedCallRecord, parseCallCheckpoint, type CallCheckpoint, type InterruptedRecording } from '../calls/call-checkpoint';
import type { CallCheckpointStore } from '../calls/call-checkpoint-store';
import type { CallRecordWriter } from '../calls/call-record-writer';
import type { Logger } from '../logger';
import { recordingWavPath } from '../media/call-recording';
import { closeOrphanMediaCall, type OrphanMediaClosed } from '../media/orphan-media-call';
import type { MediaEngines } from '../media/media-engine';

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
  /** Default 2 s: with the ACD's 6 s heartbeat TTL a dead process's calls are closed within about 10 s. */
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
    this.loop = new RepeatingTask(options.intervalMs ?? 2_000, () => this.sweep(), (err) => this.log.warn({ err }, 'closing dead processes\' calls failed'));
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
          await this.closeCall(dead, checkpoint);
          closed++;
        }
      } catch (err) {
        // A defect, not an outage (the writer never rejects for one): the whole checkpoint goes to the log for a person.
        this.log.error({ err, deadNode: dead, callId, raw }, 'could not close a dead process\'s call; checkpoint removed, its content is in this line');
      }
      await store.forget(dead, callId);
    }
    if (closed > 0) this.log.warn({ deadNode: dead, calls: closed }, 'closed the calls of a process that stopped');
    return closed;
  }

  private async closeCall(dead: string, checkpoint: CallCheckpoint): Promise<void> {
    const { writer } = this.options;
    const callId = checkpoint.snapshot.facts.id;
    const log = this.log.child({ callId, deadNode: dead });
    const at = this.clock();
    // The caller and the agent hear silence from here on: a BYE tells them the call is over. Sent first, awaited
    // last: a device that does not answer must not hold up the record.
    const hangUp = this.options.hangUpLeg;
    const byes = hangUp ? Promise.all((checkpoint.legs ?? []).map((leg) => hangUp(leg))) : Promise.resolve();
    const media = await this.closeMedia(checkpoint, at, log);
    const recordingStarted = checkpoint.media?.recording ?? null;
    let recording: InterruptedRecording = null;
    if (recordingStarted) recording = media?.recording ? { converted: true } : { converted: false, problem: media?.recordingProblem ?? 'rtpengine could not be reached' };
    const record = interruptedCallRecord(checkpoint, { at, deadNode: dead, recording });
    await writer.writeCall(record);
    log.warn({ state: checkpoint.snapshot.state, recording }, 'call of a stopped process closed as interrupted');
    if (recordingStarted && media?.recording) {
      await writer.writeRecording({
        id: recordingStarted.id, callId, filePath: media.recording.path, durationMs: media.recording.durationMs, sizeBytes: media.recording.sizeBytes,
        purgeAfter: at + this.options.recordingRetentionDays * 86_400_000,
      });
    }
    await byes;
  }

  private async closeMedia(checkpoint: CallCheckpoint, now: number, log: Logger): Promise<OrphanMediaClosed | null> {
    const media = checkpoint.media;
    if (!media) return null;
    const { recordingsRoot } = this.options;
    const callId = checkpoint.snapshot.facts.id;
    const engine = this.options.media.engine(media.engine ?? null);
    if (!engine) {
      // Configured away since (RTPENGINE_URLS changed): its session ends with that engine's own timeout.
      log.error({ rtpengine: media.engine }, 'an interrupted call was on an rtpengine this process does not use; its session and recording are left there');
      return { deleted: false, recording: null, recordingProblem: `the call was on rtpengine ${media.engine ?? '(unnamed)'}, which this process does not use` };
    }
    try {
      return await closeOrphanMediaCall(
        engine.ng,
        { callId: media.callId, callerTag: media.callerTag, recordingStartedAt: media.recording?.startedAt ?? null, callerPorts: media.callerPorts, agentPorts: media.agentPorts },
        media.recording ? { recordingDir: engine.recordingDir, outputPath: recordingWavPath(recordingsRoot, callId, new Date(media.recording.startedAt)), now } : null,
      );
    } catch (err) {
      // rtpengine is away: the record must not wait for it; the engine's sweeper deletes the session once it answers.
      log.warn({ err, rtpengine: engine.id }, 'rtpengine could not be reached to end an interrupted call; its sweeper will delete the session');
      engine.tracker?.deleteFailed(media.callId);
      return null;
    }
  }
}
