import { averageMs, ratio } from './ratio';

/**
 * What the agent report counts, defined once (see queue-metrics.ts for the
 * queue side). Two sources, each for what it knows exactly:
 *
 * - the ACD's agent-state events (acd_events, type agent_state) give the time
 *   in each state, cut at bucket boundaries: ready (ringing — `reserved` —
 *   included, the agent was available), not ready, wrap-up;
 * - the call rows give the calls handled, with their talk and hold time, in
 *   the bucket of the call's start. A call with one agent gives them its
 *   talk_ms / hold_ms; a call several agents took part in (a transfer) is
 *   split by its timeline: connected time goes to the agent connected then,
 *   hold and transfer set-up time to the agent who put the caller on hold.
 *
 * Missed calls are the ACD's ring-no-answer releases for the agent.
 */

/** ACD agent states counted as available ("ready idle") time. */
export const READY_STATES = ['ready', 'reserved'] as const;
/** ACD agent states counted as not-ready time. */
export const NOT_READY_STATES = ['not_ready'] as const;
/** ACD agent states counted as wrap-up time. */
export const WRAP_UP_STATES = ['wrap_up'] as const;

/** The release reason that makes an offered call a missed one for the agent. */
export const MISSED_RELEASE_REASON = 'ring_no_answer';

/** Raw counters of one agent in one bucket, as the SQL adds them up. Times in milliseconds. */
export interface AgentAggregate {
  handled: number;
  missed: number;
  talkMs: number;
  holdMs: number;
  wrapUpMs: number;
  readyMs: number;
  notReadyMs: number;
}

export const EMPTY_AGENT_AGGREGATE: Readonly<AgentAggregate> = { handled: 0, missed: 0, talkMs: 0, holdMs: 0, wrapUpMs: 0, readyMs: 0, notReadyMs: 0 };

/** Occupancy: (talk + hold + wrap-up) ÷ (talk + hold + wrap-up + ready idle). 0–1; null when the agent was neither busy nor available. */
export function occupancy(a: AgentAggregate): number | null {
  const busy = a.talkMs + a.holdMs + a.wrapUpMs;
  return ratio(busy, busy + a.readyMs);
}

/** Average handle time: (talk + hold + wrap-up) ÷ calls handled. */
export function agentAverageHandleTimeMs(a: AgentAggregate): number | null {
  return averageMs(a.talkMs + a.holdMs + a.wrapUpMs, a.handled);
}

export const AGENT_METRIC_DEFINITIONS = {
  handled: 'calls the agent was connected to, by the time the call started',
  missed: 'calls offered to the agent that rang unanswered (ring no answer)',
  talkMs: "the agent's talk time on the calls handled (hold excluded)",
  holdMs: 'time the agent kept callers on hold (including setting up a transfer)',
  wrapUpMs: 'time in the wrap_up state within the bucket',
  readyMs: 'time available within the bucket: ready, or ringing with a call offered',
  notReadyMs: 'time in not_ready within the bucket (breaks, missed calls…)',
  occupancy: '(talkMs + holdMs + wrapUpMs) ÷ (talkMs + holdMs + wrapUpMs + readyMs) (0–1)',
  ahtMs: 'average handle time: (talkMs + holdMs + wrapUpMs) ÷ handled',
} as const;

/** One line of the agent report. */
export interface AgentReportRow {
  agentId: number;
  /** The staff member's name; null when they have been removed since. */
  agentName: string | null;
  bucketStart: string;
  bucketLocal: string;
  handled: number;
  missed: number;
  talkMs: number;
  holdMs: number;
  wrapUpMs: number;
  readyMs: number;
  notReadyMs: number;
  occupancy: number | null;
  ahtMs: number | null;
}

export const AGENT_REPORT_COLUMNS: readonly (keyof AgentReportRow)[] = [
  'agentId', 'agentName', 'bucketStart', 'bucketLocal', 'handled', 'missed', 'talkMs', 'holdMs', 'wrapUpMs', 'readyMs',
  'notReadyMs', 'occupancy', 'ahtMs',
];

export function agentReportRow(
  key: { agentId: number; agentName: string | null; bucketStart: string; bucketLocal: string },
  a: AgentAggregate,
): AgentReportRow {
  // Properties listed one by one: an object spread followed by more properties is ~50× slower in V8,
  // which a year's report (tens of thousands of rows) feels.
  return {
    agentId: key.agentId,
    agentName: key.agentName,
    bucketStart: key.bucketStart,
    bucketLocal: key.bucketLocal,
    handled: a.handled,
    missed: a.missed,
    talkMs: a.talkMs,
    holdMs: a.holdMs,
    wrapUpMs: a.wrapUpMs,
    readyMs: a.readyMs,
    notReadyMs: a.notReadyMs,
    occupancy: occupancy(a),
    ahtMs: agentAverageHandleTimeMs(a),
  };
}
