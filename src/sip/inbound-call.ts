import { randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import type { EnqueueResult, Reservation } from '../acd';
import { CallRecorder, newCallId } from '../calls/call-recorder';
import type { CallOutcome } from '../calls/call-outcome';
import type { TransferTarget } from '../calls/call-record';
import { AppError } from '../errors/app-error';
import { systemClock } from '../ivr/clock';
import { IvrRun } from '../ivr/ivr-run';
import { callLogger, type Logger } from '../logger';
import { recordingWavPath } from '../media/call-recording';
import { MediaSession } from '../media/media-session';
import type { ClientFacts } from '../routing/client-facts';
import { decideRoute } from '../routing/decide-route';
import type { RouteDecision } from '../routing/route-decision';
import type { RouteTarget } from '../routing/route-target';
import type { CallServices } from './call-services';
import { IvrDriver, type IvrEnd } from './ivr-driver';
import { queuePlanFor, type QueuePlan } from './queue-plan';
import { sipFailureFor } from './sip-status';
import type { SrfRequest, SrfResponse } from './srf-types';

type Dialog = Srf.Dialog;

/** A promise with its resolve at hand, for the moments a call waits for. */
class Signal<T = void> {
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private done = false;
  constructor() {
    this.promise = new Promise<T>((resolve) => (this.resolveFn = resolve));
  }
  resolve(value: T): void {
    if (this.done) return;
    this.done = true;
    this.resolveFn(value);
  }
  get fired(): boolean {
    return this.done;
  }
}

interface AgentLeg {
  reservation: Reservation;
  staffId: number;
  tag: string;
  request: SrfRequest | null;
  dialog: Dialog | null;
  ringTimer: NodeJS.Timeout | null;
  /** Set before we end this leg for a transfer: its end must not hang up the caller. */
  transferredAway: boolean;
}

/** Where a blind transfer sends the caller (REST body, or parsed from a REFER's Refer-To). */
export type BlindTransferTarget =
  | { kind: 'queue'; queue: string }
  | { kind: 'person'; staffId: number }
  | { kind: 'department'; department: string };

/** A person rung after a transfer gets this long before their department's queue takes over. */
export const TRANSFER_PERSON_RING_SECONDS = 20;

type CallEnd = { side: 'caller' | 'agent' | 'system'; cause: string; outcome?: CallOutcome };

/**
 * The ACD call id of a session's `n`-th leg in the ACD: the session id first,
 * then `<id>.t<n>` after each transfer — the ACD keeps one entry per id, and
 * the transferred-from entry has to end (its agent goes to wrap-up) while the
 * caller waits again.
 */
export function acdCallIdOf(sessionId: string, transfers: number): string {
  return transfers === 0 ? sessionId : `${sessionId}.t${transfers}`;
}

/** The session id an ACD call id belongs to (see acdCallIdOf). */
export function sessionIdOfAcdCall(acdCallId: string): string {
  return acdCallId.replace(/\.t\d+$/, '');
}

/**
 * Reads a REFER's Refer-To (RFC 3515 §2.1) as a transfer target. The user
 * part names it: `sip:queue-<queue>@…` (a queue), `sip:dept-<code>@…` (a
 * department: its queue, else its head), `sip:staff-<id>@…` (a person, with
 * their department's queue as fallback). Anything else: null.
 */
export function transferTargetOfReferTo(referTo: string): BlindTransferTarget | null {
  const user = /<?sips?:([^@;>]+)@/i.exec(referTo)?.[1];
  if (!user) return null;
  const decoded = decodeURIComponent(user);
  const match = /^(queue|dept|staff)-(.+)$/.exec(decoded);
  if (!match?.[2]) return null;
  const [, kind, name] = match;
  if (kind === 'queue') return { kind: 'queue', queue: name };
  if (kind === 'dept') return { kind: 'department', department: name };
  return /^\d+$/.test(name) ? { kind: 'person', staffId: Number(name) } : null;
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

function tagOf(header: string): string | null {
  return /;\s*tag=([^;>\s]+)/i.exec(header)?.[1] ?? null;
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

  constructor(
    private readonly services: CallServices,
    private readonly req: SrfRequest,
    private readonly res: SrfResponse,
  ) {
    this.log = callLogger(services.logger, this.id);
    this.acdId = this.id;
    this.recorder = new CallRecorder({
      id: this.id, logger: this.log, callerNumber: callerNumberOf(req), dialedNumber: req.calledNumber || null,
      trunk: req.source_address, sipCallId: req.get('Call-ID'),
    });
  }

  /** Runs the call to its end. Never throws: every failure is answered, logged and recorded. */
  async run(): Promise<void> {
    let end: CallEnd = { side: 'system', cause: 'ended' };
    let unsubscribeDtmf: (() => void) | null = null;
    try {
      this.req.on('cancel', () => this.callerGone.resolve('CANCEL'));
      const sipCallId = this.req.get('Call-ID');
      const lookup = await this.services.lookup.lookup(callerNumberOf(this.req));
      this.client = lookup.kind === 'known' ? lookup.client : null;
      this.callerE164 = lookup.e164;
      this.recorder.identify({ clientId: this.client?.id ?? null, clientType: this.client?.type ?? null, callerE164: lookup.e164 });
      const [flow, routing] = await Promise.all([
        this.services.flows.currentOrLastKnown(this.services.flowName),
        this.services.routing.currentOrLastKnown(null),
      ]);
      if (!flow || !routing) {
        this.res.send(503, { headers: { 'Retry-After': '30' } });
        end = { side: 'system', cause: 'no published IVR flow or routing config', outcome: 'failed' };
        return;
      }
      const callerTag = tagOf(this.req.get('From'));
      if (!callerTag) {
        this.res.send(400, 'Missing From tag', {});
        end = { side: 'system', cause: 'malformed INVITE: no From tag', outcome: 'rejected' };
        return;
      }
      this.media = new MediaSession({ ng: this.services.ng, callId: sipCallId, caller: { tag: callerTag, kind: 'sip' }, recordingDir: this.services.captureDir, logger: this.log });
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
      this.recorder.enterIvr({ version: flow.version, name: this.services.flowName });
      const prompts = await this.services.prompts();
      const ivr = new IvrRun({ flow: flow.document, catalogue: prompts.catalogue, context: { client: this.client, businessHours: routing.document.businessHours }, clock: systemClock, logger: this.log });
      const driver = new IvrDriver(ivr, media, (id, language) => prompts.fileOf(id, language), this.log);
      this.onDigit = (digit) => {
        this.recorder.note('dtmf', { digit });
        driver.digit(digit);
      };
      driver.start();
      const ivrEnd: IvrEnd = await Promise.race([driver.ended, this.callerGone.promise.then((): IvrEnd => ({ kind: 'caller_hangup' }))]);
      driver.stop();
      this.onDigit = () => undefined;
      for (const step of ivr.path) this.recorder.ivrStep(step.nodeId);

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
        call: { callerNumber: callerNumberOf(this.req), dialledNumber: this.req.calledNumber || null },
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

  /** A re-INVITE from either side goes through rtpengine (design §7), hold included. */
  private async reinvite(from: 'caller' | 'agent', req: SrfRequest, res: SrfResponse): Promise<void> {
    const media = this.media;
    if (!media) return res.send(500);
    try {
      const result = await media.reoffer(from, req.body);
      if (result.kind === 'answered') return res.send(200, { body: result.sdp });
      const other = result.to === 'caller' ? this.uas : this.agent?.dialog;
      if (!other) {
        media.cancelReoffer();
        return res.send(488);
      }
      const answer = await other.modify(result.sdp);
      const sdp = await media.completeReoffer(answer);
      const holding = /a=(sendonly|inactive)/.test(req.body);
      if (from === 'agent' && holding) this.recorder.hold();
      if (from === 'agent' && !holding && this.recorder.state === 'on_hold') this.recorder.resume();
      res.send(200, { body: sdp });
    } catch (err) {
      media.cancelReoffer();
      this.log.warn({ err, from }, 're-INVITE failed');
      res.send(sipFailureFor(err).status === 409 ? 491 : 500);
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
      meta: { clientId: this.client?.id ?? null, reason: this.decision?.reason ?? '' },
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

  private async resolveTransfer(target: BlindTransferTarget): Promise<{ plan: QueuePlan; fact: TransferTarget }> {
    const directory = await this.services.directory();
    const priority = this.basePriority;
    let route: RouteTarget;
    let fact: TransferTarget;
    if (target.kind === 'queue') {
      if (!directory.queues.includes(target.queue)) throw new AppError('NOT_FOUND', `queue ${target.queue} does not exist`);
      route = { kind: 'queue', queue: target.queue, requiredSkills: {}, priority };
      fact = { kind: 'queue', queue: target.queue, label: target.queue };
    } else if (target.kind === 'department') {
      const department = directory.departments.find((d) => d.code === target.department);
      if (!department) throw new AppError('NOT_FOUND', `department ${target.department} does not exist`);
      route = { kind: 'department', department: department.code, departmentName: department.name, queue: department.queue, headStaffId: department.headStaffId };
      fact = { kind: 'department', department: department.code, ...(department.queue ? { queue: department.queue } : {}), label: department.name };
    } else {
      const person = directory.staff.find((s) => s.id === target.staffId && s.active);
      if (!person) throw new AppError('NOT_FOUND', `staff member ${target.staffId} does not exist or is inactive`);
      const department = person.departmentCode ? directory.departments.find((d) => d.code === person.departmentCode) ?? null : null;
      route = {
        kind: 'person', staffId: person.id, name: person.name, role: 'named', departmentCode: person.departmentCode,
        departmentName: department?.name ?? null, ringTimeoutSeconds: TRANSFER_PERSON_RING_SECONDS,
        fallback: department?.queue ? [{ kind: 'queue', queue: department.queue, requiredSkills: {}, priority }] : [],
      };
      fact = { kind: 'person', staffId: person.id, label: person.name };
    }
    const plan = queuePlanFor(route, priority);
    if (!plan) throw new AppError('NOT_FOUND', 'the transfer target cannot take calls');
    return { plan, fact };
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
      this.agent = null;
      this.connectedAgent = null;
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
    if (!target) return res.send(400, 'Bad Refer-To', {});
    let resolved: { plan: QueuePlan; fact: TransferTarget };
    try {
      resolved = await this.resolveTransfer(target);
    } catch (err) {
      const status = sipFailureFor(err).status;
      return res.send(status === 404 ? 404 : 500);
    }
    if (this.agent !== leg || !leg.dialog) return res.send(481);
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

  /**
   * Sends BYE on a dialog (RFC 3261 §15). The callback form, because the
   * promise form rejects when the other side's BYE crossed ours (ENODIALOG):
   * unhandled, that would end the whole process, not just this call.
   */
  private hangUp(dialog: Dialog | null | undefined): void {
    if (!dialog) return;
    dialog.destroy(undefined, (err: unknown) => {
      if (err) this.log.debug({ err: (err as Error).message }, 'BYE not needed: the dialog had already ended');
    });
  }

  /**
   * The ACD reserved an agent for this call: ring their phone. A failure or
   * no answer gives the call back to the ACD, at the same place in line.
   */
  async offer(reservation: Reservation): Promise<void> {
    const { acd } = this.services;
    const media = this.media;
    if (!media || !this.uas || this.callerGone.fired || this.agent || reservation.callId !== this.acdId) {
      await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard').catch(() => undefined);
      return;
    }
    const staffId = Number(reservation.agentId);
    const leg: AgentLeg = { reservation, staffId, tag: `agent-${randomUUID()}`, request: null, dialog: null, ringTimer: null, transferredAway: false };
    this.agent = leg;
    try {
      const contact = (await this.services.contactsOf(staffId))[0];
      if (!contact) throw new Error('no registered device');
      const sdp = await media.offerToAgent(contact.transport === 'ws' || contact.transport === 'wss' ? 'webrtc' : 'sip');
      await acd.markOffered(this.acdId, reservation.agentId);
      this.recorder.offer({ agentId: staffId, ringTimeoutMs: reservation.ringMs });
      leg.ringTimer = setTimeout(() => leg.request?.cancel(() => undefined), reservation.ringMs);
      const stopOnCallerLeaving = this.callerGone.promise.then(() => leg.request?.cancel(() => undefined));
      void stopOnCallerLeaving;
      const dialog = await this.services.srf.createUAC(contact.uri, {
        localSdp: sdp,
        headers: {
          From: `<sip:${encodeURIComponent(this.callerE164 ?? callerNumberOf(this.req))}@switchboard.invalid>`,
          'X-Switchboard-Call-Id': this.id,
          'X-Switchboard-Client-Id': this.client ? String(this.client.id) : 'new',
          'X-Switchboard-Reason': encodeURIComponent(this.decision?.reason ?? ''),
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
      this.connectedAgent = reservation.agentId;
      this.queued = false;
      this.recorder.agentAnswered({ agentId: staffId });
      dialog.on('destroy', () => {
        // Our own BYE for a transfer: the caller stays.
        if (leg.transferredAway) return;
        this.hangUp(this.uas);
        this.agentGone.resolve();
      });
      dialog.on('modify', (req: SrfRequest, res: SrfResponse) => {
        void this.reinvite('agent', req, res);
      });
      dialog.on('refer', (req: SrfRequest, res: SrfResponse) => {
        void this.onRefer(leg, req, res);
      });
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
      this.recorder.offerMissed({ agentId: staffId, reason, requeued: true });
      await acd.ringNoAnswer(this.acdId, reservation.agentId, 'switchboard').catch((e: unknown) => this.log.warn({ err: e }, 'ring-no-answer failed'));
    }
  }

  /** Frees everything the call holds, writes its record: runs once, whatever happened. */
  private async release(end: CallEnd): Promise<void> {
    this.releasing = true;
    const { acd, writer } = this.services;
    const steps: Array<[string, () => unknown]> = [
      ['agent leg', () => {
        if (this.agent?.ringTimer) clearTimeout(this.agent.ringTimer);
        if (this.agent?.dialog && !this.agentGone.fired) this.hangUp(this.agent.dialog);
        else this.agent?.request?.cancel(() => undefined);
      }],
      ['acd', async () => {
        if (this.connectedAgent) await acd.hangUp(this.acdId, { by: end.side });
        else if (this.queued) await acd.abandon(this.acdId);
      }],
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
