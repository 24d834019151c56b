import type { AcdEvent } from '../../acd';
import type { QueuePlan } from '../queue-plan';
import type { CallEnd, InboundContext } from './inbound-context';

type Overflowed = Extract<AcdEvent, { type: 'call_overflowed' }>;

/**
 * The queue wait (design §3 step 7): music on hold, the caller in the ACD
 * under the plan, then the call lasts until the caller, the agent (a
 * non-transferred leg) or the system ends it. Offers and overflows reach the
 * call meanwhile (agent-offer.ts, handleOverflow below).
 */
export async function waitInQueue(ctx: InboundContext, plan: QueuePlan, goodbyeFile: string): Promise<CallEnd> {
  ctx.goodbyeFile = goodbyeFile;
  const media = ctx.media;
  if (!media) throw new Error('a caller waits in a queue on an answered call');
  await media.startMusicOnHold(ctx.services.musicOnHoldFile);
  const refused = await enqueueCaller(ctx, plan);
  if (refused) return refused;
  // A transfer only swaps the agent: the call goes on until the caller, a non-transferred agent leg or the system ends it.
  return Promise.race([
    ctx.callerGone.promise.then((): CallEnd => ({ side: 'caller', cause: 'BYE' })),
    ctx.agentGone.promise.then((): CallEnd => ({ side: 'agent', cause: 'BYE' })),
    ctx.systemEnded.promise,
  ]);
}

/**
 * Puts the caller in the ACD under the call's current ACD id. When nobody
 * serves the queue (callback / voicemail policy), says goodbye, hangs up and
 * returns how the call ended; null while the caller waits.
 */
export async function enqueueCaller(ctx: InboundContext, plan: QueuePlan, options: { again?: boolean } = {}): Promise<CallEnd | null> {
  const { recorder } = ctx;
  // Queued again after the ACD lost the entry: the record already says the caller waits.
  if (!options.again) recorder.enqueue({ name: plan.queueId, priority: plan.priority });
  ctx.queuePlan = plan;
  if (ctx.waitLimit) clearTimeout(ctx.waitLimit);
  ctx.waitLimit = setTimeout(() => {
    endLongWait(ctx).catch((err: unknown) => ctx.log.warn({ err }, 'the long wait could not be ended'));
  }, ctx.services.callLimits.maxWaitMs);
  const result = await ctx.services.acd.enqueue({
    callId: ctx.acdId, queueId: plan.queueId, priority: plan.priority, ...(plan.stages ? { stages: plan.stages } : {}),
    ...(ctx.callerE164 ? { callerNumber: ctx.callerE164 } : {}),
    meta: {
      clientId: ctx.client?.id ?? null, reason: ctx.decision?.reason ?? '',
      // The softphone's client card reads these while the call row is not written yet (src/api/live-call-view.ts).
      callerNumber: ctx.callerNumber,
      ivrPath: recorder.events.filter((e) => e.type === 'ivr_step').map((e) => e.data.nodeId),
    },
  });
  if (result.outcome !== 'callback' && result.outcome !== 'voicemail') return null;
  if (result.outcome === 'callback') ctx.requestCallback();
  recorder.overflow(`nobody serves queue ${plan.queueId}`, result.outcome);
  await ctx.media?.stopPlayback();
  await ctx.playAndWait(ctx.goodbyeFile);
  ctx.hangUp(ctx.uas);
  return { side: 'system', cause: `queue ${plan.queueId}: ${result.outcome}` };
}

/** Whether an ACD event is this call's overflow, to act on now: the caller's current entry, still waiting, the call not ending. */
export function isOwnOverflow(ctx: InboundContext, event: AcdEvent): event is Overflowed {
  return event.type === 'call_overflowed' && event.callId === ctx.acdId && ctx.waitingInAcd && ctx.ending === null;
}

/**
 * Max wait reached, or nobody serves the queue any more, while the caller
 * waits (design §3 step 7): moved to the overflow target — another queue or
 * a person (they keep waiting, told so), a callback request or a message
 * (the call ends politely).
 */
export async function handleOverflow(ctx: InboundContext, event: Overflowed): Promise<void> {
  const { recorder, services } = ctx;
  const reason = event.reason === 'max_wait' ? `max wait reached in queue ${event.fromQueue ?? event.queueId}`
    : event.reason === 'empty_queue' ? `nobody serves queue ${event.queueId}` : `nobody took the call at ${event.queueId}`;
  const targetLabel = event.target === 'queue' || event.target === 'agent' ? `${event.target} ${event.targetId ?? ''}`.trim() : event.target;
  ctx.log.info({ reason, target: targetLabel }, 'overflowed while waiting');
  // The recorder follows what the ACD did; a call being offered at this moment keeps its state.
  const inQueue = recorder.state === 'queued';
  if (event.target === 'queue' || event.target === 'agent') {
    if (inQueue) {
      recorder.overflow(reason, targetLabel);
      recorder.enqueue({ name: event.target === 'queue' ? event.targetId ?? event.queueId : event.queueId });
    }
    const announcement = ctx.promptFile('connecting');
    if (announcement && !ctx.agent) {
      await ctx.playAndWait(announcement);
      // Back to the music unless an agent was bridged meanwhile (that stops every playback itself).
      if (ctx.waitingInAcd && !ctx.agent && ctx.media?.state === 'anchored') await ctx.media.startMusicOnHold(services.musicOnHoldFile);
    }
    return;
  }
  // A callback or a message: the ACD no longer waits for this leg; the record leaves the queue with it.
  recorder.overflow(reason, targetLabel);
  if (event.target === 'callback') ctx.requestCallback();
  const media = ctx.media;
  if (media && media.state === 'anchored') await media.stopPlayback();
  if (event.target === 'callback') await ctx.playAndWait(ctx.promptFile('callback_confirmed'));
  await ctx.playAndWait(ctx.goodbyeFile);
  if (!ctx.callerGone.fired) ctx.hangUp(ctx.uas);
  ctx.systemEnded.resolve({ side: 'system', cause: `${reason}: ${event.target === 'callback' ? 'callback requested' : 'message'}` });
}

/**
 * The caller has waited in queues as long as this process allows
 * (config calls.maxWaitSeconds), whatever the ACD's own overflow did or could
 * not do (Redis away, housekeeping stopped): taken out of the queue, told
 * goodbye, hung up — the record says why.
 */
async function endLongWait(ctx: InboundContext): Promise<void> {
  if (!ctx.waitingInAcd || ctx.recorder.state !== 'queued' || ctx.ending) return;
  const limitS = Math.round(ctx.services.callLimits.maxWaitMs / 1000);
  ctx.log.warn({ limitS }, 'caller waited the longest this process allows: ending the wait');
  ctx.recorder.overflow(`waited over ${limitS} s (local limit)`, 'message');
  await ctx.services.acd.abandon(ctx.acdId).catch((err: unknown) => ctx.log.warn({ err }, 'could not take the caller out of the ACD'));
  if (ctx.media?.state === 'anchored') await ctx.media.stopPlayback().catch(() => undefined);
  await ctx.playAndWait(ctx.goodbyeFile);
  if (!ctx.callerGone.fired) ctx.hangUp(ctx.uas);
  ctx.systemEnded.resolve({ side: 'system', cause: `waited over ${limitS} s (local limit)` });
}
