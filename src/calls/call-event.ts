/**
 * What can appear on a call's timeline (call_events.type). Events that move the
 * lifecycle carry `from` and `to` states in their data; the others are facts
 * noted without a state change.
 */
export const CALL_EVENT_TYPES = [
  // lifecycle moves
  'ivr_started',
  'routed',
  'fallback',
  'overflowed',
  'queued',
  'offered',
  'offer_missed',
  'agent_answered',
  'hold',
  'resume',
  'transfer_started',
  'transfer_cancelled',
  'ended',
  // facts
  'started',
  'answered',
  'caller_identified',
  'ivr_step',
  'announcement',
  'callback_requested',
  'recording_started',
  'recording_stopped',
  'remote_answered',
  'dtmf',
  'note',
  // warm transfer: the consulted party took the caller (data: mode, target), or could not be reached
  'transfer',
  'consult_failed',
  // routing went past references of its config the directory no longer has (data: gaps, ruleId, configVersion; issue 15)
  'directory_gap',
] as const;

export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

/** Event data: plain JSON (it goes to a jsonb column and through the Redis outbox). */
export type CallEventData = Readonly<Record<string, unknown>>;

/** One entry of a call's ordered timeline. */
export interface CallEvent {
  /** 1, 2, 3… per call: (call_id, seq) is unique, which makes a re-sent timeline harmless. */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly type: CallEventType;
  readonly data: CallEventData;
}

export function isCallEventType(value: unknown): value is CallEventType {
  return typeof value === 'string' && (CALL_EVENT_TYPES as readonly string[]).includes(value);
}
