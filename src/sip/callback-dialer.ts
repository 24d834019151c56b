import { DEFAULT_PRIORITY, type Acd, type Reservation } from '../acd';
import { decodeQueueScore } from '../acd/queue-score';
import type { CallEventData } from '../calls/call-event';
import type { Logger } from '../logger';
import { callbackRequestIdOf, decideCallbackRetry, type CallbackEntry, type CallbackRetrySettings, type CallbackTry } from './callback-retry-policy';
import type { CallbackRetryStore, ScheduledCallback } from './callback-retry-store';
import type { OutboundCallHooks } from './outbound-call';

/** Which attempt a reserved callback is (1 for the request as the caller left it). */
export function callbackAttemptOf(reservation: Pick<Reservation, 'meta'>): number {
  const attempt = reservation.meta?.callbackAttempt;
  return typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/** The client a callback is for, as the enqueuing call noted it (meta.clientId); null when new or unknown. */
export function callbackClientIdOf(reservation: Pick<Reservation, 'meta'>): number | null {
  const id = reservation.meta?.clientId;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

/** What carrying out the retry policy needs besides the ACD. */
export interface CallbackRetryDeps {
  settings: CallbackRetrySettings;
  /** Where entries wait for their time; null: they enter the ACD at once (no delay possible). */
  store: CallbackRetryStore | null;
  /** Writes the final result of the caller's request (callback_results), where managers see it. */
  recordResult(requestId: string, result: string, notes: string): Promise<void>;
  now(): number;
}

/** The reserved callback as a try of the policy: its place (priority and ticket) read from the ACD. */
export async function callbackTryOf(acd: Acd, reservation: Reservation): Promise<CallbackTry> {
  const stored = await acd.getCall(reservation.callId);
  return {
    callId: reservation.callId, attempt: callbackAttemptOf(reservation),
    priority: stored?.priority ?? DEFAULT_PRIORITY, ticketMs: stored ? decodeQueueScore(stored.score).ticketMs : null,
  };
}

/**
 * Puts a callback entry into the ACD now, or leaves it in the store until it
 * is due. Returns where it went.
 */
export async function placeCallbackEntry(acd: Acd, deps: CallbackRetryDeps, entry: ScheduledCallback): Promise<'queued' | 'scheduled'> {
  if (deps.store && entry.dueAt > deps.now()) {
    await deps.store.schedule(entry);
    return 'scheduled';
  }
  await enqueueCallbackEntry(acd, entry);
  return 'queued';
}

/** The entry in the ACD, at its request's original place when known. */
export async function enqueueCallbackEntry(acd: Acd, entry: ScheduledCallback): Promise<{ position: number | null }> {
  return acd.enqueueCallback({
    callId: entry.callId, queueId: entry.queueId, number: entry.number, priority: entry.priority,
    ...(entry.ticketMs !== null ? { ticketMs: entry.ticketMs } : {}),
    ...(entry.heldBack === true ? { heldBack: true } : {}),
    meta: { ...entry.meta, callbackAttempt: entry.attempt },
  });
}

/** A scheduled entry for `entry` of the reserved callback (same queue, number and meta). */
export function scheduledFor(reservation: Reservation, entry: CallbackEntry): ScheduledCallback {
  return { ...entry, queueId: reservation.queueId, number: reservation.callbackNumber ?? '', meta: { ...(reservation.meta ?? {}), previousCallId: reservation.callId } };
}

/**
 * The ACD side of placing one reserved callback (design §3 step 5, "called
 * back without losing their place"): the agent's phone ringing confirms the
 * reservation; no answer gives the request back at the same place (the agent
 * goes Not ready, missed); the agent answering puts them on the call; a
 * client who does not answer is tried again per the retry policy
 * (callback-retry-policy.ts: after a delay, at the request's original place)
 * or given up with the result recorded; the end of the call puts the agent
 * in wrap-up.
 */
export function callbackHooks(acd: Acd, reservation: Reservation, logger: Logger, deps: CallbackRetryDeps): OutboundCallHooks {
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
    async farFailed(reason, far): Promise<CallEventData> {
      const tried = await callbackTryOf(acd, reservation);
      const number = reservation.callbackNumber ?? '';
      const decision = number === ''
        ? { kind: 'give_up' as const, attempts: tried.attempt, result: 'given up: no number to call', notes: reason }
        : decideCallbackRetry(tried, { outcome: far?.outcome ?? null, reason }, deps.now(), deps.settings);
      if (decision.kind === 'give_up') {
        logger.info({ acdCallId: callId, reason, attempts: decision.attempts }, `callback ${decision.result}`);
        await deps.recordResult(callbackRequestIdOf(callId), decision.result, decision.notes);
        return { callback: { outcome: 'given_up', attempt: tried.attempt, reason, result: decision.result } };
      }
      const entry = scheduledFor(reservation, decision);
      const placed = await placeCallbackEntry(acd, deps, entry);
      logger.info({ acdCallId: callId, nextAcdCallId: entry.callId, dueAt: new Date(entry.dueAt).toISOString(), placed, reason }, 'callback to be tried again: the client did not answer');
      return {
        callback: {
          outcome: placed === 'queued' ? 'requeued' : 'retry_scheduled', attempt: tried.attempt, next: entry.callId,
          nextAttempt: entry.attempt, dueAt: new Date(entry.dueAt).toISOString(), reason,
        },
      };
    },
    async ended({ staffAnswered }) {
      // Answered in the ACD when the agent picked up: the agent now goes to wrap-up, whatever the client did.
      if (staffAnswered) await acd.hangUp(callId, { by: 'agent' });
    },
  };
}
