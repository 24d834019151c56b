import type { TransferTarget } from '../../calls/call-record';
import { AppError } from '../../errors/app-error';
import { ConsultTransfer, type ConsultRoute } from '../consult-transfer';
import { concreteTransferTarget, type BlindTransferTarget } from '../transfer-target';
import type { AttachAgentDialog } from './agent-offer';
import { resolveTransfer } from './blind-transfer';
import type { AgentLeg, ConsultView, InboundContext } from './inbound-context';

/**
 * Warm transfer, step 1 (design §3 step 8, §1 rule 9): the caller hears music
 * on hold, the target is rung — a person's registered phone directly, for
 * CONSULT_RING_SECONDS; a queue, department or named service through the
 * ACD, like any offer — and once it answers, the agent and the target talk.
 * Returns while it rings. A target that does not answer or declines is noted
 * (`consult_failed`) and the caller stays on hold until the agent cancels.
 *
 * @throws AppError NOT_FOUND for an unknown target, ILLEGAL_TRANSITION when no agent is connected or a transfer is under way.
 */
export async function startConsult(ctx: InboundContext, target: BlindTransferTarget, byStaffId: number | null): Promise<ConsultView> {
  const leg = ctx.connectedAgent;
  const media = ctx.media;
  const agentDialog = leg?.dialog;
  const free = (): boolean => media?.state === 'bridged' && !ctx.callerGone.fired && ctx.recorder.state !== 'transferring' && !ctx.consult?.active;
  if (!leg || !agentDialog || !media || !free()) throw new AppError('ILLEGAL_TRANSITION', 'the call has no connected agent free to consult');
  const directory = await ctx.services.directory();
  const concrete = concreteTransferTarget(target, directory, ctx.client);
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
    const resolved = await resolveTransfer(ctx, target);
    // A new ACD entry for the consulted agent; it becomes the caller's entry when the transfer completes.
    route = { kind: 'acd', plan: resolved.plan, acdCallId: ctx.nextAcdId() };
    fact = resolved.fact;
  }
  // Checked again: the directory read gave the caller or a REFER time to change things.
  if (ctx.agent !== leg || !free()) throw new AppError('ILLEGAL_TRANSITION', 'the call changed while the consult was being prepared');
  ctx.recorder.startTransfer({ kind: 'warm', target: fact, byAgentId: byStaffId });
  ctx.log.info({ target: fact, by: byStaffId, agent: leg.staffId }, 'warm transfer: consulting');
  const reason = `consult from staff ${leg.staffId}`;
  const consult = new ConsultTransfer({
    services: ctx.services, callId: ctx.id, media, agentDialog, route, target: fact, logger: ctx.log,
    inviteHeaders: {
      From: ctx.callerFromHeader,
      'X-Switchboard-Call-Id': ctx.id,
      'X-Switchboard-Client-Id': ctx.client ? String(ctx.client.id) : 'new',
      'X-Switchboard-Reason': encodeURIComponent(`${reason}: ${ctx.decision?.reason ?? ''}`),
      'X-Switchboard-Consult-By': String(leg.staffId),
    },
    acdMeta: { clientId: ctx.client?.id ?? null, reason, callerNumber: ctx.callerNumber, consultBy: leg.staffId },
    onFailed: (why) => {
      if (!ctx.recorder.ended) ctx.recorder.note('consult_failed', { reason: why, target: fact });
    },
  });
  ctx.consult = consult;
  try {
    await consult.start();
  } catch (err) {
    // The media could not be set up: the caller goes back to the agent.
    ctx.log.warn({ err }, 'warm transfer could not start');
    await consult.end('agent');
    ctx.consult = null;
    // Read afresh: start() may have moved the media on before it failed.
    const mediaState: string = media.state;
    if (mediaState === 'consulting') await media.cancelConsult().catch((e: unknown) => ctx.log.warn({ err: e }, 'could not pair the caller with the agent again'));
    if (ctx.recorder.state === 'transferring') ctx.recorder.cancelTransfer(`consult could not start: ${(err as Error).message}`);
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
export async function completeConsult(ctx: InboundContext, byStaffId: number | null, attach: AttachAgentDialog): Promise<void> {
  const consult = ctx.consult;
  if (!consult) throw new AppError('ILLEGAL_TRANSITION', 'no warm transfer is under way');
  const leg = ctx.agent;
  const taken = await consult.complete();
  ctx.consult = null;
  if (leg) {
    leg.transferredAway = true;
    ctx.hangUp(leg.dialog);
    await ctx.putBackInPool(leg);
    if (leg.answeredAcdEntry) {
      await ctx.services.acd.hangUp(leg.answeredAcdEntry, { by: 'agent' }).catch((err: unknown) => ctx.log.warn({ err }, 'could not end the transferring agent\'s ACD call'));
    }
  }
  const next: AgentLeg = {
    reservation: null, staffId: taken.staffId, tag: taken.tag, request: null, dialog: taken.dialog, ringTimer: null,
    connected: true, answeredAcdEntry: taken.acdCallId, transferredAway: false, backToPool: taken.backToPool,
  };
  ctx.agent = next;
  if (taken.acdCallId) ctx.moveToAcdEntry(taken.acdCallId);
  ctx.hold.reset();
  ctx.log.info({ from: leg?.staffId ?? null, to: taken.staffId, by: byStaffId }, 'warm transfer completed');
  ctx.recorder.note('transfer', { mode: 'warm', target: consult.target, byAgentId: byStaffId, fromAgentId: leg?.staffId ?? null, toAgentId: taken.staffId });
  ctx.recorder.agentAnswered({ agentId: taken.staffId });
  attach(next, taken.dialog);
  // The consulted party may have hung up while the media was re-paired.
  if (!(taken.dialog as unknown as { connected: boolean }).connected) {
    ctx.hangUp(ctx.uas);
    ctx.agentGone.resolve();
  }
}

/**
 * Warm transfer, cancelled: the consulted party is let go (BYE, or CANCEL
 * while ringing), the music stops and caller and agent talk again.
 *
 * @throws AppError ILLEGAL_TRANSITION when no consult is under way.
 */
export async function cancelConsult(ctx: InboundContext, byStaffId: number | null): Promise<void> {
  const consult = ctx.consult;
  if (!consult?.active) throw new AppError('ILLEGAL_TRANSITION', 'no warm transfer is under way');
  await consult.cancel();
  ctx.consult = null;
  ctx.hold.reset();
  ctx.log.info({ by: byStaffId }, 'warm transfer cancelled');
  if (ctx.recorder.state === 'transferring') ctx.recorder.cancelTransfer(byStaffId === null ? 'cancelled' : `cancelled by staff ${byStaffId}`);
}

/**
 * The agent hung up during a warm transfer: with the consulted party on the
 * line that hands the caller over (as a desk phone's attended transfer
 * does); otherwise the consult is let go and the call ends as any agent
 * hang-up does.
 */
export async function agentLeftConsult(ctx: InboundContext, leg: AgentLeg, attach: AttachAgentDialog): Promise<void> {
  const consult = ctx.consult;
  if (consult?.state === 'talking') {
    try {
      await completeConsult(ctx, leg.staffId, attach);
      return;
    } catch (err) {
      ctx.log.warn({ err }, 'the warm transfer could not complete after the agent hung up');
    }
  }
  await consult?.end('agent');
  ctx.hangUp(ctx.uas);
  ctx.agentGone.resolve();
}
