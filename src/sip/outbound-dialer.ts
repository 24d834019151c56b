import { randomUUID } from 'node:crypto';
import type { Acd, Reservation } from '../acd';
import { findCampaignCallToDial, findClientDialFacts, findDialer, type DialerFacts } from '../db/repositories/dialer-repository';
import { recordCallbackResult } from '../db/repositories/my-calls-repository';
import type { Queryable } from '../db/pool';
import { normalisePhone, tryNormalisePhone } from '../directory/phone-number';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { decideClientCall, type ClientCallCaller, type OutsideCallingWindow } from '../routing/client-call-rules';
import { decideOutboundCall, type OutboundDecision, type OutboundPolicy, type OutboundPurpose } from '../routing/outbound-policy';
import type { OutboundCallSlots } from './outbound-call-slots';
import { callbackClientIdOf, callbackHooks, callbackTryOf, enqueueCallbackEntry, placeCallbackEntry, scheduledFor, type CallbackRetryDeps } from './callback-dialer';
import { callbackRequestIdOf, deferCallback } from './callback-retry-policy';
import type { CallbackRetryStore } from './callback-retry-store';
import { mayCallClient, NO_CALLING_RULES, trunkIdentityFor, trunkKey, type CallingRules } from './outbound-calling-rules';
import type { OutboundCallKind } from './trunk-caller-identity';
import { RepeatingTask } from '../acd/repeating-task';
import type { CallServices } from './call-services';
import type { ContactBinding } from './registration-store';
import { drainCalls, endCallsWithLostMedia, reconcileCallDialogs, type DrainOptions } from './call-session/live-calls';
import { OutboundCall, type FarEnd, type OutboundCallOptions } from './outbound-call';
import type { TrunkRoute } from './outbound-call-options';
import type { SrfRequest, SrfResponse } from './srf-types';
import { trunkRequestUri, type TrunkTarget } from './trunk-address';

export interface OutboundDialerOptions {
  services: CallServices;
  db: Queryable;
  acd: Acd;
  /** Numbers people type are read as numbers of this country (config phone.defaultCountry). */
  defaultCountry: string;
  /** Trunks calls may go out through, in order: the first, then the next while one cannot carry the call (trunk-failover.ts). */
  trunks: readonly TrunkTarget[];
  /** Where calls may go and how many one person may have at once (issue 15, routing/outbound-policy.ts). */
  policy: OutboundPolicy;
  /** Each person's live outbound calls, across processes. */
  slots: OutboundCallSlots;
  /** Calling window and callback retries (issue 17); absent: any hour, the default retry policy. */
  callingRules?: CallingRules;
  /** Where callback retries wait for their time, shared by every process; absent: retried at once. */
  callbackRetries?: CallbackRetryStore;
  /** How often due callback retries are put into the ACD (default 1 s). */
  retryPollMs?: number;
  /** The clock of the calling window and the retries (tests). */
  now?: () => number;
}

const NO_OVERRIDE: ClientCallCaller = { overrideDoNotCall: false, mayOverrideDoNotCall: false };

/** A call the policy let through: its slot in the per-user count, given back when the call ends. */
interface Admitted {
  staffId: number;
  slotId: string;
  decision: OutboundDecision;
}

/** A click-to-call request (REST), already authorised for `staffId`. */
export interface ClickToCallRequest {
  staffId: number;
  number?: string;
  clientId?: number;
  /** A campaign call assigned to `staffId` (its client's number is dialled, as a campaign call). */
  campaignCallId?: number;
  /** Call a number on the do-not-call list this once (routing/client-call-rules.ts). */
  overrideDoNotCall?: boolean;
  /** The user asking may override the list (a supervisor or an admin). */
  mayOverrideDoNotCall?: boolean;
}

/** A click-to-call placed: its call, and what the person is to be told about it (routing/client-call-rules.ts). */
export interface ClickToCallPlaced {
  callId: string;
  notice?: string;
  outsideWindow?: OutsideCallingWindow;
}

/**
 * Every call Switchboard places (design rule 10): click-to-call from the
 * softphone, calls dialled on a staff device, and queued callbacks. Keeps the
 * calls live in this process so that stop() can wait for their clean-up.
 * Outbound calls leave only through a configured trunk, only for an
 * active staff member allowed to dial out (staff.can_dial_out) or for a
 * callback the ACD handed to an agent, and only where the outbound policy
 * lets them (issue 15): every path asks it before anything reaches the
 * trunk, and holds a slot in the person's count of live outbound calls until
 * the call ends.
 */
export class OutboundDialer {
  private readonly calls = new Map<string, OutboundCall>();
  private readonly running = new Set<Promise<void>>();
  private readonly log: Logger;
  private stopped = false;
  private readonly stopMediaLost: (() => void) | null;
  private readonly rules: CallingRules;
  private readonly retryDeps: CallbackRetryDeps;
  private readonly retryTask: RepeatingTask | null;

  constructor(private readonly options: OutboundDialerOptions) {
    this.log = options.services.logger.child({ module: 'outbound' });
    this.rules = options.callingRules ?? NO_CALLING_RULES;
    const now = options.now ?? Date.now;
    this.retryDeps = {
      settings: this.rules.callbackRetry, store: options.callbackRetries ?? null, now,
      recordResult: async (requestId, result, notes) => {
        const marked = await recordCallbackResult(options.db, requestId, null, { result, notes });
        if (marked === 'not_found') this.log.warn({ requestId, result }, 'the callback\'s result has no request row to go on');
      },
    };
    // Retries whose time has come go into the ACD from whichever process takes them first.
    this.retryTask = options.callbackRetries
      ? new RepeatingTask(options.retryPollMs ?? 1000, () => this.enqueueDueCallbacks(), (err) => this.log.warn({ err }, 'due callbacks could not be put into the queue'))
      : null;
    this.retryTask?.start();
    // rtpengine no longer holds a live call's media (restarted, media timeout): the call cannot be heard, so it ends.
    this.stopMediaLost = options.services.mediaLost?.((mediaCallId, reason) => endCallsWithLostMedia(this.calls.values(), mediaCallId, reason)) ?? null;
  }

  /** Outbound calls in progress in this process (tests assert it returns to zero). */
  /** drachtio-server reconnected: each call in progress probes its dialogs, and those it lost end (reconcileCallDialogs). */
  reconcileDialogs(): void {
    reconcileCallDialogs(this.calls.values(), this.log, 'outbound calls');
  }

  /** Emergency short codes a staff device may dial (the dial plan reads them as they are). */
  get emergencyNumbers(): ReadonlySet<string> {
    return this.options.policy.emergencyNumbers;
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
   * the number (or the client's first number) through the first trunk (the next ones while a trunk cannot carry it).
   * Resolves once the staff's phones are ringing, with the call id.
   *
   * @throws AppError FORBIDDEN (may not dial out), NOT_FOUND (no such client or campaign call), BAD_PHONE_NUMBER,
   *   DESTINATION_NOT_ALLOWED, CALL_LIMIT_REACHED (the outbound policy), NO_DEVICE (nothing registered), NO_TRUNK.
   */
  async clickToCall(request: ClickToCallRequest): Promise<ClickToCallPlaced> {
    const dialer = await findDialer(this.options.db, request.staffId);
    this.requireActive(dialer, request.staffId);
    let client: { id: number; type: string } | null = null;
    let number = request.number;
    let clientId = request.clientId;
    let purpose: OutboundPurpose = 'click-to-call';
    if (request.campaignCallId !== undefined) {
      // Only the operator it is assigned to, only while its campaign is active and the call still to be made.
      const campaignCall = await findCampaignCallToDial(this.options.db, request.campaignCallId, dialer.staffId);
      if (!campaignCall) throw new AppError('NOT_FOUND', `campaign call ${request.campaignCallId} is not one of your calls to make in an active campaign`);
      clientId = campaignCall.clientId;
      purpose = 'campaign';
    }
    if (clientId !== undefined) {
      const found = await findClientDialFacts(this.options.db, clientId);
      if (!found) throw new AppError('NOT_FOUND', `client ${clientId} does not exist`);
      client = { id: found.id, type: found.type };
      number ??= found.e164 ?? undefined;
    }
    if (number === undefined) throw new AppError('BAD_PHONE_NUMBER', 'no number to call: give a number, or a client with a phone', [{ path: 'body/number', message: 'missing' }]);
    const destination = this.destinationOf(number, 'body/number');
    if (!client && destination !== null) {
      const lookup = await this.options.services.lookup.lookup(destination);
      if (lookup.kind === 'known') client = { id: lookup.client.id, type: lookup.client.type };
    }
    const decision = await this.judge(purpose, destination ?? number.trim(), dialer);
    const overrides = { overrideDoNotCall: request.overrideDoNotCall === true, mayOverrideDoNotCall: request.mayOverrideDoNotCall === true };
    const told = destination !== null ? await this.requireCallable(purpose, client?.id ?? null, destination, dialer.staffId, overrides) : {};
    const far = await this.trunkTo(decision.destination, decision.emergency ? 'emergency' : purpose);
    const username = dialer.sipUsername;
    const contacts = username ? await this.options.services.contactsOf(dialer.staffId) : [];
    if (!username || contacts.length === 0) throw new AppError('NO_DEVICE', `${dialer.fullName} has no registered phone to ring first`);
    const admitted = await this.takeSlot(dialer.staffId, decision);
    try {
      const call = new OutboundCall(this.callOptions({ direction: 'outbound', staff: { staffId: dialer.staffId, username }, far, client }));
      // Refused (409) while a queue call rings them: they should take that one first.
      await call.takeStaffOutOfPool('refuse');
      this.track(call, call.runFromStaffPhone(contacts), admitted);
      return { callId: call.id, ...told };
    } catch (err) {
      await this.options.slots.release(admitted.staffId, admitted.slotId);
      throw err;
    }
  }

  /**
   * A call a staff device dialled (its caller already authenticated): to a
   * colleague's devices, or out through the trunk when the caller may dial out.
   *
   * `e164` of an external target is an E.164 number or an emergency short code as dialled.
   *
   * @throws AppError FORBIDDEN, DESTINATION_NOT_ALLOWED, CALL_LIMIT_REACHED (the outbound policy), NO_TRUNK —
   *   before the call starts (the caller answers the INVITE).
   */
  async placeFromDevice(
    req: SrfRequest,
    res: SrfResponse,
    caller: { staffId: number; username: string },
    target: { kind: 'external'; e164: string; dialer: DialerFacts | null } | { kind: 'staff'; staffId: number; username: string; contacts: readonly ContactBinding[] },
  ): Promise<{ callId: string }> {
    let far: FarEnd;
    let client: { id: number; type: string } | null = null;
    let admitted: Admitted | null = null;
    if (target.kind === 'external') {
      this.requireActive(target.dialer, caller.staffId);
      const decision = await this.judge('device', target.e164, target.dialer);
      far = await this.trunkTo(decision.destination, decision.emergency ? 'emergency' : 'device');
      if (!decision.emergency) {
        const lookup = await this.options.services.lookup.lookup(target.e164);
        if (lookup.kind === 'known') client = { id: lookup.client.id, type: lookup.client.type };
        // A desk phone has no way to ask for an override: the do-not-call list holds; the window only goes to the log.
        await this.requireCallable('device', client?.id ?? null, target.e164, caller.staffId, NO_OVERRIDE);
      }
      admitted = await this.takeSlot(caller.staffId, decision);
    } else {
      far = { kind: 'staff', staffId: target.staffId, username: target.username, contacts: target.contacts };
    }
    try {
      const call = new OutboundCall(this.callOptions({ direction: target.kind === 'external' ? 'outbound' : 'internal', staff: caller, far, client }));
      // They dialled from their own phone: the call goes ahead even with a queue call ringing them.
      await call.takeStaffOutOfPool('proceed');
      this.track(call, call.runFromDevice(req, res), admitted);
      return { callId: call.id };
    } catch (err) {
      if (admitted) await this.options.slots.release(admitted.staffId, admitted.slotId);
      throw err;
    }
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
      // The number the trunk asserted for the caller: it meets the policy like any number dialled (issue 15).
      const e164 = tryNormalisePhone(number, this.options.defaultCountry);
      const decision = decideOutboundCall({
        destination: e164 ?? number, purpose: 'callback',
        caller: { staffId, canDialOut: dialer.canDialOut, liveCalls: await this.options.slots.count(staffId) },
      }, this.options.policy);
      if (e164 === null || (!decision.allowed && decision.reason !== 'call_limit_reached')) {
        await this.refuseCallback(reservation, staffId, decision);
        return;
      }
      const lookup = await this.options.services.lookup.lookup(e164);
      const clientId = lookup.kind === 'known' ? lookup.client.id : callbackClientIdOf(reservation);
      if (!(await this.callbackMayCallNow(reservation, clientId, e164))) return;
      const slotId = randomUUID();
      const slot = decision.allowed ? await this.options.slots.acquire(staffId, slotId, this.options.policy.maxCallsPerUser) : { acquired: false };
      if (!slot.acquired) {
        this.log.warn({ acdCallId: reservation.callId, agent: staffId, limit: this.options.policy.maxCallsPerUser }, 'callback not placed now: the agent has as many outbound calls as one may have; given back to the queue');
        await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard');
        return;
      }
      const admitted: Admitted = { staffId, slotId, decision };
      try {
        const client = lookup.kind === 'known' ? { id: lookup.client.id, type: lookup.client.type } : null;
        const call = new OutboundCall(this.callOptions({
          direction: 'callback', staff: { staffId, username: dialer.sipUsername }, far: await this.trunkTo(e164, 'callback'), client,
          // The ACD's ring time for this agent: past it the ACD takes the reservation back by itself.
          ...(reservation.ringMs > 0 ? { staffRingMs: reservation.ringMs } : {}),
          hooks: callbackHooks(acd, reservation, this.log.child({ callId: reservation.callId }), this.retryDeps),
        }));
        this.log.info({ callId: call.id, acdCallId: reservation.callId, agent: staffId, clientId }, 'placing a callback');
        this.track(call, call.runFromStaffPhone(contacts), admitted);
      } catch (err) {
        await this.options.slots.release(staffId, slotId);
        throw err;
      }
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
    await this.retryTask?.stop();
    await drainCalls({ calls: this.calls, running: this.running }, options, this.log, 'outbound calls');
  }

  private requireActive(dialer: DialerFacts | null, staffId: number): asserts dialer is DialerFacts {
    if (!dialer || !dialer.active) throw new AppError('FORBIDDEN', `staff member ${staffId} does not exist or is inactive`);
  }

  /** An emergency short code as dialled, else the number read as E.164 (null when it cannot be read). */
  private destinationOf(number: string, path: string): string | null {
    const dialled = number.trim();
    if (this.options.policy.emergencyNumbers.has(dialled)) return null;
    return normalisePhone(dialled, this.options.defaultCountry, path);
  }

  /**
   * Asks the outbound policy (issue 15) for one call of `dialer`; a refusal
   * is logged and thrown as the catalogue's error, its reason code in the
   * details (`{path: 'reason', message: <code>}`).
   */
  private async judge(purpose: OutboundPurpose, destination: string, dialer: DialerFacts): Promise<OutboundDecision & { destination: string }> {
    const liveCalls = await this.options.slots.count(dialer.staffId);
    const decision = decideOutboundCall({ destination, purpose, caller: { staffId: dialer.staffId, canDialOut: dialer.canDialOut, liveCalls } }, this.options.policy);
    const logged = { staffId: dialer.staffId, purpose, destination, reason: decision.reason, prefix: decision.prefix, liveCalls };
    if (decision.allowed) {
      if (decision.emergency) this.log.warn(logged, 'emergency call put through');
      return { ...decision, destination };
    }
    this.log.warn(logged, `outbound call refused: ${decision.message}`);
    throw refusalOf(decision);
  }

  /** Takes the person's slot for an admitted call (atomically: another process may have taken the last one meanwhile). */
  private async takeSlot(staffId: number, decision: OutboundDecision): Promise<Admitted> {
    const slotId = randomUUID();
    const limit = this.options.policy.maxCallsPerUser;
    const slot = await this.options.slots.acquire(staffId, slotId, decision.emergency ? null : limit);
    if (!slot.acquired) {
      this.log.warn({ staffId, liveCalls: slot.live, limit }, 'outbound call refused: the call limit was reached meanwhile');
      throw new AppError('CALL_LIMIT_REACHED', `staff member ${staffId} already has ${slot.live} outbound call(s); at most ${limit} at once`, [{ path: 'reason', message: 'call_limit_reached' }]);
    }
    return { staffId, slotId, decision };
  }

  /**
   * A callback to a number the policy refuses is not dialled: the ACD's
   * request is withdrawn (the agent is free again), and the caller's request
   * is marked with the reason where managers see callbacks dealt with.
   */
  private async refuseCallback(reservation: Reservation, staffId: number, decision: OutboundDecision): Promise<void> {
    const requestId = callbackRequestIdOf(reservation.callId);
    this.log.warn({ acdCallId: reservation.callId, agent: staffId, number: reservation.callbackNumber, reason: decision.reason, prefix: decision.prefix }, `callback not dialled: ${decision.message}`);
    await this.options.acd.abandon(reservation.callId);
    const marked = await recordCallbackResult(this.options.db, requestId, null, { result: `not dialled: ${decision.reason}`, notes: decision.message });
    if (marked === 'not_found') this.log.warn({ acdCallId: reservation.callId }, 'the refused callback has no request row to mark (yet)');
  }

  /**
   * The far end through the first trunk, then the others in configured order
   * should one not carry the call; each with its own caller identity for a
   * call of `kind` (issue 17): the INVITE says who it is from as the trunk it
   * leaves by is configured.
   */
  private async trunkTo(e164: string, kind: OutboundCallKind): Promise<FarEnd> {
    if (this.options.trunks.length === 0) throw new AppError('NO_TRUNK', 'no SIP trunk is configured for outbound calls (SIP_TRUNKS needs an address, optionally with :port)');
    const routes = await Promise.all(this.options.trunks.map(async (trunk) => ({
      uri: trunkRequestUri(e164, trunk), trunk: trunkKey(trunk), identity: await trunkIdentityFor(this.options.db, trunk, kind),
    })));
    const [first, ...next] = routes as [TrunkRoute, ...TrunkRoute[]];
    return { kind: 'trunk', e164, ...first, ...(next.length > 0 ? { next } : {}) };
  }

  /**
   * A call a person or a campaign places to an outside number meets the
   * do-not-call list and the client's calling window as
   * routing/client-call-rules.ts decides for its purpose: refused with the
   * reason code (and, for the window, when it opens), or let through with
   * what the person is to be told (nothing: an empty object).
   */
  private async requireCallable(purpose: OutboundPurpose, clientId: number | null, e164: string, staffId: number, caller: ClientCallCaller): Promise<Omit<ClickToCallPlaced, 'callId'>> {
    const permission = await mayCallClient(this.options.db, this.rules, clientId, e164, this.retryDeps.now());
    const decision = decideClientCall(permission, purpose, caller);
    const logged = { staffId, purpose, clientId, destination: e164 };
    if (decision.allowed) {
      if (decision.notice === null) return {};
      this.log.warn(logged, `${purpose} call placed: ${decision.notice}`);
      return decision.outsideWindow ? { notice: decision.notice, outsideWindow: decision.outsideWindow } : { notice: decision.notice };
    }
    this.log.warn({ ...logged, reason: decision.refused, nextAllowedAt: decision.nextAllowedAt }, `${purpose} call refused: ${decision.message}`);
    throw new AppError('DESTINATION_NOT_ALLOWED', decision.message, [
      { path: 'reason', message: decision.refused },
      ...(decision.nextAllowedAt !== null ? [{ path: 'nextAllowedAt', message: new Date(decision.nextAllowedAt).toISOString() }] : []),
    ]);
  }

  /**
   * Whether a reserved callback may dial its client now (issue 17). Not on
   * the do-not-call list: the request is withdrawn and marked. Outside the
   * client's calling window: it waits, at its place, for the window to open
   * (the agent is freed meanwhile). False when the callback is not placed now.
   */
  private async callbackMayCallNow(reservation: Reservation, clientId: number | null, e164: string): Promise<boolean> {
    const permission = await mayCallClient(this.options.db, this.rules, clientId, e164, this.retryDeps.now());
    if (permission.allowed) return true;
    const requestId = callbackRequestIdOf(reservation.callId);
    const logged = { acdCallId: reservation.callId, clientId, number: e164, reason: permission.refused, nextAllowedAt: permission.nextAllowedAt };
    const tried = await callbackTryOf(this.options.acd, reservation);
    // Held back for the window, the request is pending, not withdrawn: the queue's figures do not count it cancelled.
    await this.options.acd.abandon(reservation.callId, { heldBack: permission.nextAllowedAt !== null });
    if (permission.nextAllowedAt === null) {
      this.log.warn(logged, `callback not dialled: ${permission.message}`);
      await this.retryDeps.recordResult(requestId, `not dialled: ${permission.refused}`, permission.message);
      return false;
    }
    const entry = scheduledFor(reservation, deferCallback(tried, permission.nextAllowedAt));
    const placed = await placeCallbackEntry(this.options.acd, this.retryDeps, entry);
    this.log.info({ ...logged, nextAcdCallId: entry.callId, placed }, `callback waits for its calling window: ${permission.message}`);
    return false;
  }

  /** Puts the callback retries whose time has come into the ACD (each taken by one process only). */
  private async enqueueDueCallbacks(): Promise<void> {
    const store = this.options.callbackRetries;
    if (!store || this.stopped) return;
    for (const entry of await store.takeDue(this.retryDeps.now(), 50)) {
      try {
        const { position } = await enqueueCallbackEntry(this.options.acd, entry);
        this.log.info({ acdCallId: entry.callId, attempt: entry.attempt, position }, 'callback retry back in the queue at its place');
      } catch (err) {
        this.log.warn({ err, acdCallId: entry.callId }, 'a due callback could not be put into the queue');
      }
    }
  }

  private callOptions(partial: Omit<OutboundCallOptions, 'services'>): OutboundCallOptions {
    return { services: this.options.services, ...partial };
  }

  private track(call: OutboundCall, run: Promise<void>, admitted: Admitted | null = null): void {
    this.calls.set(call.id, call);
    const running = run.finally(async () => {
      this.calls.delete(call.id);
      // The person's slot is given back however the call ended (release never throws); stop() waits for it.
      if (admitted) await this.options.slots.release(admitted.staffId, admitted.slotId);
      this.running.delete(running);
    });
    this.running.add(running);
  }
}

/** The catalogue error for a refusal of the outbound policy; its reason code travels in the details. */
export function refusalOf(decision: OutboundDecision): AppError {
  const details = [{ path: 'reason', message: decision.reason }];
  if (decision.reason === 'call_limit_reached') return new AppError('CALL_LIMIT_REACHED', decision.message, details);
  if (decision.reason === 'no_dial_out_right') return new AppError('FORBIDDEN', decision.message, details);
  return new AppError('DESTINATION_NOT_ALLOWED', decision.message, details);
}
