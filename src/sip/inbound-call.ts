import { randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import type { AcdEvent, EnqueueResult, Reservation } from '../acd';
import { CallRecorder, newCallId } from '../calls/call-recorder';
import type { CallOutcome } from '../calls/call-outcome';
import type { TransferTarget } from '../calls/call-record';
import { AppError } from '../errors/app-error';
import { systemClock } from '../ivr/clock';
import type { FlowDocument } from '../ivr/flow-document';
import { IvrRun } from '../ivr/ivr-run';
import { callLogger, type Logger } from '../logger';
import { recordingWavPath } from '../media/call-recording';
import type { LegKind } from '../media/media-leg';
import { MediaSession } from '../media/media-session';
import type { ClientFacts } from '../routing/client-facts';
import { decideRoute } from '../routing/decide-route';
import type { RouteDecision } from '../routing/route-decision';
import type { CallServices } from './call-services';
import { ConsultTransfer, type ConsultRoute, type ConsultState } from './consult-transfer';
import type { DirectCallRelease } from './direct-call-presence';
import { CallHold } from './hold-state';
import { IvrDriver, type IvrEnd } from './ivr-driver';
import { queuePlanFor, type QueuePlan } from './queue-plan';
import { hangUpDialog, legKindOf, tagOf } from './call-session/dialog-ends';
import { relayReinvite } from './call-session/reinvite-relay';
import { Signal } from './call-session/signal';
import { acdCallIdOf } from '../acd/session-call-ids';
import { transferPlanFor, type TransferPlan } from './call-session/transfer-plan';
import { sentOverWebSocket } from './sent-over-websocket';
import { refuse, sipFailureFor } from './sip-status';
import type { SrfRequest, SrfResponse } from './srf-types';
import { concreteTransferTarget, transferTargetOfReferTo, type BlindTransferTarget } from './transfer-target';

export { transferTargetOfReferTo, type BlindTransferTarget } from './transfer-target';

type Dialog = Srf.Dialog;


interface AgentLeg {
  /** The ACD's reservation; null for a person who took the caller over in a warm transfer (rung directly). */
  reservation: Reservation | null;
  staffId: number;
  tag: string;
  request: SrfRequest | null;
  dialog: Dialog | null;
  ringTimer: NodeJS.Timeout | null;
  /** Set before we end this leg for a transfer: its end must not hang up the caller. */
  transferredAway: boolean;
  /** A person who took the caller over in a warm transfer is out of the ACD's pool until their leg ends (consult-transfer). */
  backToPool?: DirectCallRelease | null;
}


type CallEnd = { side: 'caller' | 'agent' | 'system'; cause: string; outcome?: CallOutcome };

/** A warm transfer as the API shows it. */
export interface ConsultView {
  state: ConsultState;
  target: TransferTarget;
}

/** The caller's number as the trunk asserts it (RFC 3325 P-Asserted-Identity), else the From user. */
export function callerNumberOf(req: SrfRequest): string {
  for (const header of ['P-Asserted-Identity', 'From']) {
    if (!req.has(header)) continue;
    const match = /<?(?:sips?|tel):([^@;>]+)/i.exec(req.get(header));
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return 'anonymous';
}


/**
 * A draft test (issue 7): a staff member who may edit IVR flows dialled
 * `ivr-draft-<flow>` from an authenticated phone. The call takes the hotline's
 * whole path, with the flow taken from this draft (already validated) instead
 * of the published version. Its record says so: direction `internal`, no
 * trunk, the dialled address as dialed_number, and `draft: true` on the
 * `ivr_started` event.
 */
export interface DraftTest {
  flow: { name: string; version: number; document: FlowDocument };
  /** The staff member dialling. */
  staffId: number;
  /** The number to route the call as; null = the staff member's own (SIP username): an unknown caller. */
  callerNumber: string | null;
}

export interface InboundCallOptions {
  draftTest?: DraftTest;
}

/** The caller leg's kind: a browser softphone dials over WebSocket (a draft test), everything else is plain SIP. */
function callerLegKind(req: SrfRequest): LegKind {
  return sentOverWebSocket(req) ? 'webrtc' : 'sip';
}

/**
 * One inbound call from the hotline, end to end (design §3): trunk check,
 * caller lookup, media anchored in rtpengine, answer, the published IVR flow,
 * the routing decision, the ACD queue with music on hold, the agent's phone
 * rung with the call and client ids in X- headers, the bridge, recording,
 * hang-up on either side — and, whatever happens, exactly one call record
 * and every resource released in `finally`.
 */
export class InboundCall {
  readonly id = newCallId();
  private readonly log: Logger;
  private media: MediaSession | null = null;
  private uas: Dialog | null = null;
  private agent: AgentLeg | null = null;
  private readonly callerGone = new Signal<'BYE' | 'CANCEL'>();
  private readonly agentGone = new Signal();
  private queued = false;
  private connectedAgent: string | null = null;
  private recordingId: string | null = null;
  private recordingStartedAt: Date | null = null;
  private client: ClientFacts | null = null;
  private decision: RouteDecision | null = null;
  private onDigit: (digit: string) => void = () => undefined;
  private readonly recorder: CallRecorder;
  private callerE164: string | null = null;
  /** The id of the caller's current entry in the ACD (see acdCallIdOf). */
  private acdId: string;
  private transfersMade = 0;
  private transferInProgress = false;
  /** The routing config's default priority, for queues a transfer names. */
  private basePriority = 5;
  private goodbyeFile: string | null = null;
  /** The system ended the call while it waited (a transfer that could not queue the caller). */
  private readonly systemEnded = new Signal<CallEnd>();
  private releasing = false;
  /** The agent's hold (music for the caller, hold time on the record). */
  private readonly hold: CallHold;
  /** The warm transfer under way, if any. */
  private consult: ConsultTransfer | null = null;
  /** The current ACD entry is answered by the connected agent (false after a warm transfer to a person rung directly). */
  private acdEntryConnected = false;
  /** Prompt files in the caller's language, once the IVR chose it (overflow announcements). */
  private promptFile: ((promptId: string) => string | null) | null = null;
  /** The number the call is looked up and routed by (the trunk's, or the one a draft test names). */
  private readonly callerNumber: string;
  private readonly draftTest: DraftTest | null;

  constructor(
    private readonly services: CallServices,
    private readonly req: SrfRequest,
    private readonly res: SrfResponse,
    options: InboundCallOptions = {},
  ) {
    this.log = callLogger(services.logger, this.id);
    this.hold = new CallHold(this.log);
    this.acdId = this.id;
    this.draftTest = options.draftTest ?? null;
    this.callerNumber = this.draftTest?.callerNumber ?? callerNumberOf(req);
    this.recorder = new CallRecorder({
      id: this.id, logger: this.log, callerNumber: this.callerNumber, dialedNumber: req.calledNumber || null,
      // A draft test comes from a staff phone, not a trunk: an internal call, so that it is never taken for a client's.
      trunk: this.draftTest ? null : req.source_address, sipCallId: req.get('Call-ID'),
      ...(this.draftTest ? { direction: 'internal' as const } : {}),
    });
    if (this.draftTest) this.log.info({ flow: this.draftTest.flow.name, version: this.draftTest.flow.version, staffId: this.draftTest.staffId }, 'draft test call');
  }

  /** The flow this call runs: the draft under test, else the published version of the hotline's flow. */
  private async flowForCall(): Promise<{ version: number; document: FlowDocument } | null> {
    if (this.draftTest) return this.draftTest.flow;
    return this.services.flows.currentOrLastKnown(this.services.flowName);
  }

  /** Runs the call to its end. Never throws: every failure is answered, logged and recorded. */
  async run(): Promise<void> {
    let end: CallEnd = { side: 'system', cause: 'ended' };
    let unsubscribeDtmf: (() => void) | null = null;
    try {
      this.req.on('cancel', () => this.callerGone.resolve('CANCEL'));
      const sipCallId = this.req.get('Call-ID');
      // A CANCEL (RFC 3261 §9.2) may come while the directory is slow: drachtio-server has answered it (487), so
      // nothing is sent, and the call is released at once rather than after the lookup.
      const looked = await this.beforeCallerLeaves(this.services.lookup.lookup(this.callerNumber));
      if (!looked) {
        end = { side: 'caller', cause: 'CANCEL' };
        return;
      }
      const lookup = looked.value;
      this.client = lookup.kind === 'known' ? lookup.client : null;
      this.callerE164 = lookup.e164;
      this.recorder.identify({ clientId: this.client?.id ?? null, clientType: this.client?.type ?? null, callerE164: lookup.e164 });
      const configs = await this.beforeCallerLeaves(Promise.all([
        this.flowForCall(),
        this.services.routing.currentOrLastKnown(null),
      ]));
      if (!configs) {
        end = { side: 'caller', cause: 'CANCEL' };
        return;
      }
      const [flow, routing] = configs.value;
      if (!flow || !routing) {
        refuse(this.res, 'DEPENDENCY_DOWN', 'no published IVR flow or routing', { 'Retry-After': '30' });
        end = { side: 'system', cause: 'no published IVR flow or routing config', outcome: 'failed' };
        return;
      }
      const callerTag = tagOf(this.req.get('From'));
      if (!callerTag) {
        refuse(this.res, 'BAD_SIP_REQUEST', 'missing From tag');
        end = { side: 'system', cause: 'malformed INVITE: no From tag', outcome: 'rejected' };
        return;
      }
      this.media = new MediaSession({
        ng: this.services.ng, callId: sipCallId, caller: { tag: callerTag, kind: callerLegKind(this.req) }, recordingDir: this.services.captureDir, logger: this.log,
        ...(this.services.mediaCalls ? { tracker: this.services.mediaCalls } : {}),
      });
      const localSdp = await this.media.anchorCaller(this.req.body);
      if (this.callerGone.fired) {
        end = { side: 'caller', cause: 'CANCEL' };
        return;
      }
      this.uas = await this.services.srf.createUAS(this.req, this.res, { localSdp });
      this.recorder.answer();
      this.watchCaller(this.uas, sipCallId, callerTag);
      const media = this.media;
      unsubscribeDtmf = this.services.dtmf.subscribe(sipCallId, (event) => {
        if (event.source === 'sip-info' || media.roleOfTag(event.sourceTag) === 'caller') this.onDigit(event.digit);
      });

      // IVR
      this.recorder.enterIvr(this.draftTest
        ? { version: flow.version, name: this.draftTest.flow.name, draft: true }
        : { version: flow.version, name: this.services.flowName });
      const prompts = await this.services.prompts();
      const ivr = new IvrRun({ flow: flow.document, catalogue: prompts.catalogue, context: { client: this.client, businessHours: routing.document.businessHours }, clock: systemClock, logger: this.log });
      const driver = new IvrDriver(ivr, media, (id, language) => prompts.fileOf(id, language), this.log, (step) => this.recorder.ivrStep(step.nodeId, undefined, step.at));
      this.onDigit = (digit) => {
        this.recorder.note('dtmf', { digit });
        driver.digit(digit);
      };
      driver.start();
      const ivrEnd: IvrEnd = await Promise.race([driver.ended, this.callerGone.promise.then((): IvrEnd => ({ kind: 'caller_hangup' }))]);
      driver.stop();
      this.onDigit = () => undefined;
      const language = ivr.language;
      this.promptFile = (id) => {
        try {
          return prompts.fileOf(id, language);
        } catch {
          return null;
        }
      };

      if (ivrEnd.kind === 'caller_hangup') {
        end = { side: 'caller', cause: 'BYE' };
        return;
      }
      if (ivrEnd.kind === 'hangup') {
        if (ivrEnd.callbackRequested) this.recorder.requestCallback(this.callerE164 ? { number: this.callerE164 } : {});
        this.hangUp(this.uas);
        end = { side: 'system', cause: 'IVR ended the call' };
        return;
      }

      // Routing
      const directory = await this.services.directory();
      this.decision = decideRoute({
        call: { callerNumber: this.callerNumber, dialledNumber: this.req.calledNumber || null },
        client: this.client, choice: ivrEnd.command.choice,
        availability: this.services.availability.snapshot(directory.queues),
        directory, now: new Date(), config: routing.document, announcementsPlayed: ivrEnd.command.announcementsPlayed,
      });
      this.recorder.route(this.decision, routing.version);
      this.log.info({ rule: this.decision.ruleId, reason: this.decision.reason }, 'routed');
      if (this.decision.announcement) await this.playAndWait(prompts.fileOf(this.decision.announcement, ivr.language));
      this.basePriority = routing.document.defaults.priority;
      const plan = queuePlanFor(this.decision.target, routing.document.defaults.priority);
      if (!plan) {
        const target = this.decision.target;
        if (target.kind === 'after_hours') await this.playAndWait(prompts.fileOf(target.promptId, ivr.language));
        if (target.kind === 'after_hours' && target.action === 'callback') this.recorder.requestCallback(this.callerE164 ? { number: this.callerE164 } : {});
        if (!this.callerGone.fired) this.hangUp(this.uas);
        end = this.callerGone.fired ? { side: 'caller', cause: 'BYE' } : { side: 'system', cause: 'after hours' };
        return;
      }
      end = await this.waitInQueue(plan, prompts.fileOf('goodbye', ivr.language));
    } catch (err) {
      if (!this.uas && this.callerGone.fired) {
        // The CANCEL crossed our answer (createUAS rejects): the caller left, nothing failed.
        this.log.info({ err: (err as Error).message }, 'caller cancelled while the call was being answered');
        end = { side: 'caller', cause: 'CANCEL' };
        return;
      }
      const failure = sipFailureFor(err);
      this.log.error({ err }, 'call failed');
      if (!this.uas && !this.res.finalResponseSent) this.res.send(failure.status, failure.reason, { headers: failure.headers });
      else this.hangUp(this.uas);
      end = { side: 'system', cause: `failure: ${(err as Error).message}`, outcome: 'failed' };
    } finally {
      unsubscribeDtmf?.();
      await this.release(end);
    }
  }

  /**
   * `work`'s value, or null when the caller CANCELs first. The work goes on
   * unobserved then (its rejection is handled by the race).
   */
  private async beforeCallerLeaves<T>(work: Promise<T>): Promise<{ value: T } | null> {
    if (this.callerGone.fired) return null;
    return Promise.race([work.then((value) => ({ value })), this.callerGone.promise.then(() => null)]);
  }

  private watchCaller(uas: Dialog, sipCallId: string, callerTag: string): void {
    uas.on('destroy', () => this.callerGone.resolve('BYE'));
    uas.on('info', (req: SrfRequest, res: SrfResponse) => {
      const outcome = this.services.dtmf.acceptSipInfo(sipCallId, callerTag, req.get('Content-Type'), req.body);
      res.send(outcome.result === 'rejected' ? (outcome.rejection.error === 'unsupported-type' ? 415 : 400) : 200);
    });
    uas.on('modify', (req: SrfRequest, res: SrfResponse) => {
      void this.reinvite('caller', req, res);
    });
  }

  /** A re-INVITE from either side goes through rtpengine (design §7); the agent's may hold or resume the caller. */
  private async reinvite(from: 'caller' | 'agent', req: SrfRequest, res: SrfResponse): Promise<void> {
    const relayed = await relayReinvite({ media: this.media, dialogOf: (leg) => (leg === 'caller' ? this.uas : this.agent?.dialog), log: this.log }, from, req, res);
    if (relayed && from === 'agent') await this.applyAgentHold(req.body);
  }

  /**
   * The agent's re-INVITE held or resumed the call (RFC 3264 §8.4; hold-state):
   * music on hold for the caller while held (the agent's own audio is blocked
   * meanwhile), the hold time on the record. A failure to play is logged:
   * the hold itself stands.
   */
  private async applyAgentHold(sdp: string): Promise<void> {
    const media = this.media;
    const move = this.hold.moveFor(sdp);
    // During a warm transfer the consult owns the music.
    if (!media || !move || this.consult?.active || media.state !== 'bridged') return;
    try {
      if (move === 'hold') {
        this.hold.transition('on_hold');
        if (this.recorder.state === 'connected') this.recorder.hold();
        await media.startMusicOnHold(this.services.musicOnHoldFile);
      } else {
        this.hold.transition('talking');
        if (this.recorder.state === 'on_hold') this.recorder.resume();
        await media.stopPlayback();
      }
    } catch (err) {
      this.log.warn({ err, move }, 'music on hold could not be switched');
    }
  }

  /** Plays a prompt and waits its length (or until the caller leaves). */
  private async playAndWait(file: string): Promise<void> {
    if (!this.media || this.callerGone.fired) return;
    const playback = await this.media.playPrompt(file);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, playback.durationMs ?? 3000))), this.callerGone.promise]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitInQueue(plan: QueuePlan, goodbyeFile: string): Promise<CallEnd> {
    this.goodbyeFile = goodbyeFile;
    const media = this.media as MediaSession;
    await media.startMusicOnHold(this.services.musicOnHoldFile);
    const refused = await this.enqueueCaller(plan);
    if (refused) return refused;
    // A transfer only swaps the agent: the call goes on until the caller, a non-transferred agent leg or the system ends it.
    return Promise.race([
      this.callerGone.promise.then((): CallEnd => ({ side: 'caller', cause: 'BYE' })),
      this.agentGone.promise.then((): CallEnd => ({ side: 'agent', cause: 'BYE' })),
      this.systemEnded.promise,
    ]);
  }

  /**
   * Puts the caller in the ACD under the current ACD call id. When nobody
   * serves the queue (callback / voicemail policy), says goodbye, hangs up
   * and returns how the call ended; null while the caller waits.
   */
  private async enqueueCaller(plan: QueuePlan): Promise<CallEnd | null> {
    const media = this.media as MediaSession;
    this.recorder.enqueue({ name: plan.queueId, priority: plan.priority });
    this.queued = true;
    const result: EnqueueResult = await this.services.acd.enqueue({
      callId: this.acdId, queueId: plan.queueId, priority: plan.priority, ...(plan.stages ? { stages: plan.stages } : {}),
      ...(this.callerE164 ? { callerNumber: this.callerE164 } : {}),
      meta: {
        clientId: this.client?.id ?? null, reason: this.decision?.reason ?? '',
        // The softphone's client card reads these while the call row is not written yet (src/api/live-call-view.ts).
        callerNumber: this.callerNumber,
        ivrPath: this.recorder.events.filter((e) => e.type === 'ivr_step').map((e) => e.data.nodeId),
      },
    });
    if (result.outcome !== 'callback' && result.outcome !== 'voicemail') return null;
    this.queued = false;
    if (result.outcome === 'callback') this.recorder.requestCallback(this.callerE164 ? { number: this.callerE164 } : {});
    this.recorder.overflow(`nobody serves queue ${plan.queueId}`, result.outcome);
    await media.stopPlayback();
    if (this.goodbyeFile) await this.playAndWait(this.goodbyeFile);
    this.hangUp(this.uas);
    return { side: 'system', cause: `queue ${plan.queueId}: ${result.outcome}` };
  }

  /** The id of the caller's current ACD entry; reservations for any other id of this call are stale. */
  get acdCallId(): string {
    return this.acdId;
  }

  /** The staff member talking with the caller now, if any (REST transfer checks an operator against it). */
  get connectedStaffId(): number | null {
    return this.connectedAgent === null ? null : Number(this.connectedAgent);
  }

  /**
   * Blind transfer (design §3 step 8): ends the agent's leg (BYE; the agent
   * goes to wrap-up), records the transfer, plays music on hold and queues
   * the caller again under a new ACD call id with the target's plan — a
   * person is rung for TRANSFER_PERSON_RING_SECONDS, then their department's
   * queue if it has one. The caller stays up throughout.
   *
   * @throws AppError NOT_FOUND for an unknown target, ILLEGAL_TRANSITION when no agent is connected.
   */
  async transferBlind(target: BlindTransferTarget, byStaffId: number | null): Promise<void> {
    const resolved = await this.resolveTransfer(target);
    await this.executeTransfer(resolved, byStaffId);
  }

  /** The warm transfer under way: its state and target; null when there is none. */
  get consultView(): ConsultView | null {
    const consult = this.consult;
    return consult ? { state: consult.state, target: consult.target } : null;
  }

  /**
   * Warm transfer, step 1 (design §3 step 8, §1 rule 9): the caller hears
   * music on hold, the target is rung — a person's registered phone
   * directly, for CONSULT_RING_SECONDS; a queue, department or named service
   * through the ACD, like any offer — and once it answers, the agent and the
   * target talk. Returns while it rings. A target that does not answer or
   * declines is noted (`consult_failed`) and the caller stays on hold until
   * the agent cancels.
   *
   * @throws AppError NOT_FOUND for an unknown target, ILLEGAL_TRANSITION when no agent is connected or a transfer is under way.
   */
  async startConsult(target: BlindTransferTarget, byStaffId: number | null): Promise<ConsultView> {
    const leg = this.agent;
    const media = this.media;
    const agentDialog = leg?.dialog;
    if (!leg || !agentDialog || !media || media.state !== 'bridged' || this.connectedAgent === null || this.callerGone.fired || this.transferInProgress || this.consult?.active) {
      throw new AppError('ILLEGAL_TRANSITION', 'the call has no connected agent free to consult');
    }
    const directory = await this.services.directory();
    const concrete = concreteTransferTarget(target, directory, this.client);
    let route: ConsultRoute;
    let fact: TransferTarget;
    if (concrete.target.kind === 'person') {
      const staffId = concrete.target.staffId;
      const person = directory.staff.find((s) => s.id === staffId && s.active);
      if (!person) throw new AppError('NOT_FOUND', `staff member ${staffId} does not exist or is inactive`);
      if (person.id === leg.staffId) throw new AppError('VALIDATION_FAILED', 'an agent cannot consult themselves');
      route = { kind: 'person', staffId: person.id };
      fact = target.kind === 'person' ? { kind: 'person', staffId: person.id, label: person.name } : concrete.fact;
    } else {
      const resolved = await this.resolveTransfer(target);
      // A new ACD entry for the consulted agent; it becomes the caller's entry when the transfer completes.
      this.transfersMade += 1;
      route = { kind: 'acd', plan: resolved.plan, acdCallId: acdCallIdOf(this.id, this.transfersMade) };
      fact = resolved.fact;
    }
    // Checked again: the directory read gave the caller or a REFER time to change things.
    if (this.agent !== leg || media.state !== 'bridged' || this.consult?.active || this.callerGone.fired) {
      throw new AppError('ILLEGAL_TRANSITION', 'the call changed while the consult was being prepared');
    }
    this.recorder.startTransfer({ kind: 'warm', target: fact, byAgentId: byStaffId });
    this.log.info({ target: fact, by: byStaffId, agent: leg.staffId }, 'warm transfer: consulting');
    const consult = new ConsultTransfer({
      services: this.services, callId: this.id, media, agentDialog, route, target: fact, logger: this.log,
      inviteHeaders: {
        From: `<sip:${encodeURIComponent(this.callerE164 ?? this.callerNumber)}@switchboard.invalid>`,
        'X-Switchboard-Call-Id': this.id,
        'X-Switchboard-Client-Id': this.client ? String(this.client.id) : 'new',
        'X-Switchboard-Reason': encodeURIComponent(`consult from staff ${leg.staffId}: ${this.decision?.reason ?? ''}`),
        'X-Switchboard-Consult-By': String(leg.staffId),
      },
      acdMeta: { clientId: this.client?.id ?? null, reason: `consult from staff ${leg.staffId}`, callerNumber: this.callerNumber, consultBy: leg.staffId },
      onFailed: (reason) => {
        if (!this.recorder.ended) this.recorder.note('consult_failed', { reason, target: fact });
      },
    });
    this.consult = consult;
    try {
      await consult.start();
    } catch (err) {
      // The media could not be set up: the caller goes back to the agent.
      this.log.warn({ err }, 'warm transfer could not start');
      await consult.end('agent');
      this.consult = null;
      // Read afresh: start() may have moved the media on before it failed.
      const mediaState: string = media.state;
      if (mediaState === 'consulting') await media.cancelConsult().catch((e: unknown) => this.log.warn({ err: e }, 'could not pair the caller with the agent again'));
      if (this.recorder.state === 'transferring') this.recorder.cancelTransfer(`consult could not start: ${(err as Error).message}`);
      throw err;
    }
    return { state: consult.state, target: fact };
  }

  /**
   * Warm transfer, completed: the caller talks with the consulted party, the
   * first agent's leg is hung up (they go to wrap-up), the call row gains the
   * new agent and a `transfer` event.
   *
   * @throws AppError ILLEGAL_TRANSITION unless the consulted party is on the line.
   */
  async completeConsult(byStaffId: number | null): Promise<void> {
    const consult = this.consult;
    if (!consult) throw new AppError('ILLEGAL_TRANSITION', 'no warm transfer is under way');
    const leg = this.agent;
    const taken = await consult.complete();
    this.consult = null;
    const fromAcdId = this.acdId;
    if (leg) {
      leg.transferredAway = true;
      this.hangUp(leg.dialog);
      await this.putBackInPool(leg);
    }
    if (this.acdEntryConnected) {
      await this.services.acd.hangUp(fromAcdId, { by: 'agent' }).catch((err: unknown) => this.log.warn({ err }, 'could not end the transferring agent\'s ACD call'));
    }
    const next: AgentLeg = {
      reservation: null, staffId: taken.staffId, tag: taken.tag, request: null, dialog: taken.dialog, ringTimer: null, transferredAway: false, backToPool: taken.backToPool,
    };
    this.agent = next;
    this.connectedAgent = String(taken.staffId);
    this.acdEntryConnected = taken.acdCallId !== null;
    if (taken.acdCallId) this.acdId = taken.acdCallId;
    this.hold.reset();
    this.log.info({ from: leg?.staffId ?? null, to: taken.staffId, by: byStaffId }, 'warm transfer completed');
    this.recorder.note('transfer', { mode: 'warm', target: consult.target, byAgentId: byStaffId, fromAgentId: leg?.staffId ?? null, toAgentId: taken.staffId });
    this.recorder.agentAnswered({ agentId: taken.staffId });
    this.attachAgentDialog(next, taken.dialog);
    // The consulted party may have hung up while the media was re-paired.
    if (!(taken.dialog as unknown as { connected: boolean }).connected) {
      this.hangUp(this.uas);
      this.agentGone.resolve();
    }
  }

  /**
   * Warm transfer, cancelled: the consulted party is let go (BYE, or CANCEL
   * while ringing), the music stops and caller and agent talk again.
   *
   * @throws AppError ILLEGAL_TRANSITION when no consult is under way.
   */
  async cancelConsult(byStaffId: number | null): Promise<void> {
    const consult = this.consult;
    if (!consult?.active) throw new AppError('ILLEGAL_TRANSITION', 'no warm transfer is under way');
    await consult.cancel();
    this.consult = null;
    this.hold.reset();
    this.log.info({ by: byStaffId }, 'warm transfer cancelled');
    if (this.recorder.state === 'transferring') this.recorder.cancelTransfer(byStaffId === null ? 'cancelled' : `cancelled by staff ${byStaffId}`);
  }

  /**
   * An ACD event (the handler passes every one; this call keeps those about
   * its current entry). Max wait reached while waiting (design §3 step 7):
   * the caller is moved to the overflow target — another queue or a person
   * (they keep waiting, told so), a callback request or a message (the call
   * ends politely).
   */
  onAcdEvent(event: AcdEvent): void {
    if (event.type !== 'call_overflowed' || event.callId !== this.acdId || !this.queued || this.releasing) return;
    this.overflowed(event).catch((err: unknown) => this.log.warn({ err }, 'overflow could not be carried out'));
  }

  private async overflowed(event: Extract<AcdEvent, { type: 'call_overflowed' }>): Promise<void> {
    const reason = event.reason === 'max_wait' ? `max wait reached in queue ${event.fromQueue ?? event.queueId}`
      : event.reason === 'empty_queue' ? `nobody serves queue ${event.queueId}` : `nobody took the call at ${event.queueId}`;
    const targetLabel = event.target === 'queue' || event.target === 'agent' ? `${event.target} ${event.targetId ?? ''}`.trim() : event.target;
    this.log.info({ reason, target: targetLabel }, 'overflowed while waiting');
    // The recorder follows what the ACD did; a call being offered at this moment keeps its state.
    const inQueue = this.recorder.state === 'queued';
    if (inQueue) this.recorder.overflow(reason, targetLabel);
    if (event.target === 'queue' || event.target === 'agent') {
      if (inQueue) this.recorder.enqueue({ name: event.target === 'queue' ? event.targetId ?? event.queueId : event.queueId });
      const announcement = this.promptFile?.('connecting');
      if (announcement && !this.agent) {
        await this.playAndWait(announcement);
        // Back to the music unless an agent was bridged meanwhile (that stops every playback itself).
        if (this.queued && !this.agent && this.media?.state === 'anchored') await this.media.startMusicOnHold(this.services.musicOnHoldFile);
      }
      return;
    }
    // callback or message: the ACD no longer waits for this leg.
    this.queued = false;
    if (event.target === 'callback') this.recorder.requestCallback(this.callerE164 ? { number: this.callerE164 } : {});
    const media = this.media;
    if (media && media.state === 'anchored') await media.stopPlayback();
    const message = event.target === 'callback' ? this.promptFile?.('callback_confirmed') : null;
    if (message) await this.playAndWait(message);
    if (this.goodbyeFile) await this.playAndWait(this.goodbyeFile);
    if (!this.callerGone.fired) this.hangUp(this.uas);
    this.systemEnded.resolve({ side: 'system', cause: `${reason}: ${event.target === 'callback' ? 'callback requested' : 'message'}` });
  }

  private async resolveTransfer(named: BlindTransferTarget): Promise<TransferPlan> {
    return transferPlanFor(named, await this.services.directory(), this.client, this.basePriority);
  }

  private async executeTransfer(resolved: { plan: QueuePlan; fact: TransferTarget }, byStaffId: number | null): Promise<void> {
    const leg = this.agent;
    const media = this.media;
    const dialog = leg?.dialog;
    if (!leg || !dialog || !media || media.state !== 'bridged' || this.connectedAgent === null || this.callerGone.fired || this.transferInProgress) {
      throw new AppError('ILLEGAL_TRANSITION', 'the call has no connected agent to transfer from');
    }
    this.recorder.startTransfer({ kind: 'blind', target: resolved.fact, byAgentId: byStaffId });
    this.transferInProgress = true;
    try {
      const fromAcdId = this.acdId;
      this.log.info({ target: resolved.fact, by: byStaffId, agent: this.connectedAgent }, 'blind transfer');
      leg.transferredAway = true;
      this.hangUp(dialog);
      await this.putBackInPool(leg);
      this.agent = null;
      this.connectedAgent = null;
      this.acdEntryConnected = false;
      this.hold.reset();
      media.releaseAgent();
      await this.services.acd.hangUp(fromAcdId, { by: 'agent' }).catch((err: unknown) => this.log.warn({ err }, 'could not end the transferred-from ACD call'));
      if (this.callerGone.fired || this.releasing) return;
      await media.startMusicOnHold(this.services.musicOnHoldFile);
      if (this.callerGone.fired || this.releasing) return;
      this.transfersMade += 1;
      this.acdId = acdCallIdOf(this.id, this.transfersMade);
      const refused = await this.enqueueCaller(resolved.plan);
      if (refused) this.systemEnded.resolve(refused);
      // The caller left while the entry was being made, and release() has already run: take it out again.
      else if (this.releasing) await this.services.acd.abandon(this.acdId);
    } catch (err) {
      // The caller cannot be left alone on music: end the call.
      this.log.error({ err }, 'blind transfer failed');
      this.hangUp(this.uas);
      this.systemEnded.resolve({ side: 'system', cause: `transfer failed: ${(err as Error).message}`, outcome: 'failed' });
      throw err;
    } finally {
      this.transferInProgress = false;
    }
  }

  /**
   * A REFER from the agent's phone on its dialog (RFC 3515): a blind
   * transfer to the Refer-To target (see transferTargetOfReferTo). 202, then
   * a final NOTIFY with a sipfrag (§2.4.5) before the BYE; unreadable
   * targets 400, unknown ones 404.
   */
  private async onRefer(leg: AgentLeg, req: SrfRequest, res: SrfResponse): Promise<void> {
    const target = req.has('Refer-To') ? transferTargetOfReferTo(req.get('Refer-To')) : null;
    if (!target) return refuse(res, 'BAD_SIP_REQUEST', 'unreadable Refer-To');
    let resolved: { plan: QueuePlan; fact: TransferTarget };
    try {
      resolved = await this.resolveTransfer(target);
    } catch (err) {
      const status = sipFailureFor(err).status;
      return res.send(status === 404 ? 404 : 500);
    }
    if (this.agent !== leg || !leg.dialog) return refuse(res, 'NO_SUCH_DIALOG');
    res.send(202);
    await this.notifyReferDone(leg.dialog);
    try {
      await this.executeTransfer(resolved, leg.staffId);
    } catch (err) {
      this.log.warn({ err }, 'REFER transfer failed');
    }
  }

  /** The final NOTIFY of the implicit subscription (RFC 3515 §2.4.5); not worth holding the transfer for. */
  private async notifyReferDone(dialog: Dialog): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // The bundled types declare request()'s options as SrfRequest; drachtio-srf takes a plain options object.
      const notify = dialog.request({
        method: 'NOTIFY',
        headers: { Event: 'refer', 'Subscription-State': 'terminated;reason=noresource', 'Content-Type': 'message/sipfrag;version=2.0' },
        body: 'SIP/2.0 200 OK\r\n',
      } as unknown as SrfRequest);
      await Promise.race([notify, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    } catch (err) {
      this.log.warn({ err }, 'NOTIFY for the REFER failed');
    } finally {
      clearTimeout(timer);
    }
  }

  private hangUp(dialog: Dialog | null | undefined): void {
    hangUpDialog(dialog, this.log);
  }

  /**
   * The ACD reserved an agent for this call: ring their phone. A failure or
   * no answer gives the call back to the ACD, at the same place in line.
   */
  async offer(reservation: Reservation): Promise<void> {
    const { acd } = this.services;
    const media = this.media;
    // The ACD picked the agent a warm transfer consults (queue or department targets).
    if (this.consult && reservation.callId === this.consult.acdCallId) return this.consult.offer(reservation);
    if (!media || !this.uas || this.callerGone.fired || this.agent || reservation.callId !== this.acdId) {
      await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard').catch(() => undefined);
      return;
    }
    const staffId = Number(reservation.agentId);
    const leg: AgentLeg = { reservation, staffId, tag: `agent-${randomUUID()}`, request: null, dialog: null, ringTimer: null, transferredAway: false };
    this.agent = leg;
    let offerRecorded = false;
    try {
      const contact = (await this.services.contactsOf(staffId))[0];
      if (!contact) {
        this.agent = null;
        await this.skipUnreachableAgent(reservation, staffId);
        return;
      }
      const sdp = await media.offerToAgent(legKindOf(contact), leg.tag);
      await acd.markOffered(this.acdId, reservation.agentId);
      this.recorder.offer({ agentId: staffId, ringTimeoutMs: reservation.ringMs });
      offerRecorded = true;
      leg.ringTimer = setTimeout(() => leg.request?.cancel(() => undefined), reservation.ringMs);
      const stopOnCallerLeaving = this.callerGone.promise.then(() => leg.request?.cancel(() => undefined));
      void stopOnCallerLeaving;
      const dialog = await this.services.srf.createUAC(contact.uri, {
        localSdp: sdp,
        headers: {
          From: `<sip:${encodeURIComponent(this.callerE164 ?? this.callerNumber)}@switchboard.invalid>`,
          'X-Switchboard-Call-Id': this.id,
          'X-Switchboard-Client-Id': this.client ? String(this.client.id) : 'new',
          // The agent sees at once that a draft test, not a client, is calling.
          'X-Switchboard-Reason': encodeURIComponent(`${this.draftTest ? `IVR draft test (${this.draftTest.flow.name} v${this.draftTest.flow.version}): ` : ''}${this.decision?.reason ?? ''}`),
        },
      }, {
        cbRequest: (_err, req) => {
          leg.request = req;
          // The caller may have left while the INVITE was being sent.
          if (this.callerGone.fired) req.cancel(() => undefined);
        },
      });
      clearTimeout(leg.ringTimer);
      leg.dialog = dialog;
      if (this.callerGone.fired) {
        this.hangUp(dialog);
        return;
      }
      await media.acceptAgentAnswer(leg.tag, dialog.remote.sdp);
      await media.stopPlayback();
      await acd.answer(this.acdId, reservation.agentId);
      this.acdEntryConnected = true;
      this.connectedAgent = reservation.agentId;
      this.queued = false;
      this.recorder.agentAnswered({ agentId: staffId });
      this.attachAgentDialog(leg, dialog);
      // After a transfer the one recording simply goes on (the waiting on music included): one call, one recording.
      if (!this.recordingId) {
        await media.startRecording();
        this.recordingId = randomUUID();
        this.recordingStartedAt = new Date();
        this.recorder.recordingStarted(this.recordingId);
      }
    } catch (err) {
      if (leg.ringTimer) clearTimeout(leg.ringTimer);
      this.agent = null;
      // After the caller left, release() has already deleted the media: nothing to cancel then.
      if (media.state !== 'deleted') {
        try {
          media.cancelAgentOffer();
        } catch (cancelErr) {
          this.log.warn({ err: cancelErr }, 'could not withdraw the offer to the agent');
        }
      }
      const status = (err as { status?: number }).status;
      const reason = status ? `${status}` : (err as Error).message;
      this.log.info({ agent: reservation.agentId, reason }, 'agent did not take the call');
      if (this.callerGone.fired) return;
      // The ACD is told whatever else failed: otherwise the caller waits until the reservation expires.
      try {
        if (offerRecorded) this.recorder.offerMissed({ agentId: staffId, reason, requeued: true });
      } finally {
        await acd.ringNoAnswer(this.acdId, reservation.agentId, 'switchboard').catch((e: unknown) => this.log.warn({ err: e }, 'ring-no-answer failed'));
      }
    }
  }

  /**
   * The ACD picked someone Ready whose phone is not registered (a closed
   * softphone tab, a desk phone unplugged): nothing can ring. The attempt goes
   * on the call's timeline, the person is set Not ready (unreachable) for a
   * supervisor to see, and the caller goes back at once, keeping their place.
   */
  private async skipUnreachableAgent(reservation: Reservation, staffId: number): Promise<void> {
    this.log.info({ agent: reservation.agentId }, 'agent has no registered phone: skipped');
    try {
      if (!this.callerGone.fired) {
        this.recorder.offer({ agentId: staffId, ringTimeoutMs: 0 });
        this.recorder.offerMissed({ agentId: staffId, reason: 'unreachable: no registered phone', requeued: true });
      }
    } finally {
      await this.services.acd.ringNoAnswer(this.acdId, reservation.agentId, 'switchboard', { unreachable: true })
        .catch((e: unknown) => this.log.warn({ err: e }, 'ring-no-answer failed'));
    }
  }

  /** A person who took the caller over directly (not through the ACD) is offered queue calls again. */
  private async putBackInPool(leg: AgentLeg): Promise<void> {
    const backToPool = leg.backToPool;
    leg.backToPool = null;
    await backToPool?.();
  }

  /** The connected agent's dialog: its BYE ends the call, its re-INVITEs go through rtpengine, its REFER transfers. */
  private attachAgentDialog(leg: AgentLeg, dialog: Dialog): void {
    dialog.on('destroy', () => {
      // Our own BYE for a transfer: the caller stays.
      if (leg.transferredAway) return;
      if (this.consult?.active && this.agent === leg) {
        void this.agentLeftConsult(leg);
        return;
      }
      this.hangUp(this.uas);
      this.agentGone.resolve();
    });
    dialog.on('modify', (req: SrfRequest, res: SrfResponse) => {
      void this.reinvite('agent', req, res);
    });
    dialog.on('refer', (req: SrfRequest, res: SrfResponse) => {
      void this.onRefer(leg, req, res);
    });
  }

  /**
   * The agent hung up during a warm transfer: with the consulted party on
   * the line that hands the caller over (as a desk phone's attended transfer
   * does); otherwise the consult is let go and the call ends as any agent
   * hang-up does.
   */
  private async agentLeftConsult(leg: AgentLeg): Promise<void> {
    const consult = this.consult;
    if (consult?.state === 'talking') {
      try {
        await this.completeConsult(leg.staffId);
        return;
      } catch (err) {
        this.log.warn({ err }, 'the warm transfer could not complete after the agent hung up');
      }
    }
    await consult?.end('agent');
    this.hangUp(this.uas);
    this.agentGone.resolve();
  }

  /** Frees everything the call holds, writes its record: runs once, whatever happened. */
  private async release(end: CallEnd): Promise<void> {
    this.releasing = true;
    const { acd, writer } = this.services;
    const steps: Array<[string, () => unknown]> = [
      ['consult', () => this.consult?.end(end.side)],
      ['agent leg', () => {
        if (this.agent?.ringTimer) clearTimeout(this.agent.ringTimer);
        if (this.agent?.dialog && !this.agentGone.fired) this.hangUp(this.agent.dialog);
        else this.agent?.request?.cancel(() => undefined);
      }],
      ['acd', async () => {
        if (this.connectedAgent && this.acdEntryConnected) await acd.hangUp(this.acdId, { by: end.side });
        else if (this.queued) await acd.abandon(this.acdId);
      }],
      ['acd pool', () => (this.agent ? this.putBackInPool(this.agent) : undefined)],
      ['media counters', async () => {
        // What rtpengine received from each leg: the proof media flowed, kept with the call.
        if (!this.media || !this.connectedAgent) return;
        const counters = await this.media.counters();
        this.recorder.note('note', { media: { callerPackets: counters.caller.rtp.packets, agentPackets: counters.agent?.rtp.packets ?? 0 } });
      }],
      ['media', () => this.media?.delete()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (err) {
        this.log.warn({ err, what }, 'release step failed');
      }
    }
    const record = this.recorder.end(end);
    await writer.writeCall(record).catch((err: unknown) => this.log.error({ err }, 'call record could not be stored anywhere'));
    if (this.media && this.recordingId && this.recordingStartedAt) {
      try {
        const file = await this.media.saveRecording(recordingWavPath(this.services.recordingsRoot, this.id, this.recordingStartedAt), { removeCapture: true });
        await writer.writeRecording({
          id: this.recordingId, callId: this.id, filePath: file.path, durationMs: file.durationMs, sizeBytes: file.sizeBytes,
          purgeAfter: Date.now() + this.services.recordingRetentionDays * 86_400_000,
        });
      } catch (err) {
        this.log.error({ err }, 'recording could not be saved');
      }
    }
  }
}
