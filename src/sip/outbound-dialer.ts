import type { Acd, Reservation } from '../acd';
import { findClientDialFacts, findDialer, type DialerFacts } from '../db/repositories/dialer-repository';
import type { Queryable } from '../db/pool';
import { normalisePhone } from '../directory/phone-number';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { callbackClientIdOf, callbackHooks } from './callback-dialer';
import type { CallServices } from './call-services';
import type { ContactBinding } from './registration-store';
import { drainCalls, endCallsWithLostMedia, reconcileCallDialogs, type DrainOptions } from './call-session/live-calls';
import { OutboundCall, type FarEnd, type OutboundCallOptions } from './outbound-call';
import type { SrfRequest, SrfResponse } from './srf-types';
import { trunkRequestUri, type TrunkTarget } from './trunk-address';

export interface OutboundDialerOptions {
  services: CallServices;
  db: Queryable;
  acd: Acd;
  /** Numbers people type are read as numbers of this country (config phone.defaultCountry). */
  defaultCountry: string;
  /** Trunks calls may go out through; the first is used (trunk-address.ts). */
  trunks: readonly TrunkTarget[];
}

/** A click-to-call request (REST), already authorised for `staffId`. */
export interface ClickToCallRequest {
  staffId: number;
  number?: string;
  clientId?: number;
}

/**
 * Every call Switchboard places (design rule 10): click-to-call from the
 * softphone, calls dialled on a staff device, and queued callbacks. Keeps the
 * calls live in this process so that stop() can wait for their clean-up.
 * Outbound calls leave only through a configured trunk, and only for an
 * active staff member allowed to dial out (staff.can_dial_out) or for a
 * callback the ACD handed to an agent.
 */
export class OutboundDialer {
  private readonly calls = new Map<string, OutboundCall>();
  private readonly running = new Set<Promise<void>>();
  private readonly log: Logger;
  private stopped = false;
  private readonly stopMediaLost: (() => void) | null;

  constructor(private readonly options: OutboundDialerOptions) {
    this.log = options.services.logger.child({ module: 'outbound' });
    // rtpengine no longer holds a live call's media (restarted, media timeout): the call cannot be heard, so it ends.
    this.stopMediaLost = options.services.mediaLost?.((mediaCallId, reason) => endCallsWithLostMedia(this.calls.values(), mediaCallId, reason)) ?? null;
  }

  /** Outbound calls in progress in this process (tests assert it returns to zero). */
  /** drachtio-server reconnected: each call in progress probes its dialogs, and those it lost end (reconcileCallDialogs). */
  reconcileDialogs(): void {
    reconcileCallDialogs(this.calls.values(), this.log, 'outbound calls');
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  /** A live outbound call of this process: the staff member on it; null when not live here. */
  live(callId: string): { staffId: number } | null {
    const call = this.calls.get(callId);
    return call ? { staffId: call.staffId } : null;
  }

  /**
   * Click-to-call: rings the staff member's registered devices, then dials
   * the number (or the client's first number) through the first trunk.
   * Resolves once the staff's phones are ringing, with the call id.
   *
   * @throws AppError FORBIDDEN (may not dial out), NOT_FOUND (no such client), BAD_PHONE_NUMBER,
   *   NO_DEVICE (nothing registered), NO_TRUNK.
   */
  async clickToCall(request: ClickToCallRequest): Promise<{ callId: string }> {
    const dialer = await findDialer(this.options.db, request.staffId);
    this.requireMayDialOut(dialer, request.staffId);
    let client: { id: number; type: string } | null = null;
    let number = request.number;
    if (request.clientId !== undefined) {
      const found = await findClientDialFacts(this.options.db, request.clientId);
      if (!found) throw new AppError('NOT_FOUND', `client ${request.clientId} does not exist`);
      client = { id: found.id, type: found.type };
      number ??= found.e164 ?? undefined;
    }
    if (number === undefined) throw new AppError('BAD_PHONE_NUMBER', 'no number to call: give a number, or a client with a phone', [{ path: 'body/number', message: 'missing' }]);
    const e164 = normalisePhone(number, this.options.defaultCountry, 'body/number');
    if (!client) {
      const lookup = await this.options.services.lookup.lookup(e164);
      if (lookup.kind === 'known') client = { id: lookup.client.id, type: lookup.client.type };
    }
    const far = this.trunkTo(e164);
    const username = dialer.sipUsername;
    const contacts = username ? await this.options.services.contactsOf(dialer.staffId) : [];
    if (!username || contacts.length === 0) throw new AppError('NO_DEVICE', `${dialer.fullName} has no registered phone to ring first`);
    const call = new OutboundCall(this.callOptions({ direction: 'outbound', staff: { staffId: dialer.staffId, username }, far, client }));
    // Refused (409) while a queue call rings them: they should take that one first.
    await call.takeStaffOutOfPool('refuse');
    this.track(call, call.runFromStaffPhone(contacts));
    return { callId: call.id };
  }

  /**
   * A call a staff device dialled (its caller already authenticated): to a
   * colleague's devices, or out through the trunk when the caller may dial out.
   *
   * @throws AppError FORBIDDEN, NO_TRUNK — before the call starts (the caller answers the INVITE).
   */
  async placeFromDevice(
    req: SrfRequest,
    res: SrfResponse,
    caller: { staffId: number; username: string },
    target: { kind: 'external'; e164: string; dialer: DialerFacts | null } | { kind: 'staff'; staffId: number; username: string; contacts: readonly ContactBinding[] },
  ): Promise<{ callId: string }> {
    let far: FarEnd;
    let client: { id: number; type: string } | null = null;
    if (target.kind === 'external') {
      this.requireMayDialOut(target.dialer, caller.staffId);
      far = this.trunkTo(target.e164);
      const lookup = await this.options.services.lookup.lookup(target.e164);
      if (lookup.kind === 'known') client = { id: lookup.client.id, type: lookup.client.type };
    } else {
      far = { kind: 'staff', staffId: target.staffId, username: target.username, contacts: target.contacts };
    }
    const call = new OutboundCall(this.callOptions({ direction: target.kind === 'external' ? 'outbound' : 'internal', staff: caller, far, client }));
    // They dialled from their own phone: the call goes ahead even with a queue call ringing them.
    await call.takeStaffOutOfPool('proceed');
    this.track(call, call.runFromDevice(req, res));
    return { callId: call.id };
  }

  /**
   * A callback request the ACD reserved an agent for (design §3 step 5):
   * ring the agent, then the client (see callback-dialer.ts for what the ACD
   * is told at each step). Never throws; a callback that cannot start is given
   * back to the ACD.
   */
  dialCallback(reservation: Reservation): void {
    const { acd } = this.options;
    const start = async (): Promise<void> => {
      const staffId = Number(reservation.agentId);
      const dialer = Number.isInteger(staffId) ? await findDialer(this.options.db, staffId) : null;
      const number = reservation.callbackNumber;
      const contacts = dialer?.sipUsername ? await this.options.services.contactsOf(staffId) : [];
      if (this.stopped || !dialer?.sipUsername || !number || contacts.length === 0 || this.options.trunks.length === 0) {
        this.log.warn({ acdCallId: reservation.callId, agent: reservation.agentId, devices: contacts.length, trunks: this.options.trunks.length }, 'callback cannot be placed now: given back to the queue');
        await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard');
        return;
      }
      const e164 = normalisePhone(number, this.options.defaultCountry);
      const lookup = await this.options.services.lookup.lookup(e164);
      const clientId = lookup.kind === 'known' ? lookup.client.id : callbackClientIdOf(reservation);
      const client = lookup.kind === 'known' ? { id: lookup.client.id, type: lookup.client.type } : null;
      const call = new OutboundCall(this.callOptions({
        direction: 'callback', staff: { staffId, username: dialer.sipUsername }, far: this.trunkTo(e164), client,
        // The ACD's ring time for this agent: past it the ACD takes the reservation back by itself.
        ...(reservation.ringMs > 0 ? { staffRingMs: reservation.ringMs } : {}),
        hooks: callbackHooks(acd, reservation, this.log.child({ callId: reservation.callId })),
      }));
      this.log.info({ callId: call.id, acdCallId: reservation.callId, agent: staffId, clientId }, 'placing a callback');
      this.track(call, call.runFromStaffPhone(contacts));
    };
    const started = start().catch(async (err: unknown) => {
      this.log.error({ err, acdCallId: reservation.callId }, 'callback could not be started');
      await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard').catch(() => undefined);
    });
    this.running.add(started);
    void started.finally(() => this.running.delete(started));
  }

  /**
   * Stops placing calls; the calls in progress get `drainMs` to end by
   * themselves, then are ended from our side with the reason on their
   * record, and their clean-up is awaited for at most `cleanupMs` (see
   * InboundCallHandler.stop).
   */
  async stop(options: DrainOptions = {}): Promise<void> {
    this.stopped = true;
    this.stopMediaLost?.();
    await drainCalls({ calls: this.calls, running: this.running }, options, this.log, 'outbound calls');
  }

  private requireMayDialOut(dialer: DialerFacts | null, staffId: number): asserts dialer is DialerFacts {
    if (!dialer || !dialer.active) throw new AppError('FORBIDDEN', `staff member ${staffId} does not exist or is inactive`);
    if (!dialer.canDialOut) throw new AppError('FORBIDDEN', `${dialer.fullName} may not make outbound calls`);
  }

  private trunkTo(e164: string): FarEnd {
    const trunk = this.options.trunks[0];
    if (!trunk) throw new AppError('NO_TRUNK', 'no SIP trunk is configured for outbound calls (SIP_TRUNKS needs an address, optionally with :port)');
    return { kind: 'trunk', e164, uri: trunkRequestUri(e164, trunk), trunk: `${trunk.host}:${trunk.port}` };
  }

  private callOptions(partial: Omit<OutboundCallOptions, 'services'>): OutboundCallOptions {
    return { services: this.options.services, ...partial };
  }

  private track(call: OutboundCall, run: Promise<void>): void {
    this.calls.set(call.id, call);
    const running = run.finally(() => {
      this.calls.delete(call.id);
      this.running.delete(running);
    });
    this.running.add(running);
  }
}
