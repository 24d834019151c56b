import type { AcdEvent, Reservation } from '../acd';
import type { CallServices } from './call-services';
import { offerToAgent } from './call-session/agent-offer';
import { blindTransfer, resolveTransfer, transferOnRefer } from './call-session/blind-transfer';
import { answerCaller } from './call-session/caller-leg';
import { noteMediaCounters, runReleaseSteps, storeCall } from './call-session/call-teardown';
import { InboundContext, type AgentLeg, type CallEnd, type ConsultView, type Dialog, type DraftTest } from './call-session/inbound-context';
import { relayInboundReinvite } from './call-session/inbound-reinvite';
import { DialogKeepalive } from './call-session/dialog-keepalive';
import { routeCall, runIvr } from './call-session/ivr-and-routing';
import { handleOverflow, isOwnOverflow, waitInQueue } from './call-session/queue-wait';
import { handleLostEntry, isOwnLoss } from './call-session/acd-entry-loss';
import { agentLeftConsult, cancelConsult, completeConsult, startConsult } from './call-session/warm-transfer';
import type { CallMediaChange } from '../call-monitoring/call-media-change';
import { MediaChangeHooks } from './monitoring/media-change-hooks';
import type { MonitoredCall } from './monitoring/monitored-call';
import { Signal } from './call-session/signal';
import { refuse, sipFailureFor } from './sip-status';
import type { SrfRequest, SrfResponse } from './srf-types';
import type { BlindTransferTarget } from './transfer-target';

export { callerNumberOf, type ConsultView, type DraftTest } from './call-session/inbound-context';
export { transferTargetOfReferTo, type BlindTransferTarget } from './transfer-target';

export interface InboundCallOptions {
  draftTest?: DraftTest;
}

/**
 * One inbound call from the hotline, end to end (design §3), run as phases
 * over one shared context (call-session/): the caller leg answered, the IVR,
 * routing, the queue wait with offers to agents and overflows, transfers
 * while talking, and — whatever happens — the teardown, which releases every
 * resource and writes exactly one call record. Where the call stands is its
 * record's lifecycle state; this class only orders the phases and routes
 * what arrives from outside (ACD reservations and events, REST transfers,
 * the agent's dialog) to the phase it belongs to.
 */
export class InboundCall {
  private readonly ctx: InboundContext;
  /** Asks each leg OPTIONS in its dialog; a leg whose phone lost the call (a BYE gone missing) ends it. */
  private readonly keepalive: DialogKeepalive;
  /** Resolved when run() has finished the call: a supervisor listening in (issue 18) is let go then. */
  private readonly finished = new Signal();
  /**
   * Monitoring's say before this call changes its own media (issue 18): a whisper or barge drops to listen
   * first, so that the re-INVITE's or transfer's offer/answer finds the caller paired with the agent. Run here,
   * where every such change enters the call (the legs' re-INVITEs and REFER, REST transfers), so the phases
   * in call-session/ stay as they were.
   */
  private readonly mediaChangeHooks: MediaChangeHooks;

  constructor(services: CallServices, req: SrfRequest, res: SrfResponse, options: InboundCallOptions = {}) {
    this.ctx = new InboundContext(services, req, res, options.draftTest ?? null);
    this.keepalive = new DialogKeepalive({
      intervalMs: services.callLimits.keepaliveMs, answerTimeoutMs: 10_000, log: this.ctx.log,
      onGone: (leg, why) => this.endNow(`the ${leg}'s phone no longer holds the call (in-dialog OPTIONS: ${why})`),
    });
    this.mediaChangeHooks = new MediaChangeHooks(this.ctx.log);
  }

  get id(): string {
    return this.ctx.id;
  }

  /** Runs the call to its end. Never throws: every failure is answered, logged and recorded. */
  async run(): Promise<void> {
    let end: CallEnd = { side: 'system', cause: 'ended' };
    // A call lasts at most calls.maxCallSeconds: a BYE lost on the network must not keep an agent on a dead call.
    const longest = setTimeout(() => this.endNow('maximum call length reached'), this.ctx.services.callLimits.maxCallMs);
    try {
      end = await this.phases();
    } catch (err) {
      end = this.failed(err);
    } finally {
      clearTimeout(longest);
      // Ended from outside: the phases saw the caller's leg go, the record says why.
      try {
        await this.release(this.ctx.endedFromOutside ?? end);
      } finally {
        this.finished.resolve();
      }
    }
  }

  /** Asks each leg in its dialog now (after drachtio-server reconnected); a leg that cannot be reached ends the call. */
  probeDialogs(): void {
    this.keepalive.probeAll();
  }

  /**
   * Ends the call now, from outside (the process shutting down past its
   * drain deadline, or the longest call allowed): a caller not yet answered gets 503 with Retry-After (the
   * trunk may try another node), an answered one a BYE, the agent's leg a
   * BYE; every phase stops as when the caller leaves, and the record ends on
   * the system's side with `cause`. Resolves nothing: run() finishes the call.
   */
  endNow(cause: string): void {
    const ctx = this.ctx;
    if (ctx.ending || ctx.endedFromOutside) return;
    ctx.endedFromOutside = { side: 'system', cause };
    ctx.log.warn({ cause }, 'call ended from outside');
    if (!ctx.uas && !ctx.res.finalResponseSent) refuse(ctx.res, 'SHUTTING_DOWN', cause, { 'Retry-After': '5' });
    ctx.hangUp(ctx.uas);
    if (ctx.agent?.dialog) ctx.hangUp(ctx.agent.dialog);
    ctx.callerGone.resolve('BYE');
  }

  private async phases(): Promise<CallEnd> {
    const ctx = this.ctx;
    const answered = await answerCaller(ctx, (req, res) => void this.relayReinvite('caller', req, res));
    if (answered.kind === 'ended') return answered.end;
    if (ctx.uas) this.keepalive.watch('caller', ctx.uas);
    const ivr = await runIvr(ctx, answered.configs);
    if (ivr.kind === 'ended') return ivr.end;
    const routed = await routeCall(ctx, ivr, answered.configs);
    if (routed.kind === 'ended') return routed.end;
    return waitInQueue(ctx, routed.plan, routed.goodbyeFile);
  }

  /** A phase threw: the caller gets a final response or a BYE, and the record says the call failed. */
  private failed(err: unknown): CallEnd {
    const ctx = this.ctx;
    if (!ctx.uas && ctx.callerGone.fired) {
      // The CANCEL crossed our answer (createUAS rejects): the caller left, nothing failed.
      ctx.log.info({ err: (err as Error).message }, 'caller cancelled while the call was being answered');
      return { side: 'caller', cause: 'CANCEL' };
    }
    const failure = sipFailureFor(err);
    ctx.log.error({ err }, 'call failed');
    if (!ctx.uas && !ctx.res.finalResponseSent) ctx.res.send(failure.status, failure.reason, { headers: failure.headers });
    else ctx.hangUp(ctx.uas);
    return { side: 'system', cause: `failure: ${(err as Error).message}`, outcome: 'failed' };
  }

  /** The call's rtpengine call-id once its media is anchored (the caller's SIP Call-ID), else null. */
  get mediaCallId(): string | null {
    return this.ctx.media?.callId ?? null;
  }

  /** Where a supervisor's listen-in forks the call from (issue 18); null unless caller and agent are talking. */
  get monitored(): MonitoredCall | null {
    const ctx = this.ctx;
    const media = ctx.media;
    const agent = ctx.connectedAgent;
    const agentLeg = media?.agentLeg;
    if (!media || media.state !== 'bridged' || !agent || !agentLeg || ctx.ending || this.finished.fired) return null;
    return {
      mediaCallId: media.callId, engine: media.engine, callerTag: media.caller.tag, agentTag: agentLeg.tag,
      agentStaffId: agent.staffId, agentKind: agentLeg.kind, latestSdps: () => media.latestSdps, callerNumber: ctx.callerNumber, ended: this.finished.promise,
      beforeMediaChange: (hook) => this.mediaChangeHooks.register(hook),
      standing: () => ({
        mediaChanging: this.mediaChangeHooks.changing, consulting: ctx.consult?.active === true,
        agentLeft: ctx.connectedAgent !== agent || ctx.media?.agentLeg?.tag !== agentLeg.tag, onHold: ctx.hold.state === 'on_hold',
      }),
    };
  }

  /** The id of the caller's current ACD entry; reservations for any other id of this call are stale. */
  get acdCallId(): string {
    return this.ctx.acdId;
  }

  /** The staff member talking with the caller now, if any (REST transfer checks an operator against it). */
  get connectedStaffId(): number | null {
    return this.ctx.connectedAgent?.staffId ?? null;
  }

  /** The warm transfer under way: its state and target; null when there is none. */
  get consultView(): ConsultView | null {
    const consult = this.ctx.consult;
    return consult ? { state: consult.state, target: consult.target } : null;
  }

  /** The ACD reserved an agent for this call (or for the queue a warm transfer consults): ring their phone. */
  async offer(reservation: Reservation): Promise<void> {
    const consult = this.ctx.consult;
    if (consult && reservation.callId === consult.acdCallId) return consult.offer(reservation);
    return offerToAgent(this.ctx, reservation, this.attachAgentDialog);
  }

  /** An ACD event (the handler passes every one): this call acts on an overflow of the entry it waits in. */
  onAcdEvent(event: AcdEvent): void {
    const ctx = this.ctx;
    if (isOwnOverflow(ctx, event)) handleOverflow(ctx, event).catch((err: unknown) => ctx.log.warn({ err }, 'overflow could not be carried out'));
    else if (isOwnLoss(ctx, event)) handleLostEntry(ctx, event).catch((err: unknown) => ctx.log.warn({ err }, 'the lost ACD entry could not be recovered'));
  }

  /**
   * Blind transfer (see call-session/blind-transfer.ts).
   *
   * @throws AppError NOT_FOUND for an unknown target, ILLEGAL_TRANSITION when no agent is connected.
   */
  async transferBlind(target: BlindTransferTarget, byStaffId: number | null): Promise<void> {
    const resolved = await resolveTransfer(this.ctx, target);
    await this.mediaChangeHooks.around('blind-transfer', () => blindTransfer(this.ctx, resolved, byStaffId));
  }

  /** Warm transfer, step 1: consult the target while the caller hears music (call-session/warm-transfer.ts). */
  startConsult(target: BlindTransferTarget, byStaffId: number | null): Promise<ConsultView> {
    return this.mediaChangeHooks.around('warm-transfer', () => startConsult(this.ctx, target, byStaffId));
  }

  /** Warm transfer, completed: the consulted party takes the caller. */
  completeConsult(byStaffId: number | null): Promise<void> {
    return completeConsult(this.ctx, byStaffId, this.attachAgentDialog);
  }

  /** Warm transfer, cancelled: caller and agent talk again. */
  cancelConsult(byStaffId: number | null): Promise<void> {
    return cancelConsult(this.ctx, byStaffId);
  }

  /** The connected agent's dialog: its BYE ends the call, its re-INVITEs go through rtpengine, its REFER transfers. */
  private readonly attachAgentDialog = (leg: AgentLeg, dialog: Dialog): void => {
    const ctx = this.ctx;
    dialog.on('destroy', () => {
      // Our own BYE for a transfer: the caller stays.
      if (leg.transferredAway) return;
      if (ctx.consult?.active && ctx.agent === leg) {
        void agentLeftConsult(ctx, leg, this.attachAgentDialog);
        return;
      }
      ctx.hangUp(ctx.uas);
      ctx.agentGone.resolve();
    });
    this.keepalive.watch('agent', dialog);
    dialog.on('modify', (req: SrfRequest, res: SrfResponse) => void this.relayReinvite('agent', req, res));
    dialog.on('refer', (req: SrfRequest, res: SrfResponse) => void this.mediaChangeHooks.around('blind-transfer', () => transferOnRefer(ctx, leg, req, res)));
  };

  private relayReinvite(from: 'caller' | 'agent', req: SrfRequest, res: SrfResponse): Promise<void> {
    const change: CallMediaChange = from === 'caller' ? 'caller-reinvite' : 'agent-reinvite';
    return this.mediaChangeHooks.around(change, () => relayInboundReinvite(this.ctx, from, req, res));
  }

  /** Frees everything the call holds, writes its record: runs once, whatever happened. */
  private async release(end: CallEnd): Promise<void> {
    const ctx = this.ctx;
    ctx.ending = end;
    this.keepalive.stop();
    if (ctx.waitLimit) clearTimeout(ctx.waitLimit);
    const { acd } = ctx.services;
    await runReleaseSteps([
      ['consult', () => ctx.consult?.end(end.side)],
      ['agent leg', () => {
        const leg = ctx.agent;
        if (leg?.ringTimer) clearTimeout(leg.ringTimer);
        if (leg?.dialog && !ctx.agentGone.fired) ctx.hangUp(leg.dialog);
        else leg?.request?.cancel(() => undefined);
      }],
      ['acd', async () => {
        const talking = ctx.connectedAgent?.answeredAcdEntry;
        if (talking) await acd.hangUp(talking, { by: end.side });
        else if (ctx.waitingInAcd) await acd.abandon(ctx.acdId);
      }],
      ['acd pool', () => (ctx.agent ? ctx.putBackInPool(ctx.agent) : undefined)],
      ['media counters', () => (ctx.media && ctx.connectedAgent ? noteMediaCounters(ctx.media, ctx.recorder) : undefined)],
      ['media', () => ctx.media?.delete()],
    ], ctx.log);
    await storeCall(ctx.services, ctx, end);
  }
}
