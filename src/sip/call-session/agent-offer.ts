import { randomUUID } from 'node:crypto';
import type { Reservation } from '../../acd';
import { RingFailed, ringFirst } from '../parallel-ring';
import { legKindOf } from './dialog-ends';
import { startCallRecording } from './call-teardown';
import type { AgentLeg, Dialog, InboundContext } from './inbound-context';
import { offerBranches } from './offer-branches';
import { Signal } from './signal';

/** Wires a connected agent's dialog into the call (its BYE, re-INVITEs and REFER); the orchestrator owns it. */
export type AttachAgentDialog = (leg: AgentLeg, dialog: Dialog) => void;

/**
 * The agent offer (design §3 step 7): the ACD reserved an agent for the
 * caller, so every registered phone of theirs rings at once with the call and
 * client ids in X- headers for the reservation's ring time; the first to
 * answer takes the call and the others are CANCELled. Answered: bridged, the ACD told, the
 * recording started (once: after a transfer the one recording goes on).
 * Anything else — no answer, busy, no registered phone, a failure — gives
 * the call back to the ACD at the same place in line, the attempt on the
 * record.
 */
export async function offerToAgent(ctx: InboundContext, reservation: Reservation, attach: AttachAgentDialog): Promise<void> {
  const { acd } = ctx.services;
  const media = ctx.media;
  if (!media || !ctx.uas || ctx.callerGone.fired || ctx.agent || reservation.callId !== ctx.acdId) {
    await acd.ringNoAnswer(reservation.callId, reservation.agentId, 'switchboard').catch(() => undefined);
    return;
  }
  const staffId = Number(reservation.agentId);
  const leg: AgentLeg = {
    reservation, staffId, tag: `agent-${randomUUID()}`, request: null, dialog: null, ringTimer: null, connected: false, answeredAcdEntry: null, transferredAway: false,
  };
  ctx.agent = leg;
  let offerRecorded = false;
  try {
    const contacts = await ctx.services.contactsOf(staffId);
    if (contacts.length === 0) {
      ctx.agent = null;
      await skipUnreachableAgent(ctx, reservation, staffId);
      return;
    }
    // One media offer per kind of device (a browser needs WebRTC SDP, a desk phone plain RTP), each under its own
    // tag: every registered device of the agent rings, and the answer names the tag of the kind that won.
    const offers: Array<{ tag: string; sdp: string; uris: string[] }> = [];
    for (const kind of [...new Set(contacts.map(legKindOf))]) {
      const tag = offers.length === 0 ? leg.tag : `agent-${randomUUID()}`;
      offers.push({ tag, sdp: await media.offerToAgent(kind, tag), uris: contacts.filter((c) => legKindOf(c) === kind).map((c) => c.uri) });
    }
    await acd.markOffered(ctx.acdId, reservation.agentId);
    ctx.recorder.offer({ agentId: staffId, ringTimeoutMs: reservation.ringMs });
    offerRecorded = true;
    const stopRinging = new Signal();
    leg.stopRinging = () => stopRinging.resolve();
    const draft = ctx.draftTest;
    const headers = {
      From: ctx.callerFromHeader,
      'X-Switchboard-Call-Id': ctx.id,
      'X-Switchboard-Client-Id': ctx.client ? String(ctx.client.id) : 'new',
      // The agent sees at once that a draft test, not a client, is calling.
      'X-Switchboard-Reason': encodeURIComponent(`${draft ? `IVR draft test (${draft.flow.name} v${draft.flow.version}): ` : ''}${ctx.decision?.reason ?? ''}`),
    };
    const branchTags = offers.flatMap((o) => o.uris.map(() => o.tag));
    const branches = offers.flatMap((o) => offerBranches(ctx.services.srf, o.uris, { localSdp: o.sdp, headers }, { onRinging: () => undefined, hangUp: (d) => ctx.hangUp(d) }));
    // Every device rings at once; the first to answer wins and the others get CANCEL (parallel-ring.ts).
    const won = await ringFirst(branches, {
      timeoutMs: reservation.ringMs, stop: Promise.race([ctx.callerGone.promise, stopRinging.promise]),
    });
    const dialog = won.answer;
    leg.tag = branchTags[won.index] ?? leg.tag;
    leg.stopRinging = null;
    leg.dialog = dialog;
    if (ctx.callerGone.fired) {
      ctx.hangUp(dialog);
      return;
    }
    await media.acceptAgentAnswer(leg.tag, dialog.remote.sdp);
    await media.stopPlayback();
    await acd.answer(ctx.acdId, reservation.agentId);
    leg.answeredAcdEntry = ctx.acdId;
    leg.connected = true;
    ctx.recorder.agentAnswered({ agentId: staffId });
    attach(leg, dialog);
    if (!ctx.recording) {
      ctx.recording = await startCallRecording(media, ctx.recorder);
      // The recording's id and start go on the checkpoint: a survivor converts the capture if this process dies.
      ctx.checkpointer?.changed();
    }
  } catch (err) {
    leg.stopRinging = null;
    if (leg.connected) {
      // Bridged, answered, on the record: only the recording failed to start. The call goes on unrecorded.
      ctx.log.error({ err }, 'recording could not start');
      return;
    }
    ctx.agent = null;
    // An answer that could not be bridged or told to the ACD: the agent's phone is let go, not left on a dead line.
    if (leg.dialog) ctx.hangUp(leg.dialog);
    await withdrawAgentMedia(ctx);
    const reason = err instanceof RingFailed ? err.reason : (err as Error).message;
    ctx.log.info({ agent: reservation.agentId, reason }, 'agent did not take the call');
    if (ctx.callerGone.fired) return;
    // The ACD is told whatever else failed: otherwise the caller waits until the reservation expires.
    try {
      if (offerRecorded) ctx.recorder.offerMissed({ agentId: staffId, reason, requeued: true });
    } finally {
      await acd.ringNoAnswer(ctx.acdId, reservation.agentId, 'switchboard').catch((e: unknown) => ctx.log.warn({ err: e }, 'ring-no-answer failed'));
    }
  }
}

/** The offer's media taken back: the caller alone in rtpengine again, on music while they wait. */
async function withdrawAgentMedia(ctx: InboundContext): Promise<void> {
  const media = ctx.media;
  // After the caller left, teardown has already deleted the media: nothing to withdraw then.
  if (!media || media.state === 'deleted') return;
  try {
    if (media.state === 'offering-agent') media.cancelAgentOffer();
    else if (media.state === 'bridged') {
      media.releaseAgent();
      if (!ctx.callerGone.fired) await media.startMusicOnHold(ctx.services.musicOnHoldFile);
    }
  } catch (err) {
    ctx.log.warn({ err }, 'could not withdraw the offer to the agent');
  }
}

/**
 * The ACD picked someone Ready whose phone is not registered (a closed
 * softphone tab, a desk phone unplugged): nothing can ring. The attempt goes
 * on the call's timeline, the person is set Not ready (unreachable) for a
 * supervisor to see, and the caller goes back at once, keeping their place.
 */
async function skipUnreachableAgent(ctx: InboundContext, reservation: Reservation, staffId: number): Promise<void> {
  ctx.log.info({ agent: reservation.agentId }, 'agent has no registered phone: skipped');
  try {
    if (!ctx.callerGone.fired) {
      ctx.recorder.offer({ agentId: staffId, ringTimeoutMs: 0 });
      ctx.recorder.offerMissed({ agentId: staffId, reason: 'unreachable: no registered phone', requeued: true });
    }
  } finally {
    await ctx.services.acd.ringNoAnswer(ctx.acdId, reservation.agentId, 'switchboard', { unreachable: true })
      .catch((e: unknown) => ctx.log.warn({ err: e }, 'ring-no-answer failed'));
  }
}
