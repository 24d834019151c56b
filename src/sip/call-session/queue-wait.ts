import type { AcdEvent } from '../../acd';
import { DEFAULT_MUSIC_ON_HOLD, FALLBACK_QUEUE_WAIT_OPTIONS, type QueueWaitOptions } from '../../directory/queue-wait-options';
import { tryNormalisePhone } from '../../directory/phone-number';
import { QueueWaitRun } from '../../ivr/queue-wait-run';
import type { QueuePlan } from '../queue-plan';
import { subscribeCallerDigits } from './caller-leg';
import type { CallEnd, InboundContext } from './inbound-context';
import { QueueWaitDriver, type QueueWaitChoice } from './queue-wait-driver';
import { leaveVoicemail, voicemailOwnerFor } from './voicemail-phase';

type Overflowed = Extract<AcdEvent, { type: 'call_overflowed' }>;

/** The wait of each call waiting in a queue now: its music and its announcements, stopped when the wait ends. */
const waits = new WeakMap<InboundContext, { driver: QueueWaitDriver; musicFile: string }>();

/**
 * The queue wait (design §3 step 7): the queue's music, the caller in the ACD
 * under the plan, their place and estimated wait announced at the queue's
 * interval with the keys they may press (QueueWaitRun decides, a
 * QueueWaitDriver carries it out); then the call lasts until the caller, the
 * agent (a non-transferred leg) or the system ends it, or the caller takes
 * the callback (their place kept). Offers and overflows reach the call
 * meanwhile (agent-offer.ts, handleOverflow below).
 */
export async function waitInQueue(ctx: InboundContext, plan: QueuePlan, goodbyeFile: string): Promise<CallEnd> {
  ctx.goodbyeFile = goodbyeFile;
  const media = ctx.media;
  if (!media) throw new Error('a caller waits in a queue on an answered call');
  const options = await queueWaitOptionsOf(ctx, plan.queueId);
  const musicFile = queueMusicFile(ctx, options);
  const driver = new QueueWaitDriver(new QueueWaitRun({
    language: ctx.language ?? 'ru',
    callerNumber: ctx.callerE164,
    settings: {
      announceEveryMs: options.announceEverySeconds * 1000,
      callbackKey: options.callbackKey,
      // Offered only where messages are recorded (the voicemail phase has a store); otherwise the key is not said.
      messageKey: ctx.services.voicemail ? options.messageKey : null,
    },
  }), {
    media, musicFile, log: ctx.log,
    promptFile: (id) => ctx.promptFile(id),
    mayPlay: () => !ctx.agent && media.state === 'anchored' && !ctx.callerGone.fired && ctx.ending === null,
    position: async () => {
      if (ctx.recorder.state !== 'queued') return { position: null, estimatedWaitMs: 'unknown' };
      const { position, estimatedWaitMs } = await ctx.services.acd.position(ctx.acdId);
      return { position, estimatedWaitMs };
    },
    requestCallback: (number) => keepPlaceForCallback(ctx, number),
    announced: (promptIds) => ctx.recorder.note('announcement', { queue: ctx.queuePlan?.queueId ?? plan.queueId, prompts: [...promptIds] }),
  });
  waits.set(ctx, { driver, musicFile });
  const unsubscribe = subscribeCallerDigits(ctx, (digit) => {
    if (ctx.agent) return;
    ctx.recorder.note('dtmf', { digit });
    driver.digit(digit);
  });
  try {
    await driver.start();
    const refused = await enqueueCaller(ctx, plan);
    if (refused) return refused;
    // A transfer only swaps the agent: the call goes on until the caller, a non-transferred agent leg or the system ends it.
    const ended = await Promise.race([
      ctx.callerGone.promise.then((): WaitEnd => ({ end: { side: 'caller', cause: 'BYE' } })),
      ctx.agentGone.promise.then((): WaitEnd => ({ end: { side: 'agent', cause: 'BYE' } })),
      ctx.systemEnded.promise.then((end): WaitEnd => ({ end })),
      driver.chosen.then((choice): WaitEnd => ({ choice })),
    ]);
    if ('end' in ended) return ended.end;
    // The caller's choice ends the wait; the message phase has the caller's keys to itself.
    unsubscribe();
    driver.stop();
    return await endByChoice(ctx, ended.choice);
  } finally {
    unsubscribe();
    driver.stop();
    waits.delete(ctx);
  }
}

/** The queue's settings for its waiting callers; a queue the directory does not know (the direct queue) gets the default music only. */
async function queueWaitOptionsOf(ctx: InboundContext, queueId: string): Promise<QueueWaitOptions> {
  try {
    return (await ctx.services.queueWaitOptions?.(queueId)) ?? FALLBACK_QUEUE_WAIT_OPTIONS;
  } catch (err) {
    ctx.log.warn({ err, queue: queueId }, 'queue settings unavailable: the default music only');
    return FALLBACK_QUEUE_WAIT_OPTIONS;
  }
}

/** The queue's own music (a prompt it names, in the caller's language or any), else the system's. */
function queueMusicFile(ctx: InboundContext, options: QueueWaitOptions): string {
  if (options.musicOnHold === DEFAULT_MUSIC_ON_HOLD) return ctx.services.musicOnHoldFile;
  const file = ctx.promptFile(options.musicOnHold);
  if (file) return file;
  ctx.log.warn({ musicOnHold: options.musicOnHold }, 'the queue names music that has no audio: the default music plays');
  return ctx.services.musicOnHoldFile;
}

/** What the caller hears while waiting: their queue's music during the wait, else the system's. */
export function waitMusicOf(ctx: InboundContext): string {
  return waits.get(ctx)?.musicFile ?? ctx.services.musicOnHoldFile;
}

/**
 * The caller asked to be called back on `number` (their own, or one they
 * typed): the ACD turns their entry into a callback request at the same place
 * in line (Acd.requestCallback); the record says so and leaves the queue.
 * False when the ACD refused (an agent is being rung for them right now, or
 * Redis is away): the caller keeps waiting.
 */
async function keepPlaceForCallback(ctx: InboundContext, typed: string): Promise<boolean> {
  if (ctx.recorder.state !== 'queued' || ctx.agent) return false;
  const country = ctx.services.lookup.defaultCountry;
  const number = (country ? tryNormalisePhone(typed, country) : null) ?? typed;
  const { position } = await ctx.services.acd.requestCallback(ctx.acdId, number);
  ctx.log.info({ position }, 'the caller asked to be called back at their place');
  ctx.recorder.overflow('the caller asked to be called back', 'callback');
  ctx.recorder.requestCallback({ number });
  return true;
}

/** How the wait ended: the call's end, or the caller's choice to leave the line. */
type WaitEnd = { end: CallEnd } | { choice: QueueWaitChoice };

/** The caller chose to leave the line: called back (told so by the run, their place kept), or a message. */
async function endByChoice(ctx: InboundContext, choice: QueueWaitChoice): Promise<CallEnd> {
  if (choice === 'callback') {
    if (!ctx.callerGone.fired) ctx.hangUp(ctx.uas);
    return { side: 'system', cause: 'the caller asked to be called back, keeping their place' };
  }
  const queueId = ctx.queuePlan?.queueId ?? '';
  // Out of the line first (the ACD counts it as the caller leaving), then the record says why.
  if (ctx.recorder.state === 'queued') {
    await ctx.services.acd.abandon(ctx.acdId).catch((err: unknown) => ctx.log.warn({ err }, 'could not take the caller out of the ACD for their message'));
    ctx.recorder.overflow('the caller chose to leave a message', 'message');
  }
  return leaveVoicemail(ctx, voicemailOwnerFor(ctx, queueId));
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
  // Nobody serves the queue and it takes messages: the caller leaves one (without a store, goodbye below).
  if (result.outcome === 'voicemail' && ctx.services.voicemail) return leaveVoicemail(ctx, voicemailOwnerFor(ctx, plan.queueId));
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
  const { recorder } = ctx;
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
      if (ctx.waitingInAcd && !ctx.agent && ctx.media?.state === 'anchored') await ctx.media.startMusicOnHold(waitMusicOf(ctx));
    }
    return;
  }
  // A callback or a message: the ACD no longer waits for this leg; the record leaves the queue with it.
  const wait = waits.get(ctx);
  wait?.driver.stop();
  recorder.overflow(reason, targetLabel);
  // Where messages are recorded, the wait itself goes on into the message phase (endByChoice), so that it ends with it.
  if (event.target === 'voicemail' && ctx.services.voicemail && wait) {
    wait.driver.leaveForMessage();
    return;
  }
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
