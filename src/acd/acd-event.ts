import type { AgentState } from './agent-state';
import type { QueuedCallState } from './call-state';

interface EventBase {
  /** When it happened, by the clock of the process that made the change. */
  ts: number;
  /** The Switchboard process (node id) that made the change. */
  node: string;
}

interface CallEventBase extends EventBase {
  callId: string;
  queueId: string;
  from?: QueuedCallState;
  to?: QueuedCallState;
  /** Present (true) when the call is a callback request. */
  callback?: boolean;
}

/**
 * Everything the ACD publishes (Redis pub/sub channel `events`) and appends to
 * the durable stream `events:stream` (field `e`, JSON). Produced only by the
 * Lua scripts, in the same atomic step as the change they describe.
 */
export type AcdEvent =
  | (EventBase & { type: 'agent_state'; agentId: string; from: AgentState; to: AgentState; reason?: string; by: string; callId?: string })
  | (EventBase & { type: 'agent_updated'; agentId: string; by?: string })
  | (EventBase & { type: 'queue_defined'; queueId: string; created: boolean })
  | (CallEventBase & { type: 'call_enqueued'; priority: number; owner: string })
  | (CallEventBase & { type: 'call_reserved'; agentId: string; holder: string; owner: string; stage: number })
  | (CallEventBase & { type: 'call_offered'; agentId: string; holder: string; ringMs: number })
  | (CallEventBase & { type: 'call_answered'; agentId: string; waitMs: number; queueWaitMs: number })
  | (CallEventBase & {
      type: 'call_released';
      reason: 'ring_no_answer' | 'reservation_expired' | 'holder_died';
      agentId: string;
    })
  | (CallEventBase & { type: 'call_abandoned'; waitMs: number; queueWaitMs: number; agentId: string })
  | (CallEventBase & { type: 'call_completed'; agentId: string; talkMs: number; by?: string })
  | (CallEventBase & {
      type: 'call_overflowed';
      /** target_timeout: a named person the call overflowed to did not take it within their ring time. */
      reason: 'max_wait' | 'empty_queue' | 'target_timeout';
      target: 'queue' | 'agent' | 'callback' | 'voicemail';
      targetId?: string;
      /** For target 'agent': how long the person has to take the call. */
      ringMs?: number;
      fromQueue?: string;
      waitMs?: number;
    })
  | (CallEventBase & { type: 'callback_requested'; reason: 'caller_request' | 'max_wait' | 'empty_queue' | 'target_timeout' | 'retry' })
  | (CallEventBase & { type: 'call_lost'; reason: string; agentId: string })
  | (CallEventBase & { type: 'call_stage'; stage: number })
  | (EventBase & { type: 'node_died'; deadNode: string; reason: 'heartbeat_expired' | 'stopped'; released: number; lost: number });

export type AcdEventType = AcdEvent['type'];

const EVENT_TYPES: ReadonlySet<string> = new Set<AcdEventType>([
  'agent_state', 'agent_updated', 'queue_defined', 'call_enqueued', 'call_reserved', 'call_offered', 'call_answered',
  'call_released', 'call_abandoned', 'call_completed', 'call_overflowed', 'callback_requested', 'call_lost', 'call_stage',
  'node_died',
]);

/** Parses one event as published; null for anything that is not an ACD event. */
export function parseAcdEvent(json: string): AcdEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as { type?: unknown; ts?: unknown; node?: unknown };
  if (typeof record.type !== 'string' || !EVENT_TYPES.has(record.type)) return null;
  if (typeof record.ts !== 'number' || typeof record.node !== 'string') return null;
  return value as AcdEvent;
}
