import { AppError } from '../errors/app-error';

/**
 * The lifecycle of one call as the caller lives it, from the first INVITE (or
 * the first outbound leg) to the hang-up (design §8: a string union of
 * states, a table of allowed transitions, one transition() — in CallRecorder).
 *
 * - ringing_in: an inbound INVITE is being handled, the caller is not answered yet
 * - originating: an outbound or callback call is being set up
 * - ivr: answered, the IVR flow runs
 * - routing: a routing decision (or its fallback / overflow step) is being carried out
 * - queued: waiting in an ACD queue
 * - offering: an agent's phone rings for this call
 * - connected: the caller talks to an agent
 * - on_hold: the agent put the caller on hold (music)
 * - transferring: a blind or warm transfer is under way; the caller waits
 * - ended: hung up (terminal)
 *
 * This is not the ACD's queued-call machine (src/acd/call-state.ts), which
 * only covers the time the ACD owns the call; this one covers the whole call
 * and is what the call row and its timeline are built from.
 */
export const CALL_STATES = [
  'ringing_in',
  'originating',
  'ivr',
  'routing',
  'queued',
  'offering',
  'connected',
  'on_hold',
  'transferring',
  'ended',
] as const;

export type CallState = (typeof CALL_STATES)[number];

export const CALL_LIFECYCLE_TRANSITIONS: Readonly<Record<CallState, readonly CallState[]>> = {
  // ringing_in → routing: no IVR for this number (an internal line, or no flow published).
  ringing_in: ['ivr', 'routing', 'ended'],
  // originating → offering: a queued callback rings the agent first, then dials the client.
  originating: ['offering', 'connected', 'ended'],
  ivr: ['routing', 'ended'],
  // routing → routing: the next step of a fallback chain after the previous one could not be tried.
  routing: ['routing', 'queued', 'offering', 'ended'],
  // queued → routing: overflow (max wait reached, empty queue policy) re-routes to the overflow target.
  queued: ['offering', 'routing', 'ended'],
  // offering → queued: ring-no-answer requeues at the same position; → routing: a person's chain moves on;
  // offering → offering: the next person of a chain is rung straight away.
  offering: ['connected', 'queued', 'routing', 'offering', 'ended'],
  connected: ['on_hold', 'transferring', 'ended'],
  on_hold: ['connected', 'transferring', 'ended'],
  // Leaving transferring other than back to connected completes the transfer: a blind transfer goes
  // to a queue, a person (ringing) or routing; a warm transfer connects the consulted agent at once.
  transferring: ['connected', 'queued', 'offering', 'routing', 'ended'],
  ended: [],
};

/** True when the table allows the move. */
export function canCallLifecycleTransition(from: CallState, to: CallState): boolean {
  return CALL_LIFECYCLE_TRANSITIONS[from].includes(to);
}

/** Throws ILLEGAL_TRANSITION, naming both states and what was attempted, unless the table allows the move. */
export function assertCallLifecycleTransition(from: CallState, to: CallState, attempted: string): void {
  if (!canCallLifecycleTransition(from, to)) {
    const allowed = CALL_LIFECYCLE_TRANSITIONS[from];
    throw new AppError(
      'ILLEGAL_TRANSITION',
      `call cannot go from ${from} to ${to} (${attempted}); allowed from ${from}: ${allowed.length > 0 ? allowed.join(', ') : 'nothing, the call has ended'}`,
    );
  }
}

export function isCallState(value: unknown): value is CallState {
  return typeof value === 'string' && (CALL_STATES as readonly string[]).includes(value);
}
