import { randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import type { Reservation } from '../acd';
import type { TransferTarget } from '../calls/call-record';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import type { MediaSession } from '../media/media-session';
import type { CallServices } from './call-services';
import { DirectCallPresence, type DirectCallRelease } from './direct-call-presence';
import type { QueuePlan } from './queue-plan';
import type { SrfRequest } from './srf-types';
import { legKindOf } from './call-session/dialog-ends';

type Dialog = Srf.Dialog;

/** How long the consulted party's phone may ring before the consult is reported failed. */
export const CONSULT_RING_SECONDS = 20;

/**
 * The lifecycle of one warm transfer (design §3 step 8, §1 rule 9), one
 * explicit state machine (design §8):
 *
 * - `ringing`: the caller hears music, the consulted party's phone rings
 *   (a person's registered phone directly; for a queue or department the ACD
 *   picks the agent, like any offer).
 * - `talking`: agent and consulted party hear each other; the caller still hears music.
 * - `failed`: nobody answered in CONSULT_RING_SECONDS, the party declined or hung up;
 *   the caller stays on hold until the agent cancels.
 * - `completed`: the caller is with the consulted party; the agent's leg is ended by the session.
 * - `cancelled`: the consulted party is let go, caller and agent talk again.
 * - `ended`: the call ended under the consult (the caller hung up, the system ended it).
 */
export type ConsultState = 'ringing' | 'talking' | 'failed' | 'completed' | 'cancelled' | 'ended';

export const CONSULT_TRANSITIONS: Readonly<Record<ConsultState, readonly ConsultState[]>> = {
  ringing: ['talking', 'failed', 'cancelled', 'ended'],
  // talking → failed: the consulted party hung up before the transfer completed.
  talking: ['completed', 'failed', 'cancelled', 'ended'],
  failed: ['cancelled', 'ended'],
  completed: [],
  cancelled: [],
  ended: [],
};

/** Who a consult rings: one person's phone, or whoever the ACD picks from a plan. */
export type ConsultRoute =
  | { kind: 'person'; staffId: number }
  | { kind: 'acd'; plan: QueuePlan; acdCallId: string };

/** The consulted party once the transfer completed: the session's new agent leg. */
export interface ConsultedLeg {
  staffId: number;
  tag: string;
  dialog: Dialog;
  /** The ACD entry the consulted agent answered (they are on_call in it); null for a person rung directly. */
  acdCallId: string | null;
  /** A person rung directly was taken out of the ACD's pool (DirectCallPresence): call when their leg ends. */
  backToPool: DirectCallRelease | null;
}

/** Options of ConsultTransfer. */
export interface ConsultTransferOptions {
  services: CallServices;
  /** The call's id (the ACD's events say which call took a person out of the pool). */
  callId: string;
  media: MediaSession;
  /** The transferring agent's dialog: re-INVITEd once the consulted party answers. */
  agentDialog: Dialog;
  route: ConsultRoute;
  target: TransferTarget;
  /** Headers of the INVITE to the consulted party (From, X-Switchboard-…). */
  inviteHeaders: Record<string, string>;
  /** What the ACD entry carries (client id, reason…), for queue and department consults. */
  acdMeta: Record<string, unknown>;
  logger: Logger;
  ringMs?: number;
  /** Told once when the consult fails (no answer, declined, hung up); the call record notes it. */
  onFailed: (reason: string) => void;
}

/**
 * One warm transfer of an inbound call. The session owns it and calls
 * `start`, then `complete` or `cancel` on the agent's word, or `end` when
 * the call ends; `offer` takes the ACD's reservations for the consult entry.
 * Every timer, INVITE, dialog and ACD entry it makes is released by
 * complete / cancel / end, whichever comes.
 */
export class ConsultTransfer {
  private current: ConsultState = 'ringing';
  /** The rtpengine tag of the party rung last (a new one for each: their phones may differ in kind). */
  private tag: string | null = null;
  private readonly log: Logger;
  private readonly ringMs: number;
  private request: SrfRequest | null = null;
  private dialog: Dialog | null = null;
  private staffId: number | null = null;
  private ringTimer: NodeJS.Timeout | null = null;
  /** The ACD entry exists (enqueued) and is not finished yet. */
  private acdEntryOpen = false;
  /** The consulted agent answered the ACD entry (on_call in it). */
  private acdAnswered = false;
  /** The media steps after the answer, while they run: cancel and complete wait for them (the media session is not re-entrant). */
  private connecting: Promise<void> | null = null;
  /** A person rung directly is out of the ACD's pool until the consult lets them go, or the session takes them over. */
  private backToPool: DirectCallRelease | null = null;

  constructor(private readonly options: ConsultTransferOptions) {
    this.log = options.logger.child({ consult: options.target.label ?? options.target.kind });
    this.ringMs = options.ringMs ?? CONSULT_RING_SECONDS * 1000;
  }

  get state(): ConsultState {
    return this.current;
  }

  /** The ACD entry of a queue or department consult (reservations for it come here); null for a person. */
  get acdCallId(): string | null {
    return this.options.route.kind === 'acd' ? this.options.route.acdCallId : null;
  }

  get target(): TransferTarget {
    return this.options.target;
  }

  /** True while the consult holds the caller on music (not completed, cancelled or ended). */
  get active(): boolean {
    return this.current === 'ringing' || this.current === 'talking' || this.current === 'failed';
  }

  /**
   * Puts the caller on music and starts ringing. Resolves once ringing
   * started (not when answered). A failure to ring at all is a `failed`
   * consult, not an error; an error means the media could not be set up
   * (the session then cancels).
   */
  async start(): Promise<void> {
    const { media, route, services } = this.options;
    await media.startConsult(services.musicOnHoldFile);
    this.ringTimer = setTimeout(() => this.fail('no answer'), this.ringMs);
    if (route.kind === 'person') {
      // Not awaited: the REST call that started the consult returns while the phone rings.
      void this.ringPerson(route.staffId);
      return;
    }
    // Open from now: the ACD may reserve an agent inside the enqueue itself, and that offer must find it so.
    this.acdEntryOpen = true;
    const result = await services.acd.enqueue({
      callId: route.acdCallId, queueId: route.plan.queueId, priority: route.plan.priority,
      ...(route.plan.stages ? { stages: route.plan.stages } : {}), meta: this.options.acdMeta,
    });
    if (result.outcome === 'callback' || result.outcome === 'voicemail') this.acdEntryOpen = false;
    if (!this.acdEntryOpen) this.fail(`nobody serves queue ${route.plan.queueId}`);
  }

  /** The ACD reserved an agent for the consult entry: ring them (a ring-no-answer gives the entry back to the ACD). */
  async offer(reservation: Reservation): Promise<void> {
    const { acd } = this.options.services;
    if (this.current !== 'ringing' || this.request || this.dialog || reservation.callId !== this.acdCallId) {
      await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard').catch(() => undefined);
      return;
    }
    const staffId = Number(reservation.agentId);
    try {
      await acd.markOffered(reservation.callId, reservation.agentId);
      const answered = await this.ring(staffId, reservation.ringMs);
      if (!answered) return;
      await acd.answer(reservation.callId, reservation.agentId);
      this.acdAnswered = true;
      await this.connectOnce();
    } catch (err) {
      if (this.dialog) {
        // Answered, then the re-INVITE of the agent or the media failed: the consult cannot go on.
        this.log.warn({ err }, 'consult could not connect the agent');
        this.fail(`could not connect: ${(err as Error).message}`);
        return;
      }
      const status = (err as { status?: number }).status;
      this.log.info({ agent: staffId, reason: status ?? (err as Error).message }, 'consulted agent did not take the call');
      if (this.current === 'ringing' && this.acdEntryOpen) {
        await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard').catch((e: unknown) => this.log.warn({ err: e }, 'ring-no-answer failed'));
      }
    }
  }

  /**
   * Completes the transfer: caller and consulted party are paired, the
   * music stops. The session then ends the agent's leg and takes the
   * returned leg as its agent.
   *
   * @throws AppError ILLEGAL_TRANSITION unless the consulted party is on the line.
   */
  async complete(): Promise<ConsultedLeg> {
    await this.settled();
    if (this.current !== 'talking' || !this.dialog || this.staffId === null) {
      throw new AppError('ILLEGAL_TRANSITION', `the consult cannot complete: it is ${this.current}`);
    }
    await this.options.media.completeConsult();
    this.transition('completed');
    this.clearRingTimer();
    const backToPool = this.backToPool;
    this.backToPool = null;
    return { staffId: this.staffId, tag: this.tag as string, dialog: this.dialog, acdCallId: this.acdAnswered ? this.acdCallId : null, backToPool };
  }

  /**
   * Calls the consult off: the consulted party is hung up (or its ringing
   * cancelled), its ACD entry ended, and the caller paired with the agent
   * again without music.
   *
   * @throws AppError ILLEGAL_TRANSITION once completed, cancelled or ended.
   */
  async cancel(): Promise<void> {
    await this.settled();
    if (!this.active) throw new AppError('ILLEGAL_TRANSITION', `the consult cannot be cancelled: it is ${this.current}`);
    this.transition('cancelled');
    await this.letGo('agent');
    await this.options.media.cancelConsult();
  }

  /** The call ended under the consult: lets the consulted party go. Never throws; the media is the session's to delete. */
  async end(by: 'caller' | 'agent' | 'system'): Promise<void> {
    if (this.current === 'completed' || this.current === 'cancelled' || this.current === 'ended') return;
    this.transition('ended');
    await this.letGo(by);
  }

  private async ringPerson(staffId: number): Promise<void> {
    try {
      // No queue call for them on top of the consult (one already ringing them rings on: their phone decides).
      this.backToPool = await new DirectCallPresence(this.options.services.acd, this.log).occupy(staffId, this.options.callId, 'proceed');
      const answered = await this.ring(staffId, this.ringMs);
      if (answered) await this.connectOnce();
    } catch (err) {
      const status = (err as { status?: number }).status;
      const reason = status ? `${status}` : (err as Error).message;
      this.log.info({ staffId, reason }, 'consulted person did not take the call');
      if (this.dialog) this.hangUpTarget();
      this.fail(status === 486 || status === 603 ? `declined (${status})` : status === 487 ? 'no answer' : reason);
    }
  }

  /**
   * Rings `staffId`'s first registered phone with a consult offer written
   * for it (a browser softphone or a SIP phone). Resolves true with the
   * dialog kept when they answered while the consult still wanted them;
   * false when it no longer did (the answer is hung up).
   */
  private async ring(staffId: number, ringMs: number): Promise<boolean> {
    if (this.current !== 'ringing') return false;
    const contact = (await this.options.services.contactsOf(staffId))[0];
    if (!contact) throw new AppError('NO_DEVICE', `staff member ${staffId} has no registered phone`);
    const tag = `consult-${randomUUID()}`;
    const kind = legKindOf(contact);
    const offerSdp = await this.options.media.offerToConsulted({ tag, kind });
    this.tag = tag;
    const timer = setTimeout(() => this.request?.cancel(() => undefined), Math.min(ringMs, this.ringMs));
    let dialog: Dialog;
    try {
      dialog = await this.options.services.srf.createUAC(contact.uri, { localSdp: offerSdp, headers: this.options.inviteHeaders }, {
        cbRequest: (_err, req) => {
          this.request = req;
          // Cancelled or ended while the INVITE was on its way.
          if (this.current !== 'ringing') req.cancel(() => undefined);
        },
      });
    } finally {
      clearTimeout(timer);
      this.request = null;
    }
    if (this.current !== 'ringing') {
      dialog.destroy(undefined, () => undefined);
      return false;
    }
    this.dialog = dialog;
    this.staffId = staffId;
    dialog.on('destroy', () => {
      this.dialog = null;
      if (this.current === 'ringing' || this.current === 'talking') this.fail('the consulted party hung up');
    });
    return true;
  }

  private async connectOnce(): Promise<void> {
    this.connecting = this.connectAgent();
    try {
      await this.connecting;
    } finally {
      this.connecting = null;
    }
  }

  /** Waits for the media steps under way, whatever their outcome (they report it themselves). */
  private async settled(): Promise<void> {
    await this.connecting?.catch(() => undefined);
  }

  /** The consulted party answered: complete the media so that agent and party hear each other. */
  private async connectAgent(): Promise<void> {
    const dialog = this.dialog as Dialog;
    const { media, agentDialog } = this.options;
    const agentOffer = await media.consultAnswered(dialog.remote.sdp);
    const agentAnswer: string = await agentDialog.modify(agentOffer);
    await media.consultAgentAnswered(agentAnswer);
    // The party may have hung up, or the agent cancelled, while the agent was re-INVITEd.
    if (this.current !== 'ringing') return;
    this.clearRingTimer();
    this.transition('talking');
  }

  private fail(reason: string): void {
    if (this.current !== 'ringing' && this.current !== 'talking') return;
    this.transition('failed');
    this.clearRingTimer();
    this.request?.cancel(() => undefined);
    this.log.info({ reason }, 'consult failed');
    // The ACD must not go on ringing people for a consult that is over.
    void this.closeAcdEntry('agent');
    void this.putBackInPool();
    this.options.onFailed(reason);
  }

  private async letGo(by: 'caller' | 'agent' | 'system'): Promise<void> {
    this.clearRingTimer();
    this.request?.cancel(() => undefined);
    this.hangUpTarget();
    await this.closeAcdEntry(by);
    await this.putBackInPool();
  }

  private async putBackInPool(): Promise<void> {
    const backToPool = this.backToPool;
    this.backToPool = null;
    await backToPool?.();
  }

  private hangUpTarget(): void {
    const dialog = this.dialog;
    this.dialog = null;
    dialog?.destroy(undefined, (err: unknown) => {
      if (err) this.log.debug({ err: (err as Error).message }, 'BYE not needed: the consulted party had hung up');
    });
  }

  /** Ends the consult's ACD entry: a consulted agent who answered goes to wrap-up; otherwise the entry is withdrawn. */
  private async closeAcdEntry(by: 'caller' | 'agent' | 'system'): Promise<void> {
    const acdCallId = this.acdCallId;
    if (!acdCallId || !this.acdEntryOpen) return;
    this.acdEntryOpen = false;
    const { acd } = this.options.services;
    try {
      if (this.acdAnswered) await acd.hangUp(acdCallId, { by });
      else await acd.abandon(acdCallId);
    } catch (err) {
      this.log.warn({ err, acdCallId }, 'could not close the consult ACD entry');
    }
  }

  private clearRingTimer(): void {
    if (this.ringTimer) clearTimeout(this.ringTimer);
    this.ringTimer = null;
  }

  private transition(to: ConsultState): void {
    if (!CONSULT_TRANSITIONS[this.current].includes(to)) {
      throw new AppError('ILLEGAL_TRANSITION', `consult ${this.current} → ${to} is not allowed`);
    }
    this.log.info({ from: this.current, to }, 'consult state');
    this.current = to;
  }
}
