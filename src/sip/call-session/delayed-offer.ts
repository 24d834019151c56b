import { inviteOfferKind } from '../sip-status';
import type { SrfRequest } from '../srf-types';
import type { Dialog } from './inbound-context';

/**
 * How long a delayed-offer caller has to ACK our 200 OK: RFC 3261 Timer H
 * (64 × T1 = 32 s), after which the UAS gives the dialog up (§13.3.1.4).
 */
export const ACK_WAIT_MS = 32_000;

/** What the ACK to our offer brought. */
export type AckAnswer =
  | { kind: 'answer'; sdp: string }
  /** No usable answer: RFC 3264 §4 wants one in the ACK when the offer was in the 2xx, so the call cannot go on. */
  | { kind: 'no-answer'; why: string }
  /** The caller hung up (BYE) before its ACK, or the call otherwise ended. */
  | { kind: 'gone' };

/** The pure rule: the SDP answer an ACK carries, or why it carries none. */
export function answerInAck(contentType: string | undefined, body: string | undefined): AckAnswer {
  const kind = inviteOfferKind(contentType, body);
  if (kind === 'sdp') return { kind: 'answer', sdp: body as string };
  if (kind === 'none') return { kind: 'no-answer', why: 'the ACK carried no SDP answer to our offer' };
  return { kind: 'no-answer', why: `the ACK carried a body of type ${contentType ?? 'unknown'}, not an SDP answer` };
}

/**
 * Waits for the ACK of the 200 OK that carried our offer and reads the
 * caller's answer from it; gives up after `waitMs` or when `gone` settles.
 * Every listener and timer is released whatever happens.
 */
export async function awaitAckAnswer(uas: Dialog, gone: Promise<unknown>, waitMs: number = ACK_WAIT_MS): Promise<AckAnswer> {
  let timer: NodeJS.Timeout | undefined;
  let onAck: ((req: SrfRequest) => void) | undefined;
  try {
    return await Promise.race([
      new Promise<AckAnswer>((resolve) => {
        onAck = (req: SrfRequest) => resolve(answerInAck(req.get('Content-Type'), req.body));
        uas.on('ack', onAck);
      }),
      new Promise<AckAnswer>((resolve) => (timer = setTimeout(() => resolve({ kind: 'no-answer', why: `no ACK within ${waitMs} ms of our offer` }), waitMs))),
      gone.then((): AckAnswer => ({ kind: 'gone' })),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAck) uas.removeListener('ack', onAck);
  }
}
