/**
 * The abandoned-calls list (issue 17 point 4): callers who hung up while
 * waiting in a queue (or while an agent's phone rang), to be called back
 * until reached. Pure: the repository reads the calls, the attempts and the
 * later answered calls; this decides what is still open.
 */

/** The call outcomes that count as abandoned in a queue. */
export const ABANDONED_OUTCOMES = ['abandoned_queue', 'abandoned_ringing'] as const;

/** What one call-back attempt came to: reached closes the entry; no answer and later keep it. */
export const CALLBACK_RESULTS = ['reached', 'no_answer', 'later'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];

/** After this many unanswered call-backs the entry is given up. */
export const MAX_UNANSWERED_CALLBACKS = 3;

/** A call that abandoned in a queue. */
export interface AbandonedCall {
  callId: string;
  queue: string;
  /** E.164, or null when the caller's number is unknown (withheld, unreadable). */
  callerNumber: string | null;
  clientId: number | null;
  clientName: string | null;
  abandonedAt: Date;
  waitMs: number | null;
}

/** One call-back attempt, recorded against one abandoned call. */
export interface CallbackAttempt {
  callId: string;
  result: CallbackResult;
  at: Date;
  staffId: number | null;
}

/** An answered call with a number (from it, or to it): talking to the caller closes what they abandoned before. */
export interface AnsweredContact {
  number: string;
  at: Date;
}

/** One line of the list: a number that abandoned a queue, once or several times, not called back yet. */
export interface AbandonedEntry {
  /** The newest abandoned call of the entry: attempts are recorded against it. */
  callId: string;
  queue: string;
  callerNumber: string;
  clientId: number | null;
  clientName: string | null;
  abandonedAt: Date;
  firstAbandonedAt: Date;
  /** How many times the number abandoned the queue since it was last reached. */
  times: number;
  waitMs: number | null;
  /** Attempts against the entry's calls, oldest first. */
  attempts: CallbackAttempt[];
}

/**
 * The open entries: abandoned calls grouped by queue and number; an entry
 * is closed by a call-back that reached the caller, by any answered call
 * with the number after it (the caller called again and got through, or was
 * called), or after MAX_UNANSWERED_CALLBACKS unanswered call-backs. A call
 * without a number cannot be called back and is not listed. Oldest first:
 * who has waited longest for a call-back comes first.
 */
export function openAbandonedCalls(
  calls: readonly AbandonedCall[],
  attempts: readonly CallbackAttempt[],
  answered: readonly AnsweredContact[],
): AbandonedEntry[] {
  const groups = new Map<string, AbandonedCall[]>();
  for (const call of calls) {
    if (!call.callerNumber) continue;
    const key = `${call.queue}\u0000${call.callerNumber}`;
    const group = groups.get(key) ?? [];
    group.push(call);
    groups.set(key, group);
  }
  const attemptsByCall = new Map<string, CallbackAttempt[]>();
  for (const attempt of attempts) attemptsByCall.set(attempt.callId, [...(attemptsByCall.get(attempt.callId) ?? []), attempt]);
  const entries: AbandonedEntry[] = [];
  for (const group of groups.values()) {
    const number = group[0]!.callerNumber!;
    const groupAttempts = group.flatMap((c) => attemptsByCall.get(c.callId) ?? []).sort((a, b) => a.at.getTime() - b.at.getTime());
    // The last moment the caller was spoken to: everything they abandoned before it is settled.
    const contacts = [
      ...groupAttempts.filter((a) => a.result === 'reached').map((a) => a.at.getTime()),
      ...answered.filter((a) => a.number === number).map((a) => a.at.getTime()),
    ];
    const settledAt = Math.max(Number.NEGATIVE_INFINITY, ...contacts);
    const open = group.filter((c) => c.abandonedAt.getTime() > settledAt).sort((a, b) => a.abandonedAt.getTime() - b.abandonedAt.getTime());
    const first = open[0];
    const last = open[open.length - 1];
    if (!first || !last) continue;
    const openIds = new Set(open.map((c) => c.callId));
    const since = groupAttempts.filter((a) => openIds.has(a.callId));
    if (since.filter((a) => a.result === 'no_answer').length >= MAX_UNANSWERED_CALLBACKS) continue;
    entries.push({
      callId: last.callId, queue: last.queue, callerNumber: number, clientId: last.clientId, clientName: last.clientName,
      abandonedAt: last.abandonedAt, firstAbandonedAt: first.abandonedAt, times: open.length, waitMs: last.waitMs, attempts: since,
    });
  }
  return entries.sort((a, b) => a.firstAbandonedAt.getTime() - b.firstAbandonedAt.getTime() || a.callId.localeCompare(b.callId));
}
