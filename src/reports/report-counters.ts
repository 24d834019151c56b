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

/**
 * Counters of one agent in one bucket. The microseconds are plain numbers,
 * not bigint: one agent's time in one bucket is far below 2^53 µs (285
 * years), where every integer and every sum of two is exact — and a year's
 * report reads ~73,000 buckets × 6 of them, where bigint parsing and garbage
 * cost more than the database. safeMicros() and addAgentCounters() refuse a
 * value past 2^53 rather than round it, so a figure is exact or an error.
 */
export interface AgentCounters {
  handled: number;
  missed: number;
  /** Calls with one agent: the call row's own talk and hold (whole milliseconds). */
  singleTalkMs: number;
  singleHoldMs: number;
  /** Calls with several agents: the agent's share of the timeline. */
  sharedTalkUs: number;
  sharedHoldUs: number;
  stateUs: Record<CountedAgentState, number>;
}

export function emptyAgentCounters(): AgentCounters {
  return {
    handled: 0, missed: 0, singleTalkMs: 0, singleHoldMs: 0, sharedTalkUs: 0, sharedHoldUs: 0,
    stateUs: { ready: 0, reserved: 0, not_ready: 0, wrap_up: 0 } satisfies Record<CountedAgentState, number>,
  };
}

/** An integer counter from its decimal text (an SQL integer or numeric sum), refused when it is not exact as a number. */
export function safeCount(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`report counter "${text}" is not an integer below 2^53`);
  return n;
}

function exactSum(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`report counters ${a} + ${b} pass 2^53`);
  return sum;
}

export function addAgentCounters(into: AgentCounters, more: Readonly<AgentCounters>): void {
  into.handled += more.handled;
  into.missed += more.missed;
  into.singleTalkMs = exactSum(into.singleTalkMs, more.singleTalkMs);
  into.singleHoldMs = exactSum(into.singleHoldMs, more.singleHoldMs);
  into.sharedTalkUs = exactSum(into.sharedTalkUs, more.sharedTalkUs);
  into.sharedHoldUs = exactSum(into.sharedHoldUs, more.sharedHoldUs);
  for (const s of COUNTED_AGENT_STATES) into.stateUs[s] = exactSum(into.stateUs[s], more.stateUs[s]);
}

/**
 * The agent's figures. Each state's time is rounded on its own before the
 * states are added up (ready + reserved = ready idle), and single-agent and
 * shared talk apart: the rounding the report has always done.
 */
export function agentAggregateOf(c: Readonly<AgentCounters>): AgentAggregate {
  return {
    handled: c.handled,
    missed: c.missed,
    talkMs: c.singleTalkMs + roundSafeMicrosToMs(c.sharedTalkUs),
    holdMs: c.singleHoldMs + roundSafeMicrosToMs(c.sharedHoldUs),
    wrapUpMs: statesMs(c.stateUs, WRAP_UP_STATES),
    readyMs: statesMs(c.stateUs, READY_STATES),
    notReadyMs: statesMs(c.stateUs, NOT_READY_STATES),
  };
}

/** Each state's time rounded on its own, then added up. A plain loop: this runs for every cell of a year's report. */
function statesMs(stateUs: Readonly<Record<CountedAgentState, number>>, states: readonly CountedAgentState[]): number {
  let total = 0;
  for (const s of states) total += roundSafeMicrosToMs(stateUs[s]);
  return total;
}

/** roundMicrosToMs for microseconds already held exactly as a number (a safe integer): the same result, without bigint. */
export function roundSafeMicrosToMs(us: number): number {
  return Math.round(us / 1000);
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
  if (us <= MAX_EXACT && us >= MIN_EXACT) return Math.round(Number(us) / 1000);
  const negative = us < 0n;
  const abs = negative ? -us : us;
  const text = `${negative ? '-' : ''}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`;
  return Math.round(Number(text));
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
// A constant, not -MAX_EXACT at every call: negating a bigint allocates one.
const MIN_EXACT = -MAX_EXACT;

/** A bigint from the text of an SQL integer or numeric sum (null, an empty sum, is 0). */
export function bigintOf(text: string | null): bigint {
  return text === null ? 0n : BigInt(text);
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
