import type { SrfRequest, SrfResponse } from '../srf-types';
import type { InboundContext } from './inbound-context';
import { relayReinvite } from './reinvite-relay';

/**
 * A re-INVITE from either leg of an inbound call goes through rtpengine
 * (design §7, reinvite-relay.ts); the agent's may hold or resume the caller.
 */
export async function relayInboundReinvite(ctx: InboundContext, from: 'caller' | 'agent', req: SrfRequest, res: SrfResponse): Promise<void> {
  const relayed = await relayReinvite({ media: ctx.media, dialogOf: (leg) => (leg === 'caller' ? ctx.uas : ctx.agent?.dialog), log: ctx.log }, from, req, res);
  if (relayed && from === 'agent') await applyAgentHold(ctx, req.body);
}

/**
 * The agent's re-INVITE held or resumed the call (RFC 3264 §8.4; hold-state):
 * music on hold for the caller while held (the agent's own audio is blocked
 * meanwhile), the hold time on the record. A failure to play is logged: the
 * hold itself stands.
 */
async function applyAgentHold(ctx: InboundContext, sdp: string): Promise<void> {
  const media = ctx.media;
  // During a warm transfer the consult owns the music.
  if (!media || ctx.consult?.active || media.state !== 'bridged') return;
  let move: 'hold' | 'resume' | null = null;
  try {
    move = ctx.hold.applyTo(sdp, ctx.recorder);
    if (move === 'hold') await media.startMusicOnHold(ctx.services.musicOnHoldFile);
    else if (move === 'resume') await media.stopPlayback();
  } catch (err) {
    ctx.log.warn({ err, move }, 'music on hold could not be switched');
  }
}
