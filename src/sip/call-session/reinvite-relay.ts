import type { Logger } from '../../logger';
import type { LegRole } from '../../media/media-leg';
import type { MediaSession } from '../../media/media-session';
import { classifyError } from '../../errors/classify-error';
import { refuse } from '../sip-status';
import type { SrfRequest, SrfResponse } from '../srf-types';

/** What relaying a re-INVITE asks of the call's media. */
export type ReofferMedia = Pick<MediaSession, 'reoffer' | 'completeReoffer' | 'cancelReoffer'>;

/** The far side of a re-INVITE: a dialog that can be re-INVITEd with an offer and answers with its SDP. */
export interface ReinviteTarget {
  modify(sdp: string): Promise<string>;
}

export interface ReinviteRelay {
  media: ReofferMedia | null;
  /** The dialog of the given leg now (the other side of the re-INVITE), if there is one. */
  dialogOf: (leg: LegRole) => ReinviteTarget | null | undefined;
  log: Logger;
}

/**
 * A re-INVITE from either leg goes through rtpengine (design §7): rtpengine
 * answers it alone while no other leg is bridged, else the other leg is
 * re-INVITEd with rtpengine's offer and its answer completes ours. Glare (a
 * re-offer already under way, RFC 3261 §14.1) or a call between two states is
 * 491, so the phone retries; no other leg to ask is 488. Resolves true when the re-INVITE was accepted.
 */
export async function relayReinvite(relay: ReinviteRelay, from: LegRole, req: SrfRequest, res: SrfResponse): Promise<boolean> {
  const media = relay.media;
  if (!media) {
    res.send(500);
    return false;
  }
  try {
    const result = await media.reoffer(from, req.body);
    if (result.kind === 'answered') {
      res.send(200, { body: result.sdp });
      return true;
    }
    const other = relay.dialogOf(result.to);
    if (!other) {
      media.cancelReoffer();
      refuse(res, 'NO_ACCEPTABLE_MEDIA', 'no other leg to re-offer to');
      return false;
    }
    const answer = await other.modify(result.sdp);
    const sdp = await media.completeReoffer(answer);
    res.send(200, { body: sdp });
    return true;
  } catch (err) {
    media.cancelReoffer();
    relay.log.warn({ err, from }, 're-INVITE failed');
    // Glare, or the call between two states (a bridge or a consult under way): the phone's to retry (491, RFC 3261 §14.1).
    // Anything else is ours (500).
    const { code } = classifyError(err);
    if (code === 'REQUEST_PENDING' || code === 'ILLEGAL_TRANSITION') refuse(res, 'REQUEST_PENDING');
    else res.send(500);
    return false;
  }
}
