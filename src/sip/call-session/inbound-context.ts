import type Srf from 'drachtio-srf';
import type { Reservation } from '../../acd';
import { acdCallIdOf } from '../../acd/session-call-ids';
import { CallRecorder, newCallId } from '../../calls/call-recorder';
import type { CallOutcome } from '../../calls/call-outcome';
import type { TransferTarget } from '../../calls/call-record';
import type { FlowDocument } from '../../ivr/flow-document';
import { callLogger, type Logger } from '../../logger';
import type { MediaSession } from '../../media/media-session';
import type { ClientFacts } from '../../routing/client-facts';
import type { RouteDecision } from '../../routing/route-decision';
import type { CallServices } from '../call-services';
import type { ConsultState, ConsultTransfer } from '../consult-transfer';
import type { DirectCallRelease } from '../direct-call-presence';
import { CallHold } from '../hold-state';
import type { QueuePlan } from '../queue-plan';
import { dialogIdOf, uasDialogIdOf, type SrfRequest, type SrfResponse } from '../srf-types';
import type { CallRecording } from './call-teardown';
import { callCheckpointer } from './call-checkpointing';
import type { CallCheckpointer } from '../../calls/call-checkpoint-store';
import { hangUpDialog, tagOf } from './dialog-ends';
import { Signal } from './signal';

export type Dialog = Srf.Dialog;

/** The agent's side of an inbound call: rung, then talking. */
export interface AgentLeg {
  /** The ACD's reservation; null for a person who took the caller over in a warm transfer (rung directly). */
  reservation: Reservation | null;
  staffId: number;
  tag: string;
  request: SrfRequest | null;
  dialog: Dialog | null;
  ringTimer: NodeJS.Timeout | null;
  /** While the agent's phones ring: stops them all (CANCEL); null otherwise. */
  stopRinging?: (() => void) | null;
  /** Bridged with the caller and talking (set when the answer is bridged; a transfer takes it away with the leg). */
  connected: boolean;
  /** The ACD entry this leg answered (the caller's entry then); null for a person rung directly. */
  answeredAcdEntry: string | null;
  /** Set before we end this leg for a transfer: its end must not hang up the caller. */
  transferredAway: boolean;
  /** A person who took the caller over in a warm transfer is out of the ACD's pool until their leg ends (consult-transfer). */
  backToPool?: DirectCallRelease | null;
}

export type CallEnd = { side: 'caller' | 'agent' | 'system'; cause: string; outcome?: CallOutcome };

/** A warm transfer as the API shows it. */
export interface ConsultView {
  state: ConsultState;
  target: TransferTarget;
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
 * What one inbound call's phases share: its legs, media, record and the
 * signals that end it. The phases (caller leg, IVR, routing, queue wait,
 * agent offer, transfers, teardown) read and move it; where the call stands
 * is the record's lifecycle state (calls/call-state.ts), not flags of its own.
 */
export class InboundContext {
  readonly id = newCallId();
  readonly log: Logger;
  readonly recorder: CallRecorder;
  /** The number the call is looked up and routed by (the trunk's, or the one a draft test names). */
  readonly callerNumber: string;
  readonly draftTest: DraftTest | null;
  media: MediaSession | null = null;
  /** The caller's dialog once answered. */
  uas: Dialog | null = null;
  /** The agent leg ringing or talking, if any. */
  agent: AgentLeg | null = null;
  readonly callerGone = new Signal<'BYE' | 'CANCEL'>();
  readonly agentGone = new Signal();
  /** The system ended the call while it waited (an overflow to a callback, a transfer that could not queue the caller). */
  readonly systemEnded = new Signal<CallEnd>();
  /** Set once teardown begins: how the call ended. Work finishing after it must undo rather than start things. */
  ending: CallEnd | null = null;
  /** Set when the process ended the call from outside (shutdown past its deadline): why, for the record. */
  endedFromOutside: CallEnd | null = null;
  client: ClientFacts | null = null;
  callerE164: string | null = null;
  decision: RouteDecision | null = null;
  /** The routing config's default priority, for queues a transfer names. */
  basePriority = 5;
  /** The plan the caller waits under now (kept to queue them again if the ACD loses their entry). */
  queuePlan: QueuePlan | null = null;
  /** Ends a wait that lasts past the local limit (calls.maxWaitSeconds); re-armed at each enqueue. */
  waitLimit: NodeJS.Timeout | null = null;
  /** Said before the system hangs up on a waiting caller (in the IVR's language); set when the caller starts waiting. */
  goodbyeFile: string | null = null;
  /** Prompt files in the caller's language, once the IVR chose it (announcements, goodbye). */
  promptFile: (promptId: string) => string | null = () => null;
  /** The language the IVR chose (prompts, numbers said in queue announcements); null before the IVR ends. */
  language: string | null = null;
  /** The agent's hold (music for the caller, hold time on the record). */
  readonly hold: CallHold;
  /** The warm transfer under way, if any. */
  consult: ConsultTransfer | null = null;
  recording: CallRecording | null = null;
  /** Keeps the call's checkpoint in Redis for a survivor (null when the process keeps none). */
  readonly checkpointer: CallCheckpointer | null;
  /** How many new ACD entries transfers made (each gets its own ACD call id). */
  private transfersMade = 0;
  private currentAcdId: string;

  constructor(
    readonly services: CallServices,
    readonly req: SrfRequest,
    readonly res: SrfResponse,
    draftTest: DraftTest | null,
  ) {
    this.log = callLogger(services.logger, this.id);
    this.hold = new CallHold(this.log);
    this.currentAcdId = this.id;
    this.draftTest = draftTest;
    this.callerNumber = draftTest?.callerNumber ?? callerNumberOf(req);
    this.checkpointer = callCheckpointer(services, this.log, () => this);
    this.recorder = new CallRecorder({
      id: this.id, logger: this.log, callerNumber: this.callerNumber, dialedNumber: req.calledNumber || null,
      // Every event saves the call's checkpoint; the first one (while the recorder is built) is saved just below.
      onEvent: (_event, state) => {
        // The end is stored by storeCall itself, which then removes the checkpoint.
        if (this.recorder && state !== 'ended') this.checkpointer?.changed();
      },
      // A draft test comes from a staff phone, not a trunk: an internal call, so that it is never taken for a client's.
      trunk: draftTest ? null : req.source_address, sipCallId: req.get('Call-ID'),
      ...(draftTest ? { direction: 'internal' as const } : {}),
    });
    this.checkpointer?.changed();
    if (draftTest) this.log.info({ flow: draftTest.flow.name, version: draftTest.flow.version, staffId: draftTest.staffId }, 'draft test call');
  }

  /** The id of the caller's current entry in the ACD (see acdCallIdOf); reservations for any other id of this call are stale. */
  get acdId(): string {
    return this.currentAcdId;
  }

  /** A new ACD call id for the next entry this call makes (a transfer's queue, a consulted queue). */
  nextAcdId(): string {
    this.transfersMade += 1;
    return acdCallIdOf(this.id, this.transfersMade);
  }

  /** The caller's entry in the ACD is now `acdId` (a transfer queued them again, or a consulted agent took them over). */
  moveToAcdEntry(acdId: string): void {
    this.currentAcdId = acdId;
  }

  /** The caller waits in the ACD (in a queue, or while an agent is rung): the record's lifecycle says so. */
  get waitingInAcd(): boolean {
    const state = this.recorder.state;
    return state === 'queued' || state === 'offering';
  }

  /** drachtio-server's ids of the call's live dialogs (the caller's, the agent's): its checkpoint keeps them. */
  get dialogIds(): string[] {
    // Before the caller is answered their leg is named by the id drachtio-server will give it, so the checkpoint
    // saved at the INVITE already lets a survivor hang them up if this process dies between the 200 OK and the next save.
    const callerLeg = dialogIdOf(this.uas) ?? this.callerDialogIdOnceAnswered;
    return [callerLeg, dialogIdOf(this.agent?.dialog)].filter((id): id is string => id !== null);
  }

  /** The caller's leg's id as drachtio-server will make it when it answers the INVITE (null: no From tag, refused anyway). */
  get callerDialogIdOnceAnswered(): string | null {
    const fromTag = tagOf(this.req.get('From'));
    const callId = this.req.get('Call-ID');
    return fromTag && callId ? uasDialogIdOf(callId, fromTag) : null;
  }

  /** The agent talking with the caller, if any. */
  get connectedAgent(): AgentLeg | null {
    return this.agent?.connected ? this.agent : null;
  }

  /** The caller as the agent's phone shows them (From of the INVITEs we send toward staff). */
  get callerFromHeader(): string {
    return `<sip:${encodeURIComponent(this.callerE164 ?? this.callerNumber)}@switchboard.invalid>`;
  }

  hangUp(dialog: Dialog | null | undefined): void {
    hangUpDialog(dialog, this.log);
  }

  /** Requests a callback to the caller's number (when known) on the record. */
  requestCallback(): void {
    this.recorder.requestCallback(this.callerE164 ? { number: this.callerE164 } : {});
  }

  /**
   * `work`'s value, or null when the caller leaves first. The work goes on
   * unobserved then (its rejection is handled by the race).
   */
  async beforeCallerLeaves<T>(work: Promise<T>): Promise<{ value: T } | null> {
    if (this.callerGone.fired) return null;
    return Promise.race([work.then((value) => ({ value })), this.callerGone.promise.then(() => null)]);
  }

  /** Plays a prompt and waits its length (or until the caller leaves). */
  async playAndWait(file: string | null): Promise<void> {
    if (!file || !this.media || this.callerGone.fired) return;
    const playback = await this.media.playPrompt(file);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, playback.durationMs ?? 3000))), this.callerGone.promise]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A person who took the caller over directly (not through the ACD) is offered queue calls again. */
  async putBackInPool(leg: AgentLeg): Promise<void> {
    const backToPool = leg.backToPool;
    leg.backToPool = null;
    await backToPool?.();
  }
}
