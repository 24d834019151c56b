import { randomUUID } from 'node:crypto';
import type Srf from 'drachtio-srf';
import { CallRecorder, newCallId } from '../calls/call-recorder';
import { callLogger, type Logger } from '../logger';
import type { LegKind } from '../media/media-leg';
import type { MediaSession } from '../media/media-session';
import type { CallServices } from './call-services';
import { DirectCallHolds } from './direct-call-presence';
import {
  colleagueDialled, FAR_RING_MS, runCallHook, STAFF_RING_MS, staffHangupSide, staffInviteHeaders, type CallEnd, type OutboundCallHooks, type OutboundCallOptions, type TrunkRoute,
} from './outbound-call-options';
import type { FarFailure, FarProgress } from './far-progress';
import { farRingFailure, RingFailed, ringFirst, type RingBranch } from './parallel-ring';
import type { ContactBinding } from './registration-store';
import { sentOverWebSocket } from './sent-over-websocket';
import { noteMediaCounters, runReleaseSteps, startCallRecording, storeCall, type CallRecording } from './call-session/call-teardown';
import { hangUpDialog, legKindOf, tagOf } from './call-session/dialog-ends';
import { newCallMedia } from './call-session/call-media';
import { DialogKeepalive } from './call-session/dialog-keepalive';
import { FarProgressSender } from './call-session/far-progress-sender';
import { offerBranches } from './call-session/offer-branches';
import { relayReinvite } from './call-session/reinvite-relay';
import { Signal } from './call-session/signal';
import { callCheckpointer } from './call-session/call-checkpointing';
import type { CallCheckpointer } from '../calls/call-checkpoint-store';
import { CallHold } from './hold-state';
import { refuse, sipFailureFor } from './sip-status';
import { UNIDENTIFIED_FROM } from './trunk-caller-identity';
import { trunkCouldNotCarry } from './trunk-failover';
import { dialogIdOf, isLateOfferAnswer, type LateOfferAnswer, type SrfRequest, type SrfResponse } from './srf-types';

type Dialog = Srf.Dialog;

export { FAR_RING_MS, STAFF_RING_MS, type FarEnd, type OutboundCallHooks, type OutboundCallOptions, type StaffParty } from './outbound-call-options';

/**
 * One call Switchboard places between a staff member and a far end (a
 * number through a trunk, or a colleague), both legs anchored in one
 * rtpengine call, recorded, and written as one call row with its events.
 *
 * Two ways in:
 * - `runFromStaffPhone`: click-to-call and callbacks. The staff's registered
 *   devices are rung first, all at once, with an INVITE without SDP (RFC 3264
 *   §4 late offer: the answering device's 200 OK carries the offer, the ACK
 *   our answer), so that one INVITE fits a browser and a desk phone alike;
 *   when one answers, the far end is dialled and the two are bridged.
 * - `runFromDevice`: a staff device's own INVITE (already authenticated): its
 *   offer is anchored, the far end rung, and the device answered only when
 *   the far end answers (until then it hears ringing, 180).
 *
 * In rtpengine terms the staff's leg is the "caller" leg and the far end the
 * "agent" leg (media-session.ts): the recording has the staff on the left.
 */
export class OutboundCall {
  readonly id = newCallId();
  private readonly log: Logger;
  /** Whether the staff's phone holds the far end (its re-INVITEs), for the hold time on the record. */
  private readonly hold: CallHold;
  private readonly recorder: CallRecorder;
  private readonly services: CallServices;
  private readonly hooks: OutboundCallHooks;
  private media: MediaSession | null = null;
  private staffDialog: Dialog | null = null;
  private farDialog: Dialog | null = null;
  private readonly staffGone = new Signal<string>();
  private readonly farGone = new Signal();
  private staffAnswered = false;
  private connected = false;
  private recording: CallRecording | null = null;
  /** Keeps the call's checkpoint in Redis for a survivor (null when the process keeps none). */
  private readonly checkpointer: CallCheckpointer | null;
  /** Set when the process ended the call from outside (shutdown past its deadline): why, for the record. */
  private endedFromOutside: CallEnd | null = null;
  /** The staff device's INVITE still to be answered (runFromDevice), so that a shutdown can refuse it. */
  private deviceResponse: SrfResponse | null = null;
  /** The people this call took out of the ACD's pool (DirectCallPresence), put back when it ends. */
  private readonly poolHolds: DirectCallHolds;
  /** What kind of device answered for the staff (runFromStaffPhone): only a browser is told how the far end does. */
  private staffKind: LegKind | null = null;
  /** The far-progress INFOs sent to the staff's phone, one after the other (tellStaff). */
  private readonly progress: FarProgressSender;
  /** Asks each leg OPTIONS in its dialog; a leg whose phone lost the call (a BYE gone missing) ends it. */
  private readonly keepalive: DialogKeepalive;

  constructor(private readonly options: OutboundCallOptions) {
    this.services = options.services;
    this.hooks = options.hooks ?? {};
    this.log = callLogger(options.services.logger, this.id).child({ direction: options.direction, staffId: options.staff.staffId });
    this.hold = new CallHold(this.log);
    this.progress = new FarProgressSender(this.log);
    this.keepalive = new DialogKeepalive({
      intervalMs: this.services.callLimits.keepaliveMs, answerTimeoutMs: 10_000, log: this.log,
      onGone: (leg, why) => this.endNow(`the ${leg} no longer holds the call (in-dialog OPTIONS: ${why})`),
    });
    this.poolHolds = new DirectCallHolds(this.services.acd, this.log);
    this.checkpointer = callCheckpointer(this.services, this.log, () => ({
      recorder: this.recorder, media: this.media, recording: this.recording,
      dialogIds: [dialogIdOf(this.staffDialog), dialogIdOf(this.farDialog)].filter((id): id is string => id !== null),
    }));
    const far = options.far;
    this.recorder = new CallRecorder({
      id: this.id, logger: this.log, direction: options.direction, callerNumber: options.staff.username,
      dialedNumber: far.kind === 'trunk' ? far.e164 : far.username, trunk: far.kind === 'trunk' ? far.trunk : null,
      // Every event saves the call's checkpoint; the first one (while the recorder is built) is saved just below.
      onEvent: (_event, state) => {
        // The end is stored by storeCall itself, which then removes the checkpoint.
        if (this.recorder && state !== 'ended') this.checkpointer?.changed();
      },
    });
    this.checkpointer?.changed();
    if (options.client) this.recorder.identify({ clientId: options.client.id, clientType: options.client.type });
  }

  /** Asks each leg in its dialog now (after drachtio-server reconnected); a leg that cannot be reached ends the call. */
  probeDialogs(): void {
    this.keepalive.probeAll();
  }

  /** Ends the call now, from outside (shutdown, media lost): 503 to an unanswered device INVITE, BYE to each leg, `cause` on the record. */
  endNow(cause: string): void {
    if (this.endedFromOutside) return;
    this.endedFromOutside = { side: 'system', cause };
    this.log.warn({ cause }, 'call ended from outside');
    if (this.deviceResponse && !this.deviceResponse.finalResponseSent) refuse(this.deviceResponse, 'SHUTTING_DOWN', cause, { 'Retry-After': '5' });
    this.hangUp(this.staffDialog);
    this.hangUp(this.farDialog);
    this.staffGone.resolve('shutdown');
    this.farGone.resolve();
  }

  /** The call's rtpengine call-id once its media is anchored, else null. */
  get mediaCallId(): string | null {
    return this.media?.callId ?? null;
  }

  /** The staff member on the call (REST checks an operator against it). */
  get staffId(): number {
    return this.options.staff.staffId;
  }

  /**
   * Takes the staff member placing the call out of the ACD's pool until it
   * ends, so that no queue call rings them meanwhile (a callback is the
   * ACD's own call: nothing to do). Call before running the call.
   *
   * @param ifQueueCallRinging see DirectCallPresence.occupy.
   * @throws AppError `CONFLICT` with `refuse` when a queue call is ringing them or in progress.
   */
  async takeStaffOutOfPool(ifQueueCallRinging: 'refuse' | 'proceed'): Promise<void> {
    if (this.options.direction === 'callback') return;
    await this.poolHolds.occupy(this.staffId, this.id, ifQueueCallRinging);
  }

  /**
   * Rings the staff's devices, then the far end; runs the call to its end.
   * Never throws: every failure is logged and recorded.
   */
  async runFromStaffPhone(contacts: readonly ContactBinding[]): Promise<void> {
    let end: CallEnd = { side: 'system', cause: 'ended' };
    try {
      await this.hooks.staffRinging?.();
      this.recorder.offer({ agentId: this.staffId, ringTimeoutMs: this.options.staffRingMs ?? STAFF_RING_MS });
      let won: { answer: LateOfferAnswer | Dialog; index: number };
      try {
        won = await ringFirst(contacts.map((contact) => this.lateOfferBranch(contact)), {
          timeoutMs: this.options.staffRingMs ?? STAFF_RING_MS, stop: this.staffGone.promise,
        });
      } catch (err) {
        const { reason } = farRingFailure(err);
        this.log.info({ reason }, 'staff did not take the call');
        await runCallHook(this.log, 'staffMissed', () => this.hooks.staffMissed?.(reason));
        end = { side: 'system', cause: `staff did not answer (${reason})`, outcome: 'failed' };
        return;
      }
      const contact = contacts[won.index] as ContactBinding;
      if (!isLateOfferAnswer(won.answer)) {
        // The device answered our offerless INVITE without an offer of its own: nothing to bridge.
        this.hangUp(won.answer);
        await runCallHook(this.log, 'staffMissed', () => this.hooks.staffMissed?.('answered without SDP'));
        end = { side: 'system', cause: 'staff device answered without SDP', outcome: 'failed' };
        return;
      }
      const answer = won.answer;
      this.media = newCallMedia(this.services, this.id, { tag: `staff-${randomUUID()}`, kind: legKindOf(contact) }, this.log);
      let localSdp: string;
      try {
        localSdp = await this.media.anchorCaller(answer.sdp);
      } catch (err) {
        await answer.destroy().catch(() => undefined);
        throw err;
      }
      this.staffDialog = await answer.ack(localSdp);
      this.staffKind = legKindOf(contact);
      this.staffAnswered = true;
      this.watchStaff(this.staffDialog);
      this.recorder.note('note', { staffAnswered: true, device: contact.uri });
      await runCallHook(this.log, 'staffAnswered', () => this.hooks.staffAnswered?.());
      end = await this.connectFar();
    } catch (err) {
      this.log.error({ err }, 'outbound call failed');
      this.hangUp(this.staffDialog);
      end = { side: 'system', cause: `failure: ${(err as Error).message}`, outcome: 'failed' };
    } finally {
      await this.release(this.endedFromOutside ?? end);
    }
  }

  /**
   * The device's INVITE (its caller authenticated by the caller of this
   * method): rings the far end and answers the device when it answers.
   * Never throws; the INVITE always gets a final response.
   */
  async runFromDevice(req: SrfRequest, res: SrfResponse): Promise<void> {
    let end: CallEnd = { side: 'system', cause: 'ended' };
    const cancelled = new Signal();
    this.deviceResponse = res;
    try {
      req.on('cancel', () => {
        cancelled.resolve();
        this.staffGone.resolve('CANCEL');
      });
      const fromTag = tagOf(req.get('From'));
      if (!fromTag) {
        refuse(res, 'BAD_SIP_REQUEST', 'missing From tag');
        end = { side: 'system', cause: 'malformed INVITE: no From tag', outcome: 'rejected' };
        return;
      }
      if (!req.body) {
        // An offerless INVITE from a device would need the far end's offer first; every phone we know sends one.
        refuse(res, 'NO_ACCEPTABLE_MEDIA', 'SDP offer required');
        end = { side: 'system', cause: 'INVITE without SDP', outcome: 'rejected' };
        return;
      }
      this.media = newCallMedia(this.services, req.get('Call-ID'), { tag: fromTag, kind: sentOverWebSocket(req) ? 'webrtc' : 'sip' }, this.log);
      await this.media.anchorCaller(req.body);
      this.staffAnswered = true;
      // RFC 3261 §13.3.1.1: the device hears ringing while the far end is rung.
      if (!cancelled.fired) res.send(180, {});
      const dialled = await this.ringFar();
      if (dialled.kind === 'failed') {
        if (!res.finalResponseSent) res.send(dialled.status, {});
        end = dialled.end;
        return;
      }
      if (cancelled.fired || res.finalResponseSent) {
        this.hangUp(dialled.dialog);
        end = { side: 'caller', cause: 'CANCEL', outcome: 'abandoned_ringing' };
        return;
      }
      this.farDialog = dialled.dialog;
      this.staffDialog = await this.services.srf.createUAS(req, res, { localSdp: dialled.callerSdp });
      this.watchStaff(this.staffDialog);
      end = await this.talk();
    } catch (err) {
      const failure = sipFailureFor(err);
      this.log.error({ err }, 'call from a device failed');
      if (!this.staffDialog && !res.finalResponseSent) res.send(failure.status, failure.reason, { headers: failure.headers });
      this.hangUp(this.staffDialog);
      this.hangUp(this.farDialog);
      end = { side: 'system', cause: `failure: ${(err as Error).message}`, outcome: 'failed' };
    } finally {
      await this.release(this.endedFromOutside ?? end);
    }
  }

  /**
   * Staff-first: the staff is up; dial the far end, bridge, talk. The
   * staff's softphone is told how the far end does (far-progress.ts): a
   * failure before its line is hung up, so that it can say why.
   */
  private async connectFar(): Promise<CallEnd> {
    const dialled = await this.ringFar();
    if (dialled.kind === 'failed') {
      if (dialled.far) await this.tellStaff({ far: 'failed', ...dialled.far });
      this.hangUp(this.staffDialog);
      return dialled.end;
    }
    this.farDialog = dialled.dialog;
    if (this.staffGone.fired) {
      this.hangUp(this.farDialog);
      return { side: staffHangupSide(this.options.far), cause: 'BYE', outcome: 'abandoned_ringing' };
    }
    void this.tellStaff({ far: 'answered' });
    return this.talk();
  }

  /** Tells the staff's softphone how the far end does (far-progress.ts); only a browser is told. */
  private tellStaff(progress: FarProgress): Promise<void> {
    const dialog = this.staffGone.fired ? null : this.staffDialog;
    return this.progress.tell(dialog, this.staffKind === 'webrtc', progress);
  }

  /**
   * Offers the anchored staff leg to the far end and rings it. On answer the
   * two are bridged (caller SDP for a device that is still to be answered).
   */
  private async ringFar(): Promise<
    | { kind: 'answered'; dialog: Dialog; callerSdp: string }
    /** `far`: why nobody answered, for the staff's softphone; null when the staff left first. */
    | { kind: 'failed'; status: number; end: CallEnd; far: { outcome: FarFailure; status: number | null } | null }
  > {
    const media = this.media as MediaSession;
    const far = this.options.far;
    if (far.kind === 'staff' && far.contacts.length === 0) {
      return { kind: 'failed', status: 480, end: { side: 'system', cause: `${far.username} has no registered device`, outcome: 'failed' }, far: { outcome: 'unavailable', status: 480 } };
    }
    // One media offer per kind of device a colleague has (a browser needs WebRTC SDP, a desk phone plain RTP), each
    // under its own tag, so that all of them ring; a trunk gets one plain offer.
    const kinds: LegKind[] = far.kind === 'staff' ? [...new Set(far.contacts.map(legKindOf))] : ['sip'];
    const offers: Array<{ kind: LegKind; tag: string; sdp: string }> = [];
    for (const kind of kinds) {
      const tag = `far-${randomUUID()}`;
      offers.push({ kind, tag, sdp: await media.offerToAgent(kind, tag) });
    }
    if (far.kind === 'staff') {
      const ringMs = this.options.farRingMs ?? FAR_RING_MS;
      // The dial plan is this call's routing: the row says who was dialled and why, like a routed hotline call.
      if (this.recorder.state === 'ringing_in') this.recorder.route(colleagueDialled(this.options.staff.username, far, ringMs), null);
      this.recorder.offer({ agentId: far.staffId, ringTimeoutMs: ringMs });
      // A colleague being rung gets no queue call on top (one already ringing them rings on: their phone decides).
      await this.poolHolds.occupy(far.staffId, this.id, 'proceed');
    }
    // A number goes out through the first trunk, and through the next ones while a trunk cannot carry it, each INVITE
    // with the identity of the trunk it leaves by; a colleague's devices are rung once.
    const routes: ReadonlyArray<TrunkRoute | null> = far.kind === 'trunk' ? [far, ...(far.next ?? [])] : [null];
    let dialog: Dialog | null = null;
    let farTag = (offers[0] as { tag: string }).tag;
    /** The trunk tried last that could not carry the call, and its answer. */
    let failedOver: { trunk: string; reason: string } | null = null;
    try {
      for (let attempt = 0; dialog === null; attempt += 1) {
        const route = routes[attempt] ?? null;
        const headers: Record<string, string> = route
          ? { From: UNIDENTIFIED_FROM, ...route.identity, 'X-Switchboard-Call-Id': this.id }
          : { From: `<sip:${encodeURIComponent(this.options.staff.username)}@switchboard.invalid>`, 'X-Switchboard-Call-Id': this.id, 'X-Switchboard-Direction': 'internal' };
        const targets = offers.map((o) => ({ ...o, uris: route ? [route.uri] : far.kind === 'staff' ? far.contacts.filter((c) => legKindOf(c) === o.kind).map((c) => c.uri) : [] }));
        const branchTags = targets.flatMap((o) => o.uris.map(() => o.tag));
        let rang = false;
        const branches = targets.flatMap((o) => offerBranches(this.services.srf, o.uris, { localSdp: o.sdp, headers }, {
          // The far end's first 180/183 (RFC 3261 §13.2.2.1), whichever kind of device sent it: the staff's softphone says it rings.
          onRinging: () => {
            if (!rang) void this.tellStaff({ far: 'ringing' });
            rang = true;
          },
          hangUp: (answered) => this.hangUp(answered),
        }));
        try {
          const won = await ringFirst(branches, { timeoutMs: this.options.farRingMs ?? FAR_RING_MS, stop: this.staffGone.promise });
          dialog = won.answer;
          farTag = branchTags[won.index] ?? farTag;
          if (route && failedOver !== null) this.recorder.failedOverTo(route.trunk, failedOver.trunk, failedOver.reason);
        } catch (err) {
          const next = routes[attempt + 1];
          if (!route || !next || this.staffGone.fired || !(err instanceof RingFailed) || err.failure.kind !== 'refused' || !trunkCouldNotCarry(err.failure.status)) throw err;
          this.log.warn({ trunk: route.trunk, next: next.trunk, reason: err.reason }, 'the trunk could not carry the call: trying the next');
          failedOver = { trunk: route.trunk, reason: err.reason };
        }
      }
    } catch (err) {
      if (media.state === 'offering-agent') media.cancelAgentOffer();
      if (this.staffGone.fired) return { kind: 'failed', status: 487, end: { side: staffHangupSide(this.options.far), cause: 'CANCEL', outcome: 'abandoned_ringing' }, far: null };
      const failure = farRingFailure(err);
      this.log.info({ reason: failure.reason }, 'far end did not answer');
      const noted = await runCallHook(this.log, 'farFailed', () => this.hooks.farFailed?.(failure.reason, failure.far));
      if (noted) this.recorder.note('note', noted);
      return { kind: 'failed', status: failure.deviceStatus, end: { side: 'system', cause: `far end did not answer (${failure.reason})`, outcome: 'failed' }, far: failure.far };
    }
    // Watched from the answer on: a BYE while the staff's side is still being answered must not be missed.
    this.keepalive.watch('far end', dialog);
    dialog.on('destroy', () => this.farGone.resolve());
    dialog.on('modify', (req: SrfRequest, res: SrfResponse) => {
      void this.reinvite('agent', req, res);
    });
    try {
      const bridge = await media.acceptAgentAnswer(farTag, dialog.remote.sdp);
      return { kind: 'answered', dialog, callerSdp: bridge.callerSdp };
    } catch (err) {
      this.hangUp(dialog);
      throw err;
    }
  }

  /** Both legs are up: record, watch both, and wait for either to hang up. */
  private async talk(): Promise<CallEnd> {
    const media = this.media as MediaSession;
    const farDialog = this.farDialog as Dialog;
    const far = this.options.far;
    this.connected = true;
    if (far.kind === 'staff') this.recorder.agentAnswered({ agentId: far.staffId });
    else this.recorder.remoteAnswered({ agentId: this.staffId });
    this.recording = await startCallRecording(media, this.recorder);
    this.checkpointer?.changed();
    // The staff may have hung up while the recording was being started.
    const ended = await Promise.race([
      this.staffGone.promise.then((): 'staff' => 'staff'),
      this.farGone.promise.then((): 'far' => 'far'),
    ]);
    // Whoever hung up, the other leg gets our BYE; the row names the side that hung up.
    const staffSide = staffHangupSide(this.options.far);
    this.hangUp(ended === 'staff' ? farDialog : this.staffDialog);
    return { side: ended === 'staff' ? staffSide : staffSide === 'agent' ? 'caller' : 'agent', cause: 'BYE' };
  }

  private watchStaff(dialog: Dialog): void {
    this.keepalive.watch('staff phone', dialog);
    dialog.on('destroy', () => this.staffGone.resolve('BYE'));
    dialog.on('modify', (req: SrfRequest, res: SrfResponse) => {
      void this.reinvite('caller', req, res);
    });
  }

  /** Rings one of the staff's devices with an offerless INVITE (late offer): the device's 200 OK offers, our ACK answers. */
  private lateOfferBranch(contact: ContactBinding): RingBranch<LateOfferAnswer | Dialog> {
    const headers = staffInviteHeaders(this.id, this.options);
    return {
      // With noAck and no SDP, drachtio-srf resolves with the ACK-pending form (srf-types.ts LateOfferAnswer), not a Dialog.
      invite: (sent) => this.services.srf.createUAC(contact.uri, { noAck: true, headers }, { cbRequest: (_err, req) => req && sent(req) }),
      discard: (answer) => (isLateOfferAnswer(answer) ? void answer.destroy().catch(() => undefined) : this.hangUp(answer)),
    };
  }

  /**
   * A re-INVITE from either leg goes through rtpengine (design §7). The staff's
   * phone (the leg rtpengine calls the caller's here) may hold or resume the far
   * end: read off the audio direction, as on inbound calls (hold-state.ts).
   */
  private async reinvite(from: 'caller' | 'agent', req: SrfRequest, res: SrfResponse): Promise<void> {
    const relayed = await relayReinvite({ media: this.media, dialogOf: (leg) => (leg === 'caller' ? this.staffDialog : this.farDialog), log: this.log }, from, req, res);
    if (relayed && from === 'caller') this.hold.applyTo(req.body, this.recorder);
  }

  private hangUp(dialog: Dialog | null | undefined): void {
    hangUpDialog(dialog, this.log);
  }

  /** Frees everything the call holds and writes its record: runs once, whatever happened. */
  private async release(end: CallEnd): Promise<void> {
    const media = this.media;
    this.keepalive.stop();
    await runReleaseSteps([
      // A far-progress INFO still on its way: at most its wait, and its timer is cleared with it.
      ['far progress', () => this.progress.drained()],
      // Same shape as an inbound call's note: "caller" is the staff leg here, "agent" the far end.
      ['media counters', () => (media && this.connected ? noteMediaCounters(media, this.recorder) : undefined)],
      ['media', () => media?.delete()],
      ['hook', () => runCallHook(this.log, 'ended', () => this.hooks.ended?.({ staffAnswered: this.staffAnswered, connected: this.connected }))],
      ['acd pool', () => this.poolHolds.releaseAll()],
    ], this.log);
    await storeCall(this.services, { id: this.id, recorder: this.recorder, media, recording: this.recording, log: this.log, checkpointer: this.checkpointer }, end);
  }
}
