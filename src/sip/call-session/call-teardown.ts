import { randomUUID } from 'node:crypto';
import type { CallCheckpointer } from '../../calls/call-checkpoint-store';
import type { CallRecorder, EndCallOptions } from '../../calls/call-recorder';
import type { Logger } from '../../logger';
import { recordingWavPath } from '../../media/call-recording';
import type { MediaSession } from '../../media/media-session';
import type { CallServices } from '../call-services';

/** The call's one recording: its id on the record and when it began (the WAV's dated folder). */
export interface CallRecording {
  id: string;
  startedAt: Date;
}

/** Starts recording both legs in rtpengine and says so on the record. */
export async function startCallRecording(media: Pick<MediaSession, 'startRecording'>, recorder: CallRecorder): Promise<CallRecording> {
  await media.startRecording();
  const recording = { id: randomUUID(), startedAt: new Date() };
  recorder.recordingStarted(recording.id);
  return recording;
}

/**
 * What rtpengine received from each leg, kept with the call as the proof that
 * media flowed. "caller" is the leg anchored first (the client on an inbound
 * call, the staff's phone on an outbound one), "agent" the other.
 */
export async function noteMediaCounters(media: Pick<MediaSession, 'counters'>, recorder: CallRecorder): Promise<void> {
  const counters = await media.counters();
  recorder.note('note', { media: { callerPackets: counters.caller.rtp.packets, agentPackets: counters.agent?.rtp.packets ?? 0 } });
}

/** Runs each release step in order; one that fails is logged and the next still runs. */
export async function runReleaseSteps(steps: ReadonlyArray<readonly [string, () => unknown]>, log: Logger): Promise<void> {
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      log.warn({ err, what }, 'release step failed');
    }
  }
}

/**
 * Ends the record and stores it (the writer falls back to its outbox, so it is
 * never lost), then turns the recording into its WAV and stores its row. The
 * last thing a call does; it never throws.
 */
export async function storeCall(
  services: Pick<CallServices, 'writer' | 'recordingsRoot' | 'recordingRetentionDays'>,
  call: {
    id: string; recorder: CallRecorder; media: Pick<MediaSession, 'saveRecording'> | null; recording: CallRecording | null; log: Logger;
    checkpointer?: CallCheckpointer | null;
  },
  end: EndCallOptions,
): Promise<void> {
  const { writer } = services;
  const record = call.recorder.end(end);
  await writer.writeCall(record).catch((err: unknown) => call.log.error({ err }, 'call record could not be stored anywhere'));
  try {
    await storeRecording(services, call);
  } finally {
    // Last: should this process die before here, a survivor closes the call again; its stored record stays as it is.
    await call.checkpointer?.finish();
  }
}

async function storeRecording(
  services: Pick<CallServices, 'writer' | 'recordingsRoot' | 'recordingRetentionDays'>,
  call: { id: string; media: Pick<MediaSession, 'saveRecording'> | null; recording: CallRecording | null; log: Logger },
): Promise<void> {
  const { writer } = services;
  if (!call.media || !call.recording) return;
  try {
    const file = await call.media.saveRecording(recordingWavPath(services.recordingsRoot, call.id, call.recording.startedAt), { removeCapture: true });
    await writer.writeRecording({
      id: call.recording.id, callId: call.id, filePath: file.path, durationMs: file.durationMs, sizeBytes: file.sizeBytes,
      purgeAfter: Date.now() + services.recordingRetentionDays * 86_400_000,
    });
  } catch (err) {
    call.log.error({ err }, 'recording could not be saved');
  }
}
