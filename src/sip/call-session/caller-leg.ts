import type { FlowDocument } from '../../ivr/flow-document';
import type { LegKind } from '../../media/media-leg';
import type { RoutingConfig } from '../../routing/routing-config-schema';
import { sentOverWebSocket } from '../sent-over-websocket';
import { refuse, inviteOfferKind } from '../sip-status';
import { dialogIdOf, type SrfRequest, type SrfResponse } from '../srf-types';
import type { MediaSession } from '../../media/media-session';
import { newCallMedia } from './call-media';
import { awaitAckAnswer } from './delayed-offer';
import { tagOf } from './dialog-ends';
import type { CallEnd, Dialog, InboundContext } from './inbound-context';

/** The published (or draft) flow and routing a call runs with, with their versions for the record. */
export interface CallConfigs {
  flow: { version: number; document: FlowDocument };
  routing: { version: number; document: RoutingConfig };
}

export type CallerLegOutcome = { kind: 'answered'; configs: CallConfigs } | { kind: 'ended'; end: CallEnd };

/** What the caller leg does with a re-INVITE from the caller (the call relays it through rtpengine). */
export type CallerReinvite = (req: SrfRequest, res: SrfResponse) => void;

const CANCELLED: CallerLegOutcome = { kind: 'ended', end: { side: 'caller', cause: 'CANCEL' } };

/** The caller leg's kind: a browser softphone dials over WebSocket (a draft test), everything else is plain SIP. */
function callerLegKind(req: SrfRequest): LegKind {
  return sentOverWebSocket(req) ? 'webrtc' : 'sip';
}

/**
 * The caller leg, up to the answer (design §3 steps 1–3): the caller looked
 * up, the flow and routing read, the caller's media anchored in rtpengine and
 * the INVITE answered; from then on the leg's BYE, SIP INFO digits and
 * re-INVITEs are watched. A CANCEL (RFC 3261 §9.2) at any point ends the
 * call at once: drachtio-server has answered it (487), so nothing more is
 * sent, and the lookup or config read still running is left behind.
 */
export async function answerCaller(ctx: InboundContext, onReinvite: CallerReinvite): Promise<CallerLegOutcome> {
  const { req, res, services, recorder } = ctx;
  req.on('cancel', () => ctx.callerGone.resolve('CANCEL'));
  // A body we cannot take is refused before any work, with what we take (it used to fail in rtpengine as a 500).
  // No body at all is a delayed offer, answered below with our own offer.
  const offer = inviteOfferKind(req.get('Content-Type'), req.body);
  if (offer === 'other') {
    refuse(res, 'UNSUPPORTED_BODY', `INVITE body of type ${req.get('Content-Type') ?? 'unknown'}`, { Accept: 'application/sdp' });
    return { kind: 'ended', end: { side: 'system', cause: `unsupported INVITE body: ${req.get('Content-Type') ?? 'no Content-Type'}`, outcome: 'rejected' } };
  }
  const looked = await ctx.beforeCallerLeaves(services.lookup.lookup(ctx.callerNumber));
  if (!looked) return CANCELLED;
  const lookup = looked.value;
  ctx.client = lookup.kind === 'known' ? lookup.client : null;
  ctx.callerE164 = lookup.e164;
  recorder.identify({ clientId: ctx.client?.id ?? null, clientType: ctx.client?.type ?? null, callerE164: lookup.e164 });
  const configs = await ctx.beforeCallerLeaves(Promise.all([
    ctx.draftTest ? Promise.resolve(ctx.draftTest.flow) : services.flows.currentOrLastKnown(services.flowName),
    services.routing.currentOrLastKnown(null),
  ]));
  if (!configs) return CANCELLED;
  const [flow, routing] = configs.value;
  if (!flow || !routing) {
    refuse(res, 'DEPENDENCY_DOWN', 'no published IVR flow or routing', { 'Retry-After': '30' });
    return { kind: 'ended', end: { side: 'system', cause: 'no published IVR flow or routing config', outcome: 'failed' } };
  }
  const callerTag = tagOf(req.get('From'));
  if (!callerTag) {
    refuse(res, 'BAD_SIP_REQUEST', 'missing From tag');
    return { kind: 'ended', end: { side: 'system', cause: 'malformed INVITE: no From tag', outcome: 'rejected' } };
  }
  const sipCallId = req.get('Call-ID');
  const media = newCallMedia(services, sipCallId, { tag: callerTag, kind: callerLegKind(req) }, ctx.log);
  ctx.media = media;
  // Delayed offer (common from carriers): our offer goes in the 200 OK and the caller's answer comes in its ACK.
  const localSdp = offer === 'sdp' ? await media.anchorCaller(req.body) : await media.offerToCaller();
  if (ctx.callerGone.fired) return CANCELLED;
  const uas = await services.srf.createUAS(req, res, { localSdp });
  ctx.uas = uas;
  // The checkpoint named the leg by the id drachtio-server was expected to give it; say so if a drachtio-server differs.
  const answeredDialogId = dialogIdOf(uas);
  if (answeredDialogId !== null && answeredDialogId !== ctx.callerDialogIdOnceAnswered) ctx.log.warn({ dialogId: answeredDialogId, expected: ctx.callerDialogIdOnceAnswered }, 'drachtio-server named the caller\'s dialog otherwise than expected: a checkpoint saved before the answer cannot hang this caller up');
  recorder.answer();
  watchCaller(ctx, uas, callerTag, onReinvite);
  if (offer === 'none') {
    const ended = await takeAnswerFromAck(ctx, uas, media);
    if (ended) return { kind: 'ended', end: ended };
  }
  return { kind: 'answered', configs: { flow, routing } };
}

/** The ACK's answer to our delayed offer into rtpengine; the call's end when there is none (the caller gets a BYE). */
async function takeAnswerFromAck(ctx: InboundContext, uas: Dialog, media: MediaSession): Promise<CallEnd | null> {
  const ack = await awaitAckAnswer(uas, ctx.callerGone.promise);
  if (ack.kind === 'gone') return { side: 'caller', cause: 'BYE before the ACK of our offer' };
  let why: string;
  if (ack.kind === 'answer') {
    try {
      await media.anchorCallerAnswer(ack.sdp);
      return null;
    } catch (err) {
      why = `the caller's SDP answer was refused by rtpengine: ${(err as Error).message}`;
    }
  } else {
    why = ack.why;
  }
  ctx.log.warn({ why }, 'delayed-offer call without a usable answer: hanging up');
  ctx.hangUp(uas);
  return { side: 'system', cause: `delayed offer: ${why}`, outcome: 'failed' };
}

/** The answered caller leg: its BYE ends the call, its SIP INFO digits go to the DTMF listener, its re-INVITEs are relayed. */
function watchCaller(ctx: InboundContext, uas: Dialog, callerTag: string, onReinvite: CallerReinvite): void {
  const sipCallId = ctx.req.get('Call-ID');
  uas.on('destroy', () => ctx.callerGone.resolve('BYE'));
  uas.on('info', (req: SrfRequest, res: SrfResponse) => {
    const outcome = ctx.services.dtmf.acceptSipInfo(sipCallId, callerTag, req.get('Content-Type'), req.body);
    res.send(outcome.result === 'rejected' ? (outcome.rejection.error === 'unsupported-type' ? 415 : 400) : 200);
  });
  uas.on('modify', (req: SrfRequest, res: SrfResponse) => onReinvite(req, res));
}

/** Calls `onDigit` with each key the caller presses (RFC 4733 via rtpengine, or SIP INFO); returns the unsubscriber. */
export function subscribeCallerDigits(ctx: InboundContext, onDigit: (digit: string) => void): () => void {
  const media = ctx.media;
  if (!media) return () => undefined;
  return ctx.services.dtmf.subscribe(ctx.req.get('Call-ID'), (event) => {
    if (event.source === 'sip-info' || media.roleOfTag(event.sourceTag) === 'caller') onDigit(event.digit);
  });
}
