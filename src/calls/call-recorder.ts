import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import type { RouteDecision } from '../routing/route-decision';
import type { CallEvent, CallEventData, CallEventType } from './call-event';
import type { CallOutcome, HangupSide } from './call-outcome';
import { finishCallRecord, type CallRecordSnapshot } from './call-record-snapshot';
import type { CallDirection, CallRecord, IvrPathEntry, TransferFact, TransferTarget } from './call-record';
import { assertCallLifecycleTransition, type CallState } from './call-state';

/** Where the recorder reads the time (the ACD's and the IVR's clocks fit). */
export interface CallClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh call id (the calls primary key, and the callId bound to the call's logger). */
export function newCallId(): string {
  return randomUUID();
}

export interface CallRecorderOptions {
  /** The call id (uuid); see newCallId(). */
  readonly id: string;
  /** The call's child logger (callLogger(root, id)); transitions log through it. */
  readonly logger: Logger;
  readonly clock?: CallClock;
  /** Default `inbound`; outbound and callback calls start in `originating`. */
  readonly direction?: CallDirection;
  readonly sipCallId?: string | null;
  readonly trunk?: string | null;
  /** The number as it arrived (From user part). */
  readonly callerNumber: string;
  readonly callerE164?: string | null;
  readonly dialedNumber?: string | null;
  /**
   * Told about every event as it is appended (the live call view, the softphone
   * WebSocket). A listener that throws is logged and ignored: the record must go on.
   */
  readonly onEvent?: (event: CallEvent, state: CallState) => void;
}

/** How the call ended. */
export interface EndCallOptions {
  readonly side: HangupSide;
  /** SIP reason or ours: "BYE", "CANCEL", "486 Busy Here", "trunk not allowed", "media failure"… */
  readonly cause: string;
  /** When the session knows better than the derivation (e.g. `rejected`, `failed` after an error). */
  readonly outcome?: CallOutcome;
  /** Ending while transferring: true when the transfer handed the caller on (to an external number). */
  readonly transferCompleted?: boolean;
}

type MutableTransfer = { -readonly [K in keyof TransferFact]: TransferFact[K] };

/**
 * The live record of one call, owned by its SIP call session: it holds the
 * lifecycle state machine and accumulates the facts and the ordered timeline
 * that become the call row when the call ends. Pure apart from the injected
 * clock and logger — no I/O; end() hands back the finished CallRecord for the
 * CallRecordWriter.
 *
 * Every state change goes through the one transition(), which refuses moves the
 * table (CALL_LIFECYCLE_TRANSITIONS) does not allow with ILLEGAL_TRANSITION,
 * stamps the stage timestamps, appends the event, logs and emits.
 */
export class CallRecorder {
  readonly id: string;
  private readonly logger: Logger;
  private readonly clock: CallClock;
  private readonly onEvent: ((event: CallEvent, state: CallState) => void) | undefined;
  private readonly initialState: CallState;
  private current: CallState;
  private readonly timeline: CallEvent[] = [];

  private readonly direction: CallDirection;
  private readonly sipCallId: string | null;
  private trunk: string | null;
  private readonly callerNumber: string;
  private callerE164: string | null;
  private readonly dialedNumber: string | null;
  private clientId: number | null = null;
  private clientType: string | null = null;
  private ivrFlowVersion: number | null = null;
  private routingConfigVersion: number | null = null;
  private readonly startedAt: number;
  private answeredAt: number | null = null;
  private ivrStartedAt: number | null = null;
  private ivrEndedAt: number | null = null;
  private queuedAt: number | null = null;
  private offeredAt: number | null = null;
  private agentAnsweredAt: number | null = null;
  private readonly ivrPath: IvrPathEntry[] = [];
  private routingDecision: RouteDecision | null = null;
  private routingReason: string | null = null;
  private queueId: number | null = null;
  private queueName: string | null = null;
  private readonly agentIds: number[] = [];
  private readonly transfers: MutableTransfer[] = [];
  private callbackRequested = false;
  private afterHours = false;
  private overflowed = false;
  private recordingId: string | null = null;
  private finished: CallRecord | null = null;

  constructor(options: CallRecorderOptions) {
    if (!UUID.test(options.id)) throw new AppError('VALIDATION_FAILED', `call id must be a uuid, got "${options.id}"`);
    if (options.callerNumber.trim() === '') throw new AppError('VALIDATION_FAILED', 'a call needs the caller number as it arrived');
    this.id = options.id;
    this.logger = options.logger;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.onEvent = options.onEvent;
    this.direction = options.direction ?? 'inbound';
    this.initialState = this.direction === 'outbound' || this.direction === 'callback' ? 'originating' : 'ringing_in';
    this.current = this.initialState;
    this.sipCallId = options.sipCallId ?? null;
    this.trunk = options.trunk ?? null;
    this.callerNumber = options.callerNumber;
    this.callerE164 = options.callerE164 ?? null;
    this.dialedNumber = options.dialedNumber ?? null;
    this.startedAt = this.clock.now();
    this.append('started', { direction: this.direction, state: this.current, trunk: this.trunk, caller: this.callerNumber, dialed: this.dialedNumber });
  }

  /** The lifecycle state now. */
  get state(): CallState {
    return this.current;
  }

  get ended(): boolean {
    return this.current === 'ended';
  }

  /** The timeline so far (a copy). */
  get events(): readonly CallEvent[] {
    return [...this.timeline];
  }

  /** The finished record, once end() ran. */
  get record(): CallRecord | null {
    return this.finished;
  }

  /** The caller lookup's answer: a known client, or null ids for a new caller. */
  identify(client: { clientId: number | null; clientType: string | null; callerE164?: string | null }): void {
    this.requireLive('identify');
    this.clientId = client.clientId;
    this.clientType = client.clientType;
    if (client.callerE164 !== undefined) this.callerE164 = client.callerE164;
    this.append('caller_identified', { clientId: client.clientId, clientType: client.clientType, callerE164: this.callerE164 });
  }

  /** We answered the caller (200 OK sent). Once per call. */
  answer(): void {
    this.requireLive('answer');
    if (this.answeredAt !== null) throw new AppError('ILLEGAL_TRANSITION', 'call already answered');
    this.answeredAt = this.clock.now();
    this.append('answered', {});
  }

  /**
   * The IVR flow starts (the published version at that moment; a draft
   * version on a draft-test call, marked `draft: true` so that it can be told apart).
   */
  enterIvr(flow: { version: number | null; name?: string; draft?: boolean }): void {
    this.ivrFlowVersion = flow.version;
    this.transition('ivr', 'ivr_started', { flow: flow.name ?? null, version: flow.version, ...(flow.draft ? { draft: true } : {}) });
  }

  /** A node of the flow was entered (calls.ivr_path), at the time it was entered. */
  ivrStep(nodeId: string, digits?: string, at = this.clock.now(), variant?: string): void {
    if (this.current !== 'ivr') throw new AppError('ILLEGAL_TRANSITION', `IVR step "${nodeId}" while the call is ${this.current}`);
    // The greeting variant the caller heard goes on the path and the timeline (issue 17).
    const extra = { ...(digits === undefined ? {} : { digits }), ...(variant === undefined ? {} : { variant }) };
    this.ivrPath.push({ nodeId, at, ...extra });
    this.append('ivr_step', { nodeId, ...extra }, at);
  }

  /**
   * The routing decision for the call. The first one is the call's
   * routing_decision / routing_reason; later ones (a transfer re-routed) are
   * kept on the timeline. An after-hours target marks the call after-hours.
   */
  route(decision: RouteDecision, routingConfigVersion: number | null): void {
    this.transition('routing', 'routed', { target: decision.target.kind, ruleId: decision.ruleId, reason: decision.reason, configVersion: routingConfigVersion });
    if (this.routingDecision === null) {
      this.routingDecision = decision;
      this.routingReason = decision.reason;
      this.routingConfigVersion = routingConfigVersion;
    }
    if (decision.target.kind === 'after_hours') this.afterHours = true;
  }

  /** The current routing step could not be tried (nobody free, not registered…): the chain moves on. */
  fallback(reason: string, next?: string): void {
    this.transition('routing', 'fallback', { reason, next: next ?? null });
  }

  /** Max wait or the empty-queue policy took the call out of its queue toward the overflow target. */
  overflow(reason: string, target?: string): void {
    this.transition('routing', 'overflowed', { reason, queue: this.queueName, target: target ?? null });
    this.overflowed = true;
  }

  /** The call waits in an ACD queue. */
  enqueue(queue: { name: string; id?: number | null; priority?: number }): void {
    this.transition('queued', 'queued', { queue: queue.name, priority: queue.priority ?? null });
    this.queueName = queue.name;
    this.queueId = queue.id ?? null;
  }

  /** An agent's phone rings for the call. */
  offer(agent: { agentId: number; ringTimeoutMs?: number }): void {
    this.transition('offering', 'offered', { agentId: agent.agentId, ringTimeoutMs: agent.ringTimeoutMs ?? null });
  }

  /**
   * The agent did not take it (no answer, 486/480/603, unregistered): back to
   * the queue at the same position when `requeued`, else on along the chain.
   */
  offerMissed(missed: { agentId: number; reason: string; requeued: boolean }): void {
    this.transition(missed.requeued ? 'queued' : 'routing', 'offer_missed', { agentId: missed.agentId, reason: missed.reason });
  }

  /** An agent answered (or, from transferring, the consulted agent took over a warm transfer). */
  agentAnswered(agent: { agentId: number }): void {
    this.transition('connected', 'agent_answered', { agentId: agent.agentId }, 'completed');
    this.addAgent(agent.agentId);
  }

  /** An outbound or callback call: the far end answered with the agent on the line. */
  remoteAnswered(agent: { agentId: number }): void {
    if (this.current !== 'originating' && this.current !== 'offering') {
      throw new AppError('ILLEGAL_TRANSITION', `remote answer while the call is ${this.current}`);
    }
    if (this.answeredAt === null) this.answeredAt = this.clock.now();
    this.transition('connected', 'remote_answered', { agentId: agent.agentId });
    this.addAgent(agent.agentId);
  }

  /** The agent put the caller on hold (re-INVITE sendonly). */
  hold(): void {
    this.transition('on_hold', 'hold', {});
  }

  /** Back from hold. */
  resume(): void {
    // transferring → connected is also in the table, but that is a cancelled transfer, not a resume.
    if (this.current !== 'on_hold') throw new AppError('ILLEGAL_TRANSITION', `call cannot resume: it is ${this.current}, not on_hold`);
    this.transition('connected', 'resume', {});
  }

  /** A blind or warm transfer starts; it completes when the caller moves on, or is cancelled. */
  startTransfer(transfer: { kind: 'blind' | 'warm'; target: TransferTarget; byAgentId?: number | null }): void {
    this.transition('transferring', 'transfer_started', { kind: transfer.kind, target: transfer.target, byAgentId: transfer.byAgentId ?? null });
    this.transfers.push({
      kind: transfer.kind, target: transfer.target, byAgentId: transfer.byAgentId ?? null,
      startedAt: this.clock.now(), endedAt: null, result: 'pending',
    });
  }

  /** The transfer was called off (consult declined, target busy): the caller is back with the agent. */
  cancelTransfer(reason: string): void {
    this.transition('connected', 'transfer_cancelled', { reason }, 'cancelled');
  }

  /** The caller asked to be called back (their place in the queue is kept for them). */
  requestCallback(details: { number?: string } = {}): void {
    this.requireLive('request a callback');
    this.callbackRequested = true;
    this.append('callback_requested', { number: details.number ?? this.callerE164 ?? this.callerNumber, queue: this.queueName });
  }

  /** Recording began; its row is written after the call, once the capture is converted. */
  recordingStarted(recordingId: string): void {
    this.requireLive('start recording');
    if (!UUID.test(recordingId)) throw new AppError('VALIDATION_FAILED', `recording id must be a uuid, got "${recordingId}"`);
    this.recordingId = recordingId;
    this.append('recording_started', { recordingId });
  }

  recordingStopped(): void {
    this.requireLive('stop recording');
    this.append('recording_stopped', { recordingId: this.recordingId });
  }

  /**
   * An outbound call left by another trunk than the first tried (the first
   * could not carry it, sip/trunk-failover.ts): the row names the trunk that
   * carried it, and the timeline says why.
   */
  failedOverTo(trunk: string, from: string, reason: string): void {
    this.trunk = trunk;
    this.append('note', { trunkFailover: { from, to: trunk, reason } });
  }

  /** A fact without a state change (a DTMF digit, an announcement played, anything worth keeping). */
  note(type: 'dtmf' | 'announcement' | 'note' | 'transfer' | 'consult_failed' | 'directory_gap', data: CallEventData = {}): void {
    this.requireLive(`note ${type}`);
    this.append(type, data);
  }

  /** What the record knows so far, as plain JSON (a checkpoint keeps it; finishCallRecord ends it). */
  snapshot(): CallRecordSnapshot {
    return {
      state: this.current,
      initialState: this.initialState,
      facts: {
        id: this.id, sipCallId: this.sipCallId, direction: this.direction, trunk: this.trunk,
        callerNumber: this.callerNumber, callerE164: this.callerE164, dialedNumber: this.dialedNumber,
        clientId: this.clientId, clientType: this.clientType, ivrFlowVersion: this.ivrFlowVersion, routingConfigVersion: this.routingConfigVersion,
        startedAt: this.startedAt, answeredAt: this.answeredAt, ivrStartedAt: this.ivrStartedAt, ivrEndedAt: this.ivrEndedAt,
        queuedAt: this.queuedAt, offeredAt: this.offeredAt, agentAnsweredAt: this.agentAnsweredAt,
        ivrPath: [...this.ivrPath], routingDecision: this.routingDecision, routingReason: this.routingReason,
        queueId: this.queueId, queueName: this.queueName, agentIds: [...this.agentIds],
        transfers: this.transfers.map((t) => ({ ...t })), recordingId: this.recordingId,
      },
      callbackRequested: this.callbackRequested,
      afterHours: this.afterHours,
      overflowed: this.overflowed,
      events: [...this.timeline],
    };
  }

  /**
   * Ends the call and returns its finished record (hand it to the
   * CallRecordWriter). A second end() is refused: one call, one row.
   */
  end(options: EndCallOptions): CallRecord {
    const from = this.current;
    assertCallLifecycleTransition(from, 'ended', 'ended');
    const record = finishCallRecord(this.snapshot(), { ...options, at: this.clock.now() });
    this.current = 'ended';
    this.ivrEndedAt = record.ivrEndedAt;
    this.transfers.splice(0, this.transfers.length, ...record.transfers.map((t) => ({ ...t })));
    const ended = record.events[record.events.length - 1];
    this.logger.debug({ from, to: 'ended', event: 'ended' }, 'call transition');
    this.timeline.splice(0, this.timeline.length, ...record.events);
    this.finished = record;
    if (ended) this.emit(ended);
    this.logger.info(
      { outcome: record.outcome, side: options.side, cause: options.cause, durationMs: record.endedAt - this.startedAt, talkMs: record.talkMs, holdMs: record.holdMs, events: record.events.length },
      'call ended',
    );
    return record;
  }

  /**
   * The one place the lifecycle moves: checks the table, settles a transfer
   * under way when leaving `transferring`, stamps the stage timestamps,
   * appends the event, logs and emits.
   */
  private transition(to: CallState, type: CallEventType, data: CallEventData, settleTransfer: TransferFact['result'] = 'completed'): void {
    const from = this.current;
    assertCallLifecycleTransition(from, to, type);
    const at = this.clock.now();
    this.current = to;
    if (from === 'transferring') {
      const pending = this.transfers.find((t) => t.result === 'pending');
      if (pending) {
        pending.result = settleTransfer;
        pending.endedAt = at;
      }
    }
    if (from === 'ivr' && to !== 'ivr') this.ivrEndedAt = at;
    if (to === 'ivr' && this.ivrStartedAt === null) this.ivrStartedAt = at;
    if (to === 'queued' && this.queuedAt === null) this.queuedAt = at;
    if (to === 'offering' && this.offeredAt === null) this.offeredAt = at;
    if (to === 'connected' && this.agentAnsweredAt === null) this.agentAnsweredAt = at;
    this.logger.debug({ from, to, event: type }, 'call transition');
    this.append(type, { from, to, ...data }, at);
  }

  private append(type: CallEventType, data: CallEventData, at = this.clock.now()): void {
    const event: CallEvent = { seq: this.timeline.length + 1, at, type, data };
    this.timeline.push(event);
    this.emit(event);
  }

  private emit(event: CallEvent): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(event, this.current);
    } catch (err) {
      this.logger.warn({ err, event: event.type }, 'call event listener failed');
    }
  }

  private addAgent(agentId: number): void {
    if (this.agentIds[this.agentIds.length - 1] !== agentId) this.agentIds.push(agentId);
  }

  private requireLive(what: string): void {
    if (this.current === 'ended') throw new AppError('ILLEGAL_TRANSITION', `cannot ${what}: the call has ended`);
  }
}
