import type { RouteDecision } from '../routing/route-decision';
import type { CallEvent } from './call-event';
import type { CallOutcome, HangupSide } from './call-outcome';

/** calls.direction */
export type CallDirection = 'inbound' | 'outbound' | 'callback' | 'internal';

export const CALL_DIRECTIONS: readonly CallDirection[] = ['inbound', 'outbound', 'callback', 'internal'];

/** One IVR node the caller went through (calls.ivr_path). */
export interface IvrPathEntry {
  readonly nodeId: string;
  readonly at: number;
  /** Digits the caller entered at this node, when it collected any. */
  readonly digits?: string;
  /** The variant (prompt id) a play node with variants chose for this call. */
  readonly variant?: string;
}

/** Where a transfer sends the caller. */
export interface TransferTarget {
  readonly kind: 'queue' | 'person' | 'department' | 'finance' | 'quality' | 'second_line' | 'external';
  readonly queue?: string;
  readonly staffId?: number;
  readonly department?: string;
  readonly number?: string;
  /** As shown to people: "finance service", "Ivanov". */
  readonly label?: string;
}

/** One transfer on the call (calls.transfers). */
export interface TransferFact {
  readonly kind: 'blind' | 'warm';
  readonly target: TransferTarget;
  /** The agent who transferred, when known. */
  readonly byAgentId: number | null;
  readonly startedAt: number;
  /** When it completed, was cancelled or failed; null only while the call is live. */
  readonly endedAt: number | null;
  readonly result: 'pending' | 'completed' | 'cancelled' | 'failed';
}

/**
 * Everything kept about one finished call: the facts that become its calls
 * row and the ordered events that become its call_events rows. Plain JSON
 * (times in epoch milliseconds), so it can wait in the Redis outbox as is.
 */
export interface CallRecord {
  /** Our call id (uuid): the primary key, so writing a record twice stores it once. */
  readonly id: string;
  readonly sipCallId: string | null;
  readonly direction: CallDirection;
  readonly trunk: string | null;
  readonly callerNumber: string;
  readonly callerE164: string | null;
  readonly dialedNumber: string | null;
  readonly clientId: number | null;
  readonly clientType: string | null;
  readonly ivrFlowVersion: number | null;
  readonly routingConfigVersion: number | null;

  readonly startedAt: number;
  /** When we answered the caller (for an outbound call: when the far end answered). */
  readonly answeredAt: number | null;
  readonly ivrStartedAt: number | null;
  readonly ivrEndedAt: number | null;
  /** First time the call entered a queue. */
  readonly queuedAt: number | null;
  /** First time an agent's phone rang for it. */
  readonly offeredAt: number | null;
  /** First time an agent answered. */
  readonly agentAnsweredAt: number | null;
  readonly endedAt: number;

  readonly ivrPath: readonly IvrPathEntry[];
  readonly routingDecision: RouteDecision | null;
  readonly routingReason: string | null;
  /** The queue the call (last) waited in. queueId is the queues row, when known. */
  readonly queueId: number | null;
  readonly queueName: string | null;
  /** From first entering a queue to the first agent answer (or the end when nobody answered). */
  readonly queueWaitMs: number | null;
  /** The first agent who answered. */
  readonly agentId: number | null;
  /** Every agent who was connected to the caller, in order. */
  readonly agentIds: readonly number[];
  /** Time connected to an agent, hold excluded; null when nobody answered. */
  readonly talkMs: number | null;
  /** Time on hold, including waiting while a transfer was under way. */
  readonly holdMs: number;
  readonly transfers: readonly TransferFact[];
  readonly hangupSide: HangupSide;
  readonly hangupCause: string | null;
  readonly outcome: CallOutcome;
  readonly dispositionCode: string | null;
  /** The recording's id, known when recording starts; its row arrives after the call (conversion). */
  readonly recordingId: string | null;

  readonly events: readonly CallEvent[];
}
