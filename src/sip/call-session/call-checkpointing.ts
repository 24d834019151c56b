import type { CallCheckpoint } from '../../calls/call-checkpoint';
import { CallCheckpointer } from '../../calls/call-checkpoint-store';
import type { CallRecorder } from '../../calls/call-recorder';
import type { Logger } from '../../logger';
import type { MediaSession } from '../../media/media-session';
import type { CallServices } from '../call-services';
import type { CallRecording } from './call-teardown';

/** What a call session is now, as its checkpoint needs it (fields fill in as the call goes on). */
export interface CheckpointedCall {
  readonly recorder: CallRecorder;
  readonly media: Pick<MediaSession, 'callId' | 'engine' | 'caller' | 'recordingLayout'> | null;
  readonly recording: CallRecording | null;
  /** drachtio-server's ids of the call's live dialogs. */
  readonly dialogIds: readonly string[];
}

/** The call as a survivor would need it if this process died now. */
export function takeCheckpoint(call: CheckpointedCall): CallCheckpoint {
  const media = call.media;
  return {
    snapshot: call.recorder.snapshot(),
    savedAt: Date.now(),
    legs: [...call.dialogIds],
    media: media
      ? {
        callId: media.callId, ...(media.engine !== null ? { engine: media.engine } : {}), callerTag: media.caller.tag, ...media.recordingLayout,
        recording: call.recording ? { id: call.recording.id, startedAt: call.recording.startedAt.getTime() } : null,
      }
      : null,
  };
}

/**
 * The call's checkpoint keeper (issue 14), or null when the process keeps no
 * checkpoints (tests of one phase). `now` is read at each save.
 */
export function callCheckpointer(services: Pick<CallServices, 'checkpoints'>, log: Logger, now: () => CheckpointedCall): CallCheckpointer | null {
  const checkpoints = services.checkpoints;
  if (!checkpoints) return null;
  return new CallCheckpointer({ store: checkpoints.store, nodeId: checkpoints.nodeId, log, take: () => takeCheckpoint(now()) });
}
