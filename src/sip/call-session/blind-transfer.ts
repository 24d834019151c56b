import { AppError } from '../../errors/app-error';
import { refuse, sipFailureFor } from '../sip-status';
import type { SrfRequest, SrfResponse } from '../srf-types';
import { transferTargetOfReferTo, type BlindTransferTarget } from '../transfer-target';
import type { AgentLeg, Dialog, InboundContext } from './inbound-context';
import { enqueueCaller } from './queue-wait';
import { transferPlanFor, type TransferPlan } from './transfer-plan';

/** A named transfer target as a queue plan for this caller (a person, their department's queue, a queue, a service). */
export async function resolveTransfer(ctx: InboundContext, named: BlindTransferTarget): Promise<TransferPlan> {
  return transferPlanFor(named, await ctx.services.directory(), ctx.client, ctx.basePriority);
}

/**
 * Blind transfer (design §3 step 8): ends the agent's leg (BYE; the agent
 * goes to wrap-up), records the transfer, plays music on hold and queues the
 * caller again under a new ACD call id with the target's plan. The caller
 * stays up throughout; if they cannot be queued, the call ends rather than
 * leave them alone on music.
 *
 * @throws AppError ILLEGAL_TRANSITION when no agent is connected (or a transfer is under way).
 */
export async function blindTransfer(ctx: InboundContext, resolved: TransferPlan, byStaffId: number | null): Promise<void> {
  const leg = ctx.connectedAgent;
  const media = ctx.media;
  const dialog = leg?.dialog;
  if (!leg || !dialog || !media || media.state !== 'bridged' || ctx.callerGone.fired || ctx.recorder.state === 'transferring') {
    throw new AppError('ILLEGAL_TRANSITION', 'the call has no connected agent to transfer from');
  }
  ctx.recorder.startTransfer({ kind: 'blind', target: resolved.fact, byAgentId: byStaffId });
  try {
    ctx.log.info({ target: resolved.fact, by: byStaffId, agent: leg.staffId }, 'blind transfer');
    leg.transferredAway = true;
    ctx.hangUp(dialog);
    await ctx.putBackInPool(leg);
    ctx.agent = null;
    ctx.hold.reset();
    media.releaseAgent();
    if (leg.answeredAcdEntry) {
      await ctx.services.acd.hangUp(leg.answeredAcdEntry, { by: 'agent' }).catch((err: unknown) => ctx.log.warn({ err }, 'could not end the transferred-from ACD call'));
    }
    if (ctx.callerGone.fired || ctx.ending) return;
    await media.startMusicOnHold(ctx.services.musicOnHoldFile);
    if (ctx.callerGone.fired || ctx.ending) return;
    ctx.moveToAcdEntry(ctx.nextAcdId());
    const refused = await enqueueCaller(ctx, resolved.plan);
    if (refused) ctx.systemEnded.resolve(refused);
    // The caller left while the entry was being made, and teardown has already run: take it out again.
    else if (ctx.ending) await ctx.services.acd.abandon(ctx.acdId);
  } catch (err) {
    // The caller cannot be left alone on music: end the call.
    ctx.log.error({ err }, 'blind transfer failed');
    ctx.hangUp(ctx.uas);
    ctx.systemEnded.resolve({ side: 'system', cause: `transfer failed: ${(err as Error).message}`, outcome: 'failed' });
    throw err;
  }
}

/**
 * A REFER from the agent's phone on its dialog (RFC 3515): a blind transfer
 * to the Refer-To target (see transferTargetOfReferTo). 202, then a final
 * NOTIFY with a sipfrag (§2.4.5) before the BYE; unreadable targets 400,
 * unknown ones 404.
 */
export async function transferOnRefer(ctx: InboundContext, leg: AgentLeg, req: SrfRequest, res: SrfResponse): Promise<void> {
  const target = req.has('Refer-To') ? transferTargetOfReferTo(req.get('Refer-To')) : null;
  if (!target) return refuse(res, 'BAD_SIP_REQUEST', 'unreadable Refer-To');
  let resolved: TransferPlan;
  try {
    resolved = await resolveTransfer(ctx, target);
  } catch (err) {
    const status = sipFailureFor(err).status;
    return res.send(status === 404 ? 404 : 500);
  }
  if (ctx.agent !== leg || !leg.dialog) return refuse(res, 'NO_SUCH_DIALOG');
  res.send(202);
  await notifyReferDone(ctx, leg.dialog);
  try {
    await blindTransfer(ctx, resolved, leg.staffId);
  } catch (err) {
    ctx.log.warn({ err }, 'REFER transfer failed');
  }
}

/** The final NOTIFY of the implicit subscription (RFC 3515 §2.4.5); not worth holding the transfer for. */
async function notifyReferDone(ctx: InboundContext, dialog: Dialog): Promise<void> {
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
    ctx.log.warn({ err }, 'NOTIFY for the REFER failed');
  } finally {
    clearTimeout(timer);
  }
}
