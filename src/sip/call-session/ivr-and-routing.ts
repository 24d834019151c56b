import { systemClock } from '../../ivr/clock';
import { IvrRun } from '../../ivr/ivr-run';
import { OPENING_HOURS_PROMPT, withOpeningHours } from '../../ivr/opening-hours';
import { variantChooser } from '../../ivr/prompt-variants';
import { decideRoute } from '../../routing/decide-route';
import type { PromptSource } from '../call-services';
import { IvrDriver, type IvrEnd } from '../ivr-driver';
import { queuePlanFor, type QueuePlan } from '../queue-plan';
import type { CallConfigs } from './caller-leg';
import { subscribeCallerDigits } from './caller-leg';
import type { CallEnd, InboundContext } from './inbound-context';
import { requestCallbackOutsideQueue } from './operators-callback';

/**
 * One chooser for every call this process runs: a rotation goes round a
 * node's greeting variants call after call (per process: with several nodes
 * each keeps its own turn, which varies the greeting just as well).
 */
const greetingVariants = variantChooser();

/** The IVR's end as the call goes on from it: routed (with the caller's choice), or over. */
export type IvrOutcome =
  | { kind: 'route'; end: Extract<IvrEnd, { kind: 'route' }>; prompts: PromptSource; language: string }
  | { kind: 'ended'; end: CallEnd };

/**
 * The IVR phase (design §3 step 4): the flow runs on the answered call
 * (IvrRun decides, IvrDriver carries its commands out on the media), each
 * step on the record as it is entered, each key noted. Ends when the flow
 * routes or hangs up, or the caller leaves. From then on the call's prompts
 * are in the language the IVR chose.
 */
export async function runIvr(ctx: InboundContext, configs: CallConfigs): Promise<IvrOutcome> {
  const { recorder, services, log } = ctx;
  const media = ctx.media;
  if (!media) throw new Error('the IVR runs on an answered call');
  const { flow, routing } = configs;
  recorder.enterIvr(ctx.draftTest
    ? { version: flow.version, name: ctx.draftTest.flow.name, draft: true }
    : { version: flow.version, name: services.flowName });
  const prompts = await services.prompts();
  const ivr = new IvrRun({
    flow: flow.document, catalogue: prompts.catalogue, context: { client: ctx.client, businessHours: routing.document.businessHours }, clock: systemClock, logger: log,
    chooseVariant: greetingVariants,
  });
  const driver = new IvrDriver(ivr, media, (id, language) => prompts.fileOf(id, language), log, (step) => recorder.ivrStep(step.nodeId, undefined, step.at, step.variant));
  const unsubscribe = subscribeCallerDigits(ctx, (digit) => {
    recorder.note('dtmf', { digit });
    driver.digit(digit);
  });
  let end: IvrEnd;
  try {
    driver.start();
    end = await Promise.race([driver.ended, ctx.callerGone.promise.then((): IvrEnd => ({ kind: 'caller_hangup' }))]);
  } finally {
    driver.stop();
    unsubscribe();
  }
  const language = ivr.language;
  ctx.language = language;
  ctx.promptFile = (id) => {
    try {
      return prompts.fileOf(id, language);
    } catch {
      return null;
    }
  };
  if (end.kind === 'caller_hangup') return { kind: 'ended', end: { side: 'caller', cause: 'BYE' } };
  if (end.kind === 'hangup') {
    if (end.callbackRequested) await requestCallbackOutsideQueue(ctx, 'the IVR’s callback offer');
    ctx.hangUp(ctx.uas);
    return { kind: 'ended', end: { side: 'system', cause: 'IVR ended the call' } };
  }
  return { kind: 'route', end, prompts, language };
}

/** Where routing sends the call: a queue plan to wait in, or the end (after hours). */
export type RoutingOutcome = { kind: 'queue'; plan: QueuePlan; goodbyeFile: string } | { kind: 'ended'; end: CallEnd };

/**
 * The routing phase (design §3 steps 5–6): decideRoute with the caller's
 * choice, the directory and who is free; the decision on the record; its
 * announcement played. A queue, person or department becomes a queue plan;
 * after hours the caller hears the prompt (and is put down for a callback
 * when the rule says so) and the call ends.
 */
export async function routeCall(ctx: InboundContext, ivr: Extract<IvrOutcome, { kind: 'route' }>, configs: CallConfigs): Promise<RoutingOutcome> {
  const { recorder, services } = ctx;
  const routing = configs.routing;
  const { prompts, language } = ivr;
  const directory = await services.directory();
  const decision = decideRoute({
    call: { callerNumber: ctx.callerNumber, dialledNumber: ctx.req.calledNumber || null },
    client: ctx.client, choice: ivr.end.command.choice,
    availability: services.availability.snapshot(directory.queues),
    directory, now: new Date(), config: routing.document, announcementsPlayed: ivr.end.command.announcementsPlayed,
  });
  ctx.decision = decision;
  recorder.route(decision, routing.version);
  ctx.log.info({ rule: decision.ruleId, reason: decision.reason }, 'routed');
  const gaps = decision.directoryGaps ?? [];
  if (gaps.length > 0) {
    // The API refuses to remove what the published config names (issue 15); a gap means a change made around it (SQL, a restore).
    ctx.log.warn({ gaps, rule: decision.ruleId, configVersion: routing.version }, 'routed past references the directory no longer has');
    recorder.note('directory_gap', { gaps: [...gaps], ruleId: decision.ruleId, configVersion: routing.version });
  }
  if (decision.announcement) await ctx.playAndWait(prompts.fileOf(decision.announcement, language));
  ctx.basePriority = routing.document.defaults.priority;
  const plan = queuePlanFor(decision.target, routing.document.defaults.priority, {
    language: ctx.client?.language, queueSkills: (queue) => directory.queueSettings?.[queue]?.requiredSkills,
  });
  if (plan) return { kind: 'queue', plan, goodbyeFile: prompts.fileOf('goodbye', language) };
  const target = decision.target;
  if (target.kind === 'after_hours') {
    // The rule's message, then when to call back: the hours of the routing config that just said "closed".
    const has = (id: string): boolean => prompts.catalogue.some((p) => p.id === id && p.language === language);
    const said = withOpeningHours([target.promptId, OPENING_HOURS_PROMPT], routing.document.businessHours, language, has);
    for (const id of said.filter((id) => id === target.promptId || has(id))) {
      if (ctx.callerGone.fired) break;
      await ctx.playAndWait(prompts.fileOf(id, language));
    }
    if (target.action === 'callback') await requestCallbackOutsideQueue(ctx, 'after hours');
  }
  if (ctx.callerGone.fired) return { kind: 'ended', end: { side: 'caller', cause: 'BYE' } };
  ctx.hangUp(ctx.uas);
  return { kind: 'ended', end: { side: 'system', cause: 'after hours' } };
}
