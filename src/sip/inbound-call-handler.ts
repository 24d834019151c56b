import type { AcdEvent, Reservation } from '../acd';
import type { CallServices } from './call-services';
import { AppError } from '../errors/app-error';
import { sessionIdOfAcdCall } from '../acd/session-call-ids';
import { InboundCall, type BlindTransferTarget, type ConsultView, type DraftTest } from './inbound-call';
import { sentOverWebSocket } from './sent-over-websocket';
import type { SrfRequest, SrfResponse } from './srf-types';
import { refuse } from './sip-status';
import { REASON_WORDS } from './overload/admission';
import type { MonitoredCall, MonitoredCalls } from './monitoring/monitored-call';
import { drainCalls, endCallsWithLostMedia, reconcileCallDialogs, type DrainOptions } from './call-session/live-calls';

/**
 * Refuses a new hotline call this process will not take now (shutting down,
 * overloaded): 503 with Retry-After (RFC 3261 §21.5.4), so that the trunk
 * tries another node or comes back later. No call row: the call never began.
 */
function refuseNewCall(res: SrfResponse, code: 'SHUTTING_DOWN' | 'OVERLOADED', why: string, retryAfterSeconds: number): void {
  refuse(res, code, why, { 'Retry-After': String(retryAfterSeconds) });
}

/**
 * Takes the hotline's INVITEs: refuses sources that are not configured trunks
 * (403, design §3 step 1), runs one InboundCall per accepted INVITE, and hands
 * each ACD reservation to the call it is for.
 */
export class InboundCallHandler implements MonitoredCalls {
  private readonly calls = new Map<string, InboundCall>();
  private readonly running = new Set<Promise<void>>();
  private stopReservations: (() => void) | null = null;
  private stopAcdEvents: (() => void) | null = null;
  private stopMediaLost: (() => void) | null = null;
  /** Non-trunk INVITEs (staff devices) and ACD callbacks, when outbound calling runs (attachOutbound). */
  private outbound: { devices: { handle(req: SrfRequest, res: SrfResponse): void }; callbacks: (reservation: Reservation) => void } | null = null;
  /** Shutting down: new hotline calls are refused (503, Retry-After) while the calls in progress drain. */
  private draining = false;

  constructor(private readonly services: CallServices) {}

  mount(): void {
    this.services.srf.invite((req, res) => this.handle(req, res));
    this.stopReservations = this.services.acd.onReservation((reservation) => this.dispatch(reservation));
    // Max-wait overflow happens in any process's housekeeping: the call holding the caller's leg acts on it.
    this.stopAcdEvents = this.services.acdEvents?.((event) => this.onAcdEvent(event)) ?? null;
    this.stopMediaLost = this.services.mediaLost?.((mediaCallId, reason) => this.onMediaLost(mediaCallId, reason)) ?? null;
  }

  /** A live call's media is gone (its rtpengine restarted, timed it out or stopped answering): the call cannot be heard, so it ends. */
  onMediaLost(mediaCallId: string, reason?: string): void {
    endCallsWithLostMedia(this.calls.values(), mediaCallId, reason);
  }

  /**
   * Hands INVITEs from non-trunk sources to `devices` (which authenticates
   * them) instead of refusing them, and callback reservations to `callbacks`
   * (callbacks have no caller leg to offer: the agent is rung, then the client).
   */
  attachOutbound(outbound: { devices: { handle(req: SrfRequest, res: SrfResponse): void }; callbacks: (reservation: Reservation) => void }): void {
    this.outbound = outbound;
  }

  /** Calls in progress in this process (tests assert it returns to zero). */
  /** drachtio-server reconnected: each call in progress probes its dialogs, and those it lost end (reconcileCallDialogs). */
  reconcileDialogs(): void {
    reconcileCallDialogs(this.calls.values(), this.services.logger, 'calls');
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  handle(req: SrfRequest, res: SrfResponse): void {
    // Trunks never speak SIP over WebSocket (RFC 7118): an INVITE over ws/wss is a browser softphone, whatever its
    // address — on a developer's machine the browser and the loopback trunk share 127.0.0.1.
    const fromTrunk = !sentOverWebSocket(req) && this.services.trunks.allows(req.source_address);
    if (!fromTrunk) {
      if (this.outbound) {
        this.outbound.devices.handle(req, res);
        return;
      }
      this.services.logger.warn({ source: req.source_address, sipCallId: req.get('Call-ID') }, 'INVITE from an address that is not a trunk: 403');
      refuse(res, 'NOT_A_TRUNK');
      return;
    }
    if (this.draining) {
      refuseNewCall(res, 'SHUTTING_DOWN', 'shutting down', 5);
      return;
    }
    // Before anything is looked up or allocated (issue 16): a call refused here costs one response, and the calls
    // already admitted keep the media they need to finish. Staff devices' own calls (above) are not shed: a few per
    // person at most, emergency numbers among them, and shedding the hotline's flood frees the media they need.
    const admission = this.services.overload?.admit(this.calls.size);
    if (admission?.kind === 'refuse') {
      refuseNewCall(res, 'OVERLOADED', `overloaded: ${REASON_WORDS[admission.reason]}`, admission.retryAfterSeconds);
      return;
    }
    this.start(new InboundCall(this.services, req, res));
  }

  /**
   * Runs a draft-test call (issue 7) from a staff device the device handler
   * has authenticated and authorised: the hotline's path on a draft flow,
   * kept here like any hotline call so that ACD reservations reach it.
   */
  startDraftTest(req: SrfRequest, res: SrfResponse, draftTest: DraftTest): void {
    this.start(new InboundCall(this.services, req, res, { draftTest }));
  }

  private start(call: InboundCall): void {
    this.calls.set(call.id, call);
    const running = call.run().finally(() => {
      this.calls.delete(call.id);
      this.running.delete(running);
    });
    this.running.add(running);
  }

  /** A live call of this process: who is connected to it now, its warm transfer if any; null when the call is not live here. */
  live(callId: string): { connectedStaffId: number | null; consult: ConsultView | null } | null {
    const call = this.calls.get(callId);
    return call ? { connectedStaffId: call.connectedStaffId, consult: call.consultView } : null;
  }

  /** A live call of this process a supervisor may listen to (issue 18); null when it is not live here or nobody is talking with the caller. */
  monitored(callId: string): MonitoredCall | null {
    return this.calls.get(callId)?.monitored ?? null;
  }

  /** Starts a warm transfer of a live call of this process (see InboundCall.startConsult). */
  async consult(callId: string, target: BlindTransferTarget, byStaffId: number | null): Promise<ConsultView> {
    return this.callOrThrow(callId).startConsult(target, byStaffId);
  }

  /** Completes the warm transfer under way (see InboundCall.completeConsult). */
  async completeConsult(callId: string, byStaffId: number | null): Promise<void> {
    await this.callOrThrow(callId).completeConsult(byStaffId);
  }

  /** Cancels the warm transfer under way (see InboundCall.cancelConsult). */
  async cancelConsult(callId: string, byStaffId: number | null): Promise<void> {
    await this.callOrThrow(callId).cancelConsult(byStaffId);
  }

  private callOrThrow(callId: string): InboundCall {
    const call = this.calls.get(callId);
    if (!call) throw new AppError('NOT_FOUND', `call ${callId} is not live in this process (ended, or handled by another node)`);
    return call;
  }

  private onAcdEvent(event: AcdEvent): void {
    const callId = 'callId' in event ? event.callId : undefined;
    if (!callId) return;
    this.calls.get(sessionIdOfAcdCall(callId))?.onAcdEvent(event);
  }

  /**
   * Blind-transfers a live call of this process (REST; a REFER reaches its session directly).
   *
   * @throws AppError NOT_FOUND when the call is not live in this process or the target is unknown.
   */
  async transfer(callId: string, target: BlindTransferTarget, byStaffId: number | null): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) throw new AppError('NOT_FOUND', `call ${callId} is not live in this process (ended, or handled by another node)`);
    await call.transferBlind(target, byStaffId);
  }

  private dispatch(reservation: Reservation): void {
    if (reservation.kind === 'callback' && this.outbound) {
      this.outbound.callbacks(reservation);
      return;
    }
    // After a transfer the ACD knows the call as <id>.t<n> (acdCallIdOf); the session checks the id is its current one.
    const call = this.calls.get(sessionIdOfAcdCall(reservation.callId));
    if (!call) {
      // Another process owns the caller's leg; left alone, the reservation expires and the call keeps its place.
      this.services.logger.warn({ acdCallId: reservation.callId, agent: reservation.agentId }, 'reservation for a call this process does not hold');
      return;
    }
    call.offer(reservation).catch((err: unknown) => this.services.logger.error({ err, acdCallId: reservation.callId }, 'offering the call to an agent failed'));
  }

  /**
   * Shuts the hotline down within a deadline (issue 14): new calls are
   * refused at once (503 with Retry-After, so that a trunk tries another
   * node); the calls in progress get `drainMs` to end by themselves — agents
   * still take waiting callers meanwhile — and whatever is still up then is
   * ended from our side with the reason on its record. The clean-up of those
   * is awaited for at most `cleanupMs` more: a stuck backing service must not
   * hold the process forever.
   */
  async stop(options: DrainOptions = {}): Promise<void> {
    this.draining = true;
    await drainCalls({ calls: this.calls, running: this.running }, options, this.services.logger, 'calls', () => {
      this.stopReservations?.();
      this.stopAcdEvents?.();
      this.stopMediaLost?.();
    });
  }
}
