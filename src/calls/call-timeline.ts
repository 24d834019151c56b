import type { CallEvent } from './call-event';
import { isCallState, type CallState } from './call-state';

/** Durations read off a call's timeline. */
export interface TimelineSummary {
  /** Time in `connected`; null when the call never reached an agent. */
  readonly talkMs: number | null;
  /** Time in `on_hold` plus time in `transferring` (the caller waits with music while a transfer is set up). */
  readonly holdMs: number;
  /** From first entering a queue to the first agent answer after it, or to the end; null when never queued. */
  readonly queueWaitMs: number | null;
  /** Milliseconds spent in each state that was entered. */
  readonly timeInState: Readonly<Partial<Record<CallState, number>>>;
}

/**
 * Computes talk, hold and queue wait from the lifecycle events (those with a
 * `to` state), so the numbers on the call row are always the ones its own
 * timeline shows: talk time is connected time with hold taken out, hold time
 * is the sum of every hold → resume (and transfer) interval.
 */
export function summarizeTimeline(events: readonly CallEvent[], endedAt: number, initial: CallState = 'ringing_in'): TimelineSummary {
  const timeInState: Partial<Record<CallState, number>> = {};
  let state: CallState = initial;
  let since: number | null = null;
  let firstQueuedAt: number | null = null;
  let answeredAfterQueueAt: number | null = null;
  let everConnected = false;

  const leave = (at: number): void => {
    if (since === null) return;
    // Clocks may step back (NTP); a negative interval would make talk time nonsense.
    timeInState[state] = (timeInState[state] ?? 0) + Math.max(0, at - since);
  };

  for (const event of events) {
    if (since === null) since = event.at;
    const to = event.data.to;
    if (!isCallState(to)) continue;
    leave(event.at);
    state = to;
    since = event.at;
    if (to === 'queued' && firstQueuedAt === null) firstQueuedAt = event.at;
    if (to === 'connected') {
      everConnected = true;
      if (firstQueuedAt !== null && answeredAfterQueueAt === null) answeredAfterQueueAt = event.at;
    }
  }
  if (state !== 'ended') leave(endedAt);

  const queueWaitMs = firstQueuedAt === null ? null : Math.max(0, (answeredAfterQueueAt ?? endedAt) - firstQueuedAt);
  return {
    talkMs: everConnected ? (timeInState.connected ?? 0) : null,
    holdMs: (timeInState.on_hold ?? 0) + (timeInState.transferring ?? 0),
    queueWaitMs,
    timeInState,
  };
}
