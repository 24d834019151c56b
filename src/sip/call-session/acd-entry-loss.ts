import type { AcdEvent } from '../../acd';
import { DirectCallPresence } from '../direct-call-presence';
import type { InboundContext } from './inbound-context';
import { enqueueCaller } from './queue-wait';

type Lost = Extract<AcdEvent, { type: 'call_lost' }>;

/** Whether an ACD event says the caller's current entry was lost (its holding process declared dead). */
export function isOwnLoss(ctx: InboundContext, event: AcdEvent): event is Lost {
  return event.type === 'call_lost' && event.callId === ctx.acdId && ctx.ending === null;
}

/**
 * The ACD lost the caller's entry (issue 14): the process holding it was
 * declared dead — this very one, after a stall or a Redis outage — though the
 * call is alive here. A caller still waiting is queued again under a new ACD
 * id (they lose their place, not their call; an agent still ringing is let
 * go first). An agent already talking stays with the caller: the ACD, which
 * sent them to wrap-up, is told they are on a direct call, so that they are
 * not offered another one mid-conversation; they are put back when the call
 * ends. Either way the timeline says what happened.
 */
export async function handleLostEntry(ctx: InboundContext, event: Lost): Promise<void> {
  const { recorder, log } = ctx;
  log.warn({ acdCallId: event.callId, reason: event.reason }, 'the ACD lost this call\'s entry');
  recorder.note('note', { acdEntryLost: event.reason });
  const leg = ctx.agent;
  if (leg && leg.connected) {
    leg.answeredAcdEntry = null;
    const presence = new DirectCallPresence(ctx.services.acd, log);
    leg.backToPool = await presence.occupy(leg.staffId, ctx.id, 'proceed');
    return;
  }
  if (!ctx.waitingInAcd || !ctx.queuePlan) return;
  // An agent ringing for the lost entry: their reservation is gone; the offer ends and the caller waits anew.
  leg?.stopRinging?.();
  leg?.request?.cancel(() => undefined);
  ctx.moveToAcdEntry(ctx.nextAcdId());
  await enqueueCaller(ctx, ctx.queuePlan, { again: true });
}
