import type { Logger } from '../../logger';
import type { LegKind } from '../../media/media-leg';
import { MediaSession } from '../../media/media-session';
import type { CallServices } from '../call-services';

/**
 * The rtpengine session of one call, with the first leg anchored by its tag
 * and kind: captures go to the recording directory, and the session is known
 * to the process's sweeper (issue 5), which deletes it if its own delete
 * fails — for every call, inbound or outbound.
 */
export function newCallMedia(
  services: Pick<CallServices, 'ng' | 'captureDir' | 'mediaCalls'>,
  callId: string,
  caller: { tag: string; kind: LegKind },
  logger: Logger,
): MediaSession {
  return new MediaSession({
    ng: services.ng, callId, caller, recordingDir: services.captureDir, logger,
    ...(services.mediaCalls ? { tracker: services.mediaCalls } : {}),
  });
}
