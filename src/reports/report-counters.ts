import type { QueueAggregate } from './queue-metrics';
import { NOT_READY_STATES, READY_STATES, WRAP_UP_STATES, type AgentAggregate } from './agent-metrics';

/**
 * The additive counters behind one report row, before any rounding. A report
 * adds them up from several sources — hourly rollups for the closed hours,
 * raw rows for the partial hours at the edges and the still-open hour — and
 * must give exactly what one raw query over the whole period gives. So
 * everything here is an integer: counts, whole milliseconds where the columns
 * hold whole milliseconds, and exact microseconds (bigint) where the raw query
 * adds up sub-millisecond durations and rounds once at the end. Rounding
 * happens only in queueAggregateOf / agentAggregateOf, once per bucket, as
 * the raw query always did.
 */

/** Counters of one queue in one bucket. */
export interface QueueCounters {
  offered: number;
  answered: number;
  answeredWithinSl: number;
  abandoned: number;
  shortAbandoned: number;
  abandonedAfterSl: number;
  callbacksRequested: number;
  overflowed: number;
  answerWaitMs: number;
  talkMs: number;
  holdMs: number;
  /** null when no call had a known wait (reported as 0). */
  longestWaitMs: number | null;
  wrapUpUs: bigint;
}

export function emptyQueueCounters(): QueueCounters {
  return {
    offered: 0, answered: 0, answeredWithinSl: 0, abandoned: 0, shortAbandoned: 0, abandonedAfterSl: 0, callbacksRequested: 0,
    overflowed: 0, answerWaitMs: 0, talkMs: 0, holdMs: 0, longestWaitMs: null, wrapUpUs: 0n,
  };
}

/** Adds `more` into `into`. */
export function addQueueCounters(into: QueueCounters, more: Readonly<QueueCounters>): void {
  into.offered += more.offered;
  into.answered += more.answered;
  into.answeredWithinSl += more.answeredWithinSl;
  into.abandoned += more.abandoned;
  into.shortAbandoned += more.shortAbandoned;
  into.abandonedAfterSl += more.abandonedAfterSl;
  into.callbacksRequested += more.callbacksRequested;
  into.overflowed += more.overflowed;
  into.answerWaitMs += more.answerWaitMs;
  into.talkMs += more.talkMs;
  into.holdMs += more.holdMs;
  into.longestWaitMs = maxOrNull(into.longestWaitMs, more.longestWaitMs);
  into.wrapUpUs += more.wrapUpUs;
}

export function queueAggregateOf(c: Readonly<QueueCounters>): QueueAggregate {
  return {
    offered: c.offered, answered: c.answered, answeredWithinSl: c.answeredWithinSl, abandoned: c.abandoned,
    shortAbandoned: c.shortAbandoned, abandonedAfterSl: c.abandonedAfterSl, overflowed: c.overflowed,
    callbacksRequested: c.callbacksRequested, answerWaitMs: c.answerWaitMs, talkMs: c.talkMs, holdMs: c.holdMs,
    wrapUpMs: roundMicrosToMs(c.wrapUpUs), longestWaitMs: c.longestWaitMs ?? 0,
  };
}

/** The ACD agent states whose time the agent report counts, each kept apart until it is rounded. */
export const COUNTED_AGENT_STATES = [...READY_STATES, ...NOT_READY_STATES, ...WRAP_UP_STATES] as const;
export type CountedAgentState = (typeof COUNTED_AGENT_STATES)[number];

/** Counters of one agent in one bucket. */
export interface AgentCounters {
  handled: number;
  missed: number;
  /** Calls with one agent: the call row's own talk and hold (whole milliseconds). */
  singleTalkMs: number;
  singleHoldMs: number;
  /** Calls with several agents: the agent's share of the timeline. */
  sharedTalkUs: bigint;
  sharedHoldUs: bigint;
  stateUs: Record<CountedAgentState, bigint>;
}

export function emptyAgentCounters(): AgentCounters {
  return {
    handled: 0, missed: 0, singleTalkMs: 0, singleHoldMs: 0, sharedTalkUs: 0n, sharedHoldUs: 0n,
    stateUs: { ready: 0n, reserved: 0n, not_ready: 0n, wrap_up: 0n } satisfies Record<CountedAgentState, bigint>,
  };
}

export function addAgentCounters(into: AgentCounters, more: Readonly<AgentCounters>): void {
  into.handled += more.handled;
  into.missed += more.missed;
  into.singleTalkMs += more.singleTalkMs;
  into.singleHoldMs += more.singleHoldMs;
  into.sharedTalkUs += more.sharedTalkUs;
  into.sharedHoldUs += more.sharedHoldUs;
  for (const s of COUNTED_AGENT_STATES) into.stateUs[s] += more.stateUs[s];
}

/**
 * The agent's figures. Each state's time is rounded on its own before the
 * states are added up (ready + reserved = ready idle), and single-agent and
 * shared talk apart: the rounding the report has always done.
 */
export function agentAggregateOf(c: Readonly<AgentCounters>): AgentAggregate {
  const statesMs = (states: readonly CountedAgentState[]): number => states.reduce((total, s) => total + roundMicrosToMs(c.stateUs[s]), 0);
  return {
    handled: c.handled,
    missed: c.missed,
    talkMs: c.singleTalkMs + roundMicrosToMs(c.sharedTalkUs),
    holdMs: c.singleHoldMs + roundMicrosToMs(c.sharedHoldUs),
    wrapUpMs: statesMs(WRAP_UP_STATES),
    readyMs: statesMs(READY_STATES),
    notReadyMs: statesMs(NOT_READY_STATES),
  };
}

/**
 * Exact microseconds to whole milliseconds the way the raw query always did
 * it: the exact decimal number of milliseconds as a double (Postgres's
 * numeric → float8, a correctly rounded conversion, as is Number() of the
 * same decimal text), then Math.round.
 */
export function roundMicrosToMs(us: bigint): number {
  // Below 2^53 the integer is exact as a double, and one IEEE division by 1000 is correctly rounded too:
  // the same double as the decimal text would give, without building it (this runs for every report cell).
  if (us <= MAX_EXACT && us >= -MAX_EXACT) return Math.round(Number(us) / 1000);
  const negative = us < 0n;
  const abs = negative ? -us : us;
  const text = `${negative ? '-' : ''}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`;
  return Math.round(Number(text));
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint from the text of an SQL integer or numeric sum (null, an empty sum, is 0). */
export function bigintOf(text: string | null): bigint {
  return text === null ? 0n : BigInt(text);
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
