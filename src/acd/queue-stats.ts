import type { AgentState } from './agent-state';

/**
 * Counters the scripts add to for each queue, per day and per minute bucket.
 * Names match the Redis hash fields.
 */
export interface RawQueueCounters {
  offered: number;
  answered: number;
  /** Answered within the queue's service-level threshold. */
  answered_sl: number;
  abandoned: number;
  /** Abandoned within the threshold ("short abandons"). */
  abandoned_sl: number;
  overflowed: number;
  wait_answered_ms: number;
  wait_abandoned_ms: number;
  /** Calls whose wrap-up ended, so whose handle time is known. */
  handled: number;
  /** Talk + wrap-up of handled calls. */
  handle_ms: number;
  /** Offered calls turned into callback requests (caller's choice, max wait or empty queue). */
  callbacks_requested: number;
  /** Callback requests placed and connected to an agent. */
  callbacks_completed: number;
  /** Callback requests withdrawn or whose client could not be reached. */
  callbacks_cancelled: number;
}

export const RAW_COUNTER_FIELDS: readonly (keyof RawQueueCounters)[] = [
  'offered', 'answered', 'answered_sl', 'abandoned', 'abandoned_sl', 'overflowed',
  'wait_answered_ms', 'wait_abandoned_ms', 'handled', 'handle_ms', 'callbacks_requested', 'callbacks_completed',
  'callbacks_cancelled',
];

/**
 * Figures for one period (today, or the sliding window). Ratios are 0–1; null when nothing to divide by.
 * An offered call's wait ends answered, abandoned, overflowed or as a callback request; a callback
 * request counts in `callbacks` only (not in answered/abandoned, so not in the service level), and
 * a max-wait overflow into a callback counts as both overflowed and a callback request.
 */
export interface PeriodStats {
  offered: number;
  answered: number;
  abandoned: number;
  overflowed: number;
  callbacks: {
    /** Offered calls turned into callback requests. */
    requested: number;
    /** Callback requests placed and connected to an agent. */
    completed: number;
    /** Callback requests withdrawn or whose client could not be reached. */
    cancelled: number;
  };
  answeredWithinThreshold: number;
  serviceLevel: {
    thresholdMs: number;
    /** answered within T ÷ answered: abandons do not count at all. */
    ignoringAbandons: number | null;
    /** answered within T ÷ (answered + abandoned): every abandon counts against. */
    countingAbandons: number | null;
  };
  /** Average speed of answer. */
  asaMs: number | null;
  /** Average handle time: talk + wrap-up. */
  ahtMs: number | null;
  /** abandoned ÷ (answered + abandoned): of the callers whose wait ended, how many gave up. */
  abandonRate: number | null;
}

/** A live picture of one queue. */
export interface QueueStats {
  queueId: string;
  at: number;
  waitingNow: number;
  /** Callback requests pending: those in the line (counted in waitingNow) and those held back. */
  callbacksWaiting: number;
  /** Of the callbacks waiting, those held back for their client's calling window: out of the line (not in waitingNow) until it opens. */
  callbacksHeldBack: number;
  /** The wait so far of the caller who has waited longest; 0 when nobody waits. */
  longestWaitMs: number;
  agentsByState: Record<AgentState, number>;
  today: PeriodStats & { day: string };
  window: PeriodStats & { windowMs: number };
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Turns raw counters into the reported figures. */
export function summarisePeriod(raw: RawQueueCounters, thresholdMs: number): PeriodStats {
  return {
    offered: raw.offered,
    answered: raw.answered,
    abandoned: raw.abandoned,
    overflowed: raw.overflowed,
    callbacks: { requested: raw.callbacks_requested, completed: raw.callbacks_completed, cancelled: raw.callbacks_cancelled },
    answeredWithinThreshold: raw.answered_sl,
    serviceLevel: {
      thresholdMs,
      ignoringAbandons: ratio(raw.answered_sl, raw.answered),
      countingAbandons: ratio(raw.answered_sl, raw.answered + raw.abandoned),
    },
    asaMs: raw.answered > 0 ? raw.wait_answered_ms / raw.answered : null,
    ahtMs: raw.handled > 0 ? raw.handle_ms / raw.handled : null,
    abandonRate: ratio(raw.abandoned, raw.answered + raw.abandoned),
  };
}

/** Adds counters field by field (summing minute buckets into a window). */
export function addCounters(a: RawQueueCounters, b: Partial<RawQueueCounters>): RawQueueCounters {
  const out = { ...a };
  for (const field of RAW_COUNTER_FIELDS) out[field] += b[field] ?? 0;
  return out;
}

export function emptyCounters(): RawQueueCounters {
  return Object.fromEntries(RAW_COUNTER_FIELDS.map((f) => [f, 0])) as unknown as RawQueueCounters;
}
