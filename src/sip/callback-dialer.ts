import type { Acd, Reservation } from '../acd';
import type { CallEventData } from '../calls/call-event';
import type { Logger } from '../logger';
import type { OutboundCallHooks } from './outbound-call';

/**
 * How often a callback is tried: the first attempt, and once more when the
 * client does not answer. After the last attempt the request is given up
 * (its call rows say so).
 */
export const CALLBACK_ATTEMPTS = 2;

/** Which attempt a reserved callback is (1 for the request as the caller left it). */
export function callbackAttemptOf(reservation: Pick<Reservation, 'meta'>): number {
  const attempt = reservation.meta?.callbackAttempt;
  return typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/**
 * The ACD entry of the next attempt of a callback whose client did not
 * answer: a new id (`<request>.cb<n>`; the ACD keeps one entry per id and the
 * tried one has ended), or null when the last attempt has been made.
 */
export function nextCallbackAttempt(reservation: Pick<Reservation, 'callId' | 'meta'>): { callId: string; attempt: number } | null {
  const attempt = callbackAttemptOf(reservation);
  if (attempt >= CALLBACK_ATTEMPTS) return null;
  const base = reservation.callId.replace(/\.cb\d+$/, '');
  return { callId: `${base}.cb${attempt + 1}`, attempt: attempt + 1 };
}

/** The client a callback is for, as the enqueuing call noted it (meta.clientId); null when new or unknown. */
export function callbackClientIdOf(reservation: Pick<Reservation, 'meta'>): number | null {
  const id = reservation.meta?.clientId;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * The ACD side of placing one reserved callback (design §3 step 5, "called
 * back without losing their place"): the agent's phone ringing confirms the
 * reservation; no answer gives the request back at the same place (the agent
 * goes Not ready, missed); the agent answering puts them on the call; a
 * client who does not answer gets the request put back once at the end of
 * the line, then it is given up; the end of the call puts the agent in
 * wrap-up.
 */
export function callbackHooks(acd: Acd, reservation: Reservation, logger: Logger): OutboundCallHooks {
  const { callId, agentId } = reservation;
  return {
    async staffRinging() {
      await acd.markOffered(callId, agentId);
    },
    async staffMissed() {
      await acd.ringNoAnswer(callId, agentId, 'switchboard');
    },
    async staffAnswered() {
      await acd.answer(callId, agentId);
    },
    async farFailed(reason: string): Promise<CallEventData> {
      const next = nextCallbackAttempt(reservation);
      const number = reservation.callbackNumber ?? '';
      if (!next || number === '') {
        logger.info({ acdCallId: callId, reason }, 'callback given up: the client did not answer the last attempt');
        return { callback: { outcome: 'given_up', attempt: callbackAttemptOf(reservation), reason } };
      }
      const stored = await acd.getCall(callId);
      const placed = await acd.enqueueCallback({
        callId: next.callId, queueId: reservation.queueId, number, ...(stored ? { priority: stored.priority } : {}),
        meta: { ...(reservation.meta ?? {}), callbackAttempt: next.attempt, previousCallId: callId },
      });
      logger.info({ acdCallId: callId, nextAcdCallId: next.callId, position: placed.position, reason }, 'callback put back: the client did not answer');
      return { callback: { outcome: 'requeued', attempt: callbackAttemptOf(reservation), next: next.callId, reason } };
    },
    async ended({ staffAnswered }) {
      // Answered in the ACD when the agent picked up: the agent now goes to wrap-up, whatever the client did.
      if (staffAnswered) await acd.hangUp(callId, { by: 'agent' });
    },
  };
}
