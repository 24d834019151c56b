import { isAppError } from '../errors/app-error';
import { convertCallRecording, type RecordingFile } from './call-recording';
import type { RecordingLayout } from './recording-mixer';
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

/** What ending an orphan's media in rtpengine found: whether it still held the call, and each side's ports for the recording. */
export interface OrphanMediaReleased {
  readonly deleted: boolean;
  readonly layout: RecordingLayout;
}

/**
 * Ends in rtpengine a call whose process died (issue 14): asks which sockets
 * each leg used (the recording's layout), then deletes the call (its ports
 * come back, the capture is closed). A call rtpengine no longer knows has
 * only the layout its checkpoint kept. Throws only when rtpengine cannot be
 * reached (its sweeper takes the delete over).
 */
export async function releaseOrphanMediaCall(ng: NgCommandSender, call: OrphanMediaCall): Promise<OrphanMediaReleased> {
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
  const callerPorts = new Set(call.callerPorts);
  const agentPorts = new Set(call.agentPorts);
  if (reply) {
    for (const port of streamPortsOf(reply, call.callerTag)) callerPorts.add(port);
    for (const tag of Object.keys(tagsOf(reply))) {
      if (tag === call.callerTag || tag === PLACEHOLDER_TAG) continue;
      for (const port of streamPortsOf(reply, tag)) if (!callerPorts.has(port)) agentPorts.add(port);
    }
  }
  return { deleted, layout: { callerPorts, agentPorts } };
}

/**
 * Turns an orphan's raw capture into the call's WAV, from when recording
 * started up to `now`. Never throws: a capture that is missing or unreadable
 * is left where it is and the reason comes back.
 */
export async function convertOrphanRecording(
  call: OrphanMediaCall,
  layout: RecordingLayout,
  recording: { recordingDir: string; outputPath: string; now: number },
): Promise<{ file: RecordingFile } | { problem: string }> {
  const startedAt = call.recordingStartedAt ?? recording.now;
  try {
    const file = await convertCallRecording({
      recordingDir: recording.recordingDir, callId: call.callId, outputPath: recording.outputPath, layout,
      window: { startUs: startedAt * 1000, endUs: Math.max(recording.now, startedAt) * 1000 },
      removeCapture: true,
    });
    return { file };
  } catch (err) {
    return { problem: isAppError(err) || err instanceof Error ? err.message : String(err) };
  }
}

function tagsOf(reply: NgReply): Record<string, unknown> {
  const tags = reply.tags;
  return tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? (tags as Record<string, unknown>) : {};
}
