import { isAppError } from '../errors/app-error';
import { convertCallRecording, type RecordingFile } from './call-recording';
import { streamPortsOf } from './leg-counters';
import { PLACEHOLDER_TAG } from './media-session';
import type { NgCommandSender, NgReply } from './rtpengine-ng-client';
import { isUnknownCall } from './rtpengine-call-sweeper';

/** What a checkpoint says about a call's media: enough to end it in rtpengine without its MediaSession. */
export interface OrphanMediaCall {
  /** The rtpengine call-id (the caller leg's SIP Call-ID). */
  readonly callId: string;
  /** The caller's From-tag: its ports are the recording's left channel; every other leg is the agent side. */
  readonly callerTag: string;
  /** When recording started, if it did. */
  readonly recordingStartedAt: number | null;
  /** The ports the session knew for each side when the checkpoint was taken (rtpengine may have lost the call since). */
  readonly callerPorts: readonly number[];
  readonly agentPorts: readonly number[];
}

/** What closing an orphan's media did. */
export interface OrphanMediaClosed {
  /** rtpengine still held the call and deleted it now (false: it was gone already, e.g. restarted). */
  readonly deleted: boolean;
  /** The WAV made from the raw capture, when there was one. */
  readonly recording: RecordingFile | null;
  /** Why there is no WAV although the call was recorded (no capture file, conversion failed). */
  readonly recordingProblem: string | null;
}

/**
 * Ends in rtpengine a call whose process died (issue 14): asks which sockets
 * each leg used (the recording's layout), deletes the call (its ports come
 * back, the capture is closed) and turns the raw capture into the call's WAV,
 * up to `now`. A call rtpengine no longer knows is only converted. Throws
 * only when rtpengine cannot be reached (the closer tries again later).
 */
export async function closeOrphanMediaCall(
  ng: NgCommandSender,
  call: OrphanMediaCall,
  recording: { recordingDir: string; outputPath: string; now: number } | null,
): Promise<OrphanMediaClosed> {
  let reply: NgReply | null = null;
  let deleted = false;
  try {
    reply = await ng.command('query', { 'call-id': call.callId });
  } catch (err) {
    if (!isUnknownCall(err)) throw err;
  }
  if (reply) {
    try {
      await ng.command('delete', { 'call-id': call.callId, 'delete-delay': 0 });
      deleted = true;
    } catch (err) {
      if (!isUnknownCall(err)) throw err;
    }
  }
  if (call.recordingStartedAt === null || !recording) return { deleted, recording: null, recordingProblem: null };
  const callerPorts = new Set(call.callerPorts);
  const agentPorts = new Set(call.agentPorts);
  if (reply) {
    for (const port of streamPortsOf(reply, call.callerTag)) callerPorts.add(port);
    for (const tag of Object.keys(tagsOf(reply))) {
      if (tag === call.callerTag || tag === PLACEHOLDER_TAG) continue;
      for (const port of streamPortsOf(reply, tag)) if (!callerPorts.has(port)) agentPorts.add(port);
    }
  }
  try {
    const file = await convertCallRecording({
      recordingDir: recording.recordingDir, callId: call.callId, outputPath: recording.outputPath,
      layout: { callerPorts, agentPorts },
      window: { startUs: call.recordingStartedAt * 1000, endUs: Math.max(recording.now, call.recordingStartedAt) * 1000 },
      removeCapture: true,
    });
    return { deleted, recording: file, recordingProblem: null };
  } catch (err) {
    const why = isAppError(err) || err instanceof Error ? err.message : String(err);
    return { deleted, recording: null, recordingProblem: why };
  }
}

function tagsOf(reply: NgReply): Record<string, unknown> {
  const tags = reply.tags;
  return tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? (tags as Record<string, unknown>) : {};
}
