import type { CallState } from './call-state';

/** How a call ended for the caller (the calls.outcome CHECK constraint lists the same values). */
export const CALL_OUTCOMES = [
  'answered',
  'abandoned_ivr',
  'abandoned_queue',
  'abandoned_ringing',
  'overflowed',
  'transferred',
  'callback_requested',
  'after_hours',
  'failed',
  'rejected',
  // The process handling the call stopped (SIGKILL, a crash): a survivor or the next start closed its record (issue 14).
  'interrupted',
] as const;

export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Who ended the call (calls.hangup_side). */
export type HangupSide = 'caller' | 'agent' | 'system';

export const HANGUP_SIDES: readonly HangupSide[] = ['caller', 'agent', 'system'];

/** The facts an outcome is decided from. */
export interface OutcomeFacts {
  /** The state the call was in when it ended. */
  readonly state: CallState;
  readonly side: HangupSide;
  readonly agentAnswered: boolean;
  readonly transfersCompleted: number;
  readonly callbackRequested: boolean;
  readonly afterHours: boolean;
  readonly overflowed: boolean;
}

/**
 * The outcome of a call, from what happened on it. In order of precedence:
 *
 * 1. an agent answered: `transferred` if a transfer was completed, else `answered`
 *    (whatever happened afterwards, the caller was served);
 * 2. the caller asked to be called back: `callback_requested` (their place is kept, so
 *    hanging up is not abandoning);
 * 3. the routing sent the call to the after-hours action: `after_hours`;
 * 4. the call left its queue by overflow and never reached an agent: `overflowed`;
 * 5. the system ended it: `rejected` before it was ever answered, else `failed`;
 * 6. the caller (or a party) hung up: where they were decides — ringing or being offered
 *    to an agent `abandoned_ringing`, in the IVR or the routing announcement
 *    `abandoned_ivr`, waiting in a queue `abandoned_queue`.
 */
export function deriveOutcome(facts: OutcomeFacts): CallOutcome {
  if (facts.agentAnswered) return facts.transfersCompleted > 0 ? 'transferred' : 'answered';
  if (facts.callbackRequested) return 'callback_requested';
  if (facts.afterHours) return 'after_hours';
  if (facts.overflowed) return 'overflowed';
  if (facts.side === 'system') return facts.state === 'ringing_in' ? 'rejected' : 'failed';
  switch (facts.state) {
    case 'ringing_in':
    case 'offering':
      return 'abandoned_ringing';
    case 'ivr':
    case 'routing':
      return 'abandoned_ivr';
    case 'queued':
      return 'abandoned_queue';
    case 'originating':
      // An outbound call nobody answered.
      return 'failed';
    case 'connected':
    case 'on_hold':
    case 'transferring':
    case 'ended':
      // Unreachable without an agent answer; kept total so a new state cannot fall through silently.
      return 'failed';
  }
}

export function isCallOutcome(value: unknown): value is CallOutcome {
  return typeof value === 'string' && (CALL_OUTCOMES as readonly string[]).includes(value);
}
