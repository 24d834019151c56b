import type { Logger } from '../../logger';
import type { LegKind } from '../../media/media-leg';
import { MediaSession } from '../../media/media-session';
import type { CallServices } from '../call-services';

/**
 * The rtpengine session of one call, with the first leg anchored by its tag
 * and kind, on the rtpengine picked for it (issue 14), which it keeps for
 * the whole call: captures go to that engine's recording directory, and the
 * session is known to that engine's sweeper (issue 5), which deletes it if
 * its own delete fails and tells if its media is lost — for every call,
 * inbound or outbound. Throws DEPENDENCY_DOWN when no rtpengine answers.
 */
export function newCallMedia(
  services: Pick<CallServices, 'media'>,
  callId: string,
  caller: { tag: string; kind: LegKind },
  logger: Logger,
): MediaSession {
  const engine = services.media.pick();
  return new MediaSession({
    ng: engine.ng, engine: engine.id, callId, caller, recordingDir: engine.recordingDir, logger: logger.child({ rtpengine: engine.id }),
    ...(engine.tracker ? { tracker: engine.tracker } : {}), ...(engine.promptFile ? { promptFile: engine.promptFile } : {}),
  });
}
