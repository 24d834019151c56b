import type { FarFailure } from './far-progress';

/**
 * What happens to a callback whose client did not answer (issue 17 point 2:
 * "a client who does not answer the callback goes to the back of the
 * line"). A pure decision, no I/O: callback-dialer.ts carries it out.
 *
 * - The client is tried again after `retryDelayMs` (a client who missed the
 *   call a moment ago is likely still busy), up to `maxAttempts` tries in
 *   all.
 * - A retry keeps the request's original place: the same priority and the
 *   same ticket (arrival time) in the queue's order (acd/queue-score.ts), so
 *   callers who asked later are not overtaken by it and it does not overtake
 *   them as a fresh request.
 * - A number that does not exist (404/410/484/604) is not tried again.
 * - After the last try the request is given up, with a result that says so
 *   (callback_results, where managers see the callbacks dealt with).
 *
 * Each try is a new ACD entry (`<request>.cb<n>`, n counting every entry of
 * the request): the ACD keeps one entry per id, and the tried one has ended.
 * A callback held back for its calling window (calling-window.ts) waits under
 * a new entry too, without counting as a try.
 */
export interface CallbackRetrySettings {
  /** Tries in all, the first included (1: never tried again). */
  maxAttempts: number;
  /** The wait between a try the client did not answer and the next one. */
  retryDelayMs: number;
}

export const DEFAULT_CALLBACK_RETRY: CallbackRetrySettings = { maxAttempts: 3, retryDelayMs: 5 * 60_000 };

/** The try of a callback that just failed, as the ACD held it. */
export interface CallbackTry {
  /** The ACD entry tried (`<request>` or `<request>.cb<n>`). */
  callId: string;
  /** Which try this was (1 for the request as the caller left it). */
  attempt: number;
  /** Its priority and its ticket (the arrival time in the queue's order; null when unknown). */
  priority: number;
  ticketMs: number | null;
}

/** A callback entry to put into the ACD at `dueAt` (not before). */
export interface CallbackEntry {
  callId: string;
  attempt: number;
  priority: number;
  /** The original place; null puts it at the end of the line. */
  ticketMs: number | null;
  dueAt: number;
  /**
   * The same try held back for the client's calling window (deferCallback),
   * not a new one: it goes on counting as the one callback requested, pending,
   * rather than a request cancelled and made again.
   */
  heldBack?: boolean;
}

export type CallbackRetryDecision =
  | ({ kind: 'retry' } & CallbackEntry)
  | { kind: 'give_up'; attempts: number; result: string; notes: string };

/** The caller's request (the call row of the call that asked) an ACD callback entry belongs to. */
export function callbackRequestIdOf(callId: string): string {
  return callId.replace(/\.cb\d+$/, '');
}

/** The id of the request's next ACD entry: `<request>.cb2` after the request itself, then `.cb3`… */
export function nextCallbackEntryId(callId: string): string {
  const seq = /\.cb(\d+)$/.exec(callId);
  return `${callbackRequestIdOf(callId)}.cb${seq ? Number(seq[1]) + 1 : 2}`;
}

/** Throws naming the setting when the policy cannot work (read once at start). */
export function checkCallbackRetrySettings(settings: CallbackRetrySettings): CallbackRetrySettings {
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1 || settings.maxAttempts > 20) throw new RangeError('callback maxAttempts must be 1–20');
  if (!Number.isInteger(settings.retryDelayMs) || settings.retryDelayMs < 0) throw new RangeError('callback retryDelayMs must be a whole number of ms ≥ 0');
  return settings;
}

/**
 * The client did not answer `tried` (`failure`: how the far end failed, when
 * known; `reason`: in words, for the record). Retry later at the same place,
 * or give up.
 */
export function decideCallbackRetry(
  tried: CallbackTry,
  failure: { outcome: FarFailure | null; reason: string },
  now: number,
  settings: CallbackRetrySettings,
): CallbackRetryDecision {
  if (failure.outcome === 'unavailable') {
    return { kind: 'give_up', attempts: tried.attempt, result: 'given up: the number cannot be reached', notes: `try ${tried.attempt}: ${failure.reason}` };
  }
  if (tried.attempt >= settings.maxAttempts) {
    return {
      kind: 'give_up', attempts: tried.attempt,
      result: `given up: no answer after ${tried.attempt} ${tried.attempt === 1 ? 'try' : 'tries'}`,
      notes: `last try: ${failure.reason}`,
    };
  }
  return {
    kind: 'retry', callId: nextCallbackEntryId(tried.callId), attempt: tried.attempt + 1,
    priority: tried.priority, ticketMs: tried.ticketMs, dueAt: now + settings.retryDelayMs,
  };
}

/**
 * A callback that may not be placed before `until` (its client's calling
 * window): the same try, waiting under a new entry at the same place.
 */
export function deferCallback(tried: CallbackTry, until: number): CallbackEntry {
  return { callId: nextCallbackEntryId(tried.callId), attempt: tried.attempt, priority: tried.priority, ticketMs: tried.ticketMs, dueAt: until, heldBack: true };
}
