/**
 * The lifecycle of a call while the ACD handles it (waiting in a queue until it
 * is connected to an agent and ends). Like the agent table, this table is
 * embedded into the Lua scripts, which refuse any other move.
 *
 * `offered` means the agent's phone is ringing (the holder confirmed the
 * reservation); terminal states are kept on the call record for a while for
 * inspection, and every step is an event.
 */
export const QUEUED_CALL_STATES = [
  'waiting',
  'reserved',
  'offered',
  'connected',
  'completed',
  'abandoned',
  'overflowed',
  'lost',
] as const;

export type QueuedCallState = (typeof QUEUED_CALL_STATES)[number];

export const CALL_TRANSITIONS: Readonly<Record<QueuedCallState, readonly QueuedCallState[]>> = {
  // waiting → waiting: moved to another queue or converted to a callback request in place.
  waiting: ['waiting', 'reserved', 'abandoned', 'overflowed', 'lost'],
  reserved: ['offered', 'connected', 'waiting', 'abandoned', 'lost'],
  offered: ['connected', 'waiting', 'abandoned', 'lost'],
  connected: ['completed', 'lost'],
  completed: [],
  abandoned: [],
  overflowed: [],
  lost: [],
};

export function canCallTransition(from: QueuedCallState, to: QueuedCallState): boolean {
  return CALL_TRANSITIONS[from].includes(to);
}
