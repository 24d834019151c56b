import type { CallDirection } from '../calls/call-record';
import type { CallOutcome } from '../calls/call-outcome';
import { averageMs, ratio } from './ratio';

/**
 * What the queue report counts, defined once. The SQL (reports-repository)
 * only adds up the raw counters below over the calls of a bucket, with these
 * constants as parameters; every figure people read is derived from the
 * counters by queueReportRow().
 *
 * A call counts in the queue it last waited in (calls.queue_name) and in the
 * bucket of its start (calls.started_at) — except `overflowed`, which counts
 * calls that left *this* queue by overflow (the queue named on the call's
 * `overflowed` event), wherever they went next.
 */

/** Calls that count: the hotline's and internal lines'; outbound and callback legs are not offered to a queue by a caller. */
export const QUEUE_REPORT_DIRECTIONS: readonly CallDirection[] = ['inbound', 'internal'];

/**
 * Calls to these dialled-number prefixes are not the center's traffic: an
 * admin calling a draft IVR flow to try it (src/sip/draft-test-address.ts)
 * must not move a queue's service level. A LIKE pattern each.
 */
export const QUEUE_REPORT_EXCLUDED_DIALED: readonly string[] = ['ivr-draft-%'];

/** The caller hung up while waiting in the queue or while an agent's phone rang. */
export const ABANDON_OUTCOMES: readonly CallOutcome[] = ['abandoned_queue', 'abandoned_ringing'];

/** The caller's wait ended in a callback request (their own choice, max wait or an empty queue). */
export const CALLBACK_OUTCOMES: readonly CallOutcome[] = ['callback_requested'];

/** Abandons quicker than this are "short abandons" (a wrong number, a caller who changed their mind), reported apart. */
export const SHORT_ABANDON_MS = 5_000;

/** The default service-level threshold T (the center's target: 90 % within 20 s). */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

/** Raw counters of one queue in one bucket, as the SQL adds them up. All times in milliseconds. */
export interface QueueAggregate {
  /** Calls that entered the queue. */
  offered: number;
  /** Of those, answered by an agent (calls.agent_answered_at set). */
  answered: number;
  /** Answered with a queue wait ≤ T. */
  answeredWithinSl: number;
  /** Ended in one of ABANDON_OUTCOMES. */
  abandoned: number;
  /** Abandoned after waiting less than SHORT_ABANDON_MS. */
  shortAbandoned: number;
  /** Abandoned after waiting more than T. */
  abandonedAfterSl: number;
  /** Left this queue by overflow (max wait, empty queue), whatever happened next. */
  overflowed: number;
  callbacksRequested: number;
  /** Queue wait of the answered calls (queue entry → agent answer, ringing included). */
  answerWaitMs: number;
  /** Talk and hold of the answered calls (all their agents). */
  talkMs: number;
  holdMs: number;
  /** Wrap-up of the answered calls: every agent's time in wrap_up after the call (ACD agent states). */
  wrapUpMs: number;
  /** The longest queue wait of any call, answered or not. */
  longestWaitMs: number;
}

export const EMPTY_QUEUE_AGGREGATE: Readonly<QueueAggregate> = {
  offered: 0, answered: 0, answeredWithinSl: 0, abandoned: 0, shortAbandoned: 0, abandonedAfterSl: 0, overflowed: 0,
  callbacksRequested: 0, answerWaitMs: 0, talkMs: 0, holdMs: 0, wrapUpMs: 0, longestWaitMs: 0,
};

/** Service level, definition A: answered within T ÷ offered. Every call that waited counts against it unless answered in time. */
export function serviceLevelOfOffered(a: QueueAggregate): number | null {
  return ratio(a.answeredWithinSl, a.offered);
}

/**
 * Service level, definition B: answered within T ÷ (answered + abandoned after T).
 * Callers who gave up before T, overflows and callback requests are left out.
 */
export function serviceLevelOfAnsweredAndAbandonedAfterSl(a: QueueAggregate): number | null {
  return ratio(a.answeredWithinSl, a.answered + a.abandonedAfterSl);
}

/** Average speed of answer: mean queue wait of answered calls. */
export function averageSpeedOfAnswerMs(a: QueueAggregate): number | null {
  return averageMs(a.answerWaitMs, a.answered);
}

/** Average handle time: (talk + hold + wrap-up) ÷ answered calls. */
export function averageHandleTimeMs(a: QueueAggregate): number | null {
  return averageMs(a.talkMs + a.holdMs + a.wrapUpMs, a.answered);
}

/** The human-readable definitions sent with every queue report, so the UI can show them next to the figures. */
export const QUEUE_METRIC_DEFINITIONS = {
  offered: 'calls that entered the queue (the queue the call last waited in), by the time the call started',
  answered: 'offered calls an agent answered',
  abandoned: `offered calls whose caller hung up while waiting or while an agent's phone rang (${ABANDON_OUTCOMES.join(', ')})`,
  shortAbandoned: `abandoned calls that waited less than ${SHORT_ABANDON_MS / 1000} s (included in abandoned)`,
  abandonedAfterSl: 'abandoned calls that waited longer than T',
  answeredWithinSl: 'answered calls that waited T seconds or less',
  serviceLevelOfOffered: 'service level, definition A: answeredWithinSl ÷ offered (0–1)',
  serviceLevelOfAnsweredAndAbandonedAfterSl: 'service level, definition B: answeredWithinSl ÷ (answered + abandonedAfterSl) (0–1); ignores callers who gave up before T, overflows and callbacks',
  asaMs: 'average speed of answer: mean queue wait of answered calls (queue entry → agent answer, ringing included)',
  ahtMs: 'average handle time: (talkMs + holdMs + wrapUpMs) ÷ answered',
  talkMs: 'total talk time of answered calls (hold excluded)',
  holdMs: 'total hold time of answered calls (including waiting while a transfer was set up)',
  wrapUpMs: "total time the calls' agents spent in wrap-up after them (ACD agent states)",
  longestWaitMs: 'the longest queue wait of any offered call',
  overflowed: 'calls that left this queue by overflow (max wait, empty queue), wherever they went next',
  callbacksRequested: 'offered calls whose wait ended in a callback request',
} as const;

/** One line of the queue report. Ratios are 0–1; averages null when there is nothing to average. */
export interface QueueReportRow {
  queue: string;
  /** Start of the bucket (an instant, ISO 8601 UTC). */
  bucketStart: string;
  /** The same start as wall-clock time in the report's zone, `YYYY-MM-DDTHH:mm`. */
  bucketLocal: string;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  abandonedAfterSl: number;
  answeredWithinSl: number;
  serviceLevelOfOffered: number | null;
  serviceLevelOfAnsweredAndAbandonedAfterSl: number | null;
  asaMs: number | null;
  ahtMs: number | null;
  talkMs: number;
  holdMs: number;
  wrapUpMs: number;
  longestWaitMs: number;
  overflowed: number;
  callbacksRequested: number;
}

/** The order of the CSV columns (and of the fields of a row). */
export const QUEUE_REPORT_COLUMNS: readonly (keyof QueueReportRow)[] = [
  'queue', 'bucketStart', 'bucketLocal', 'offered', 'answered', 'abandoned', 'shortAbandoned', 'abandonedAfterSl',
  'answeredWithinSl', 'serviceLevelOfOffered', 'serviceLevelOfAnsweredAndAbandonedAfterSl', 'asaMs', 'ahtMs',
  'talkMs', 'holdMs', 'wrapUpMs', 'longestWaitMs', 'overflowed', 'callbacksRequested',
];

export function queueReportRow(key: { queue: string; bucketStart: string; bucketLocal: string }, a: QueueAggregate): QueueReportRow {
  // Properties listed one by one: an object spread followed by more properties is ~50× slower in V8.
  return {
    queue: key.queue,
    bucketStart: key.bucketStart,
    bucketLocal: key.bucketLocal,
    offered: a.offered,
    answered: a.answered,
    abandoned: a.abandoned,
    shortAbandoned: a.shortAbandoned,
    abandonedAfterSl: a.abandonedAfterSl,
    answeredWithinSl: a.answeredWithinSl,
    serviceLevelOfOffered: serviceLevelOfOffered(a),
    serviceLevelOfAnsweredAndAbandonedAfterSl: serviceLevelOfAnsweredAndAbandonedAfterSl(a),
    asaMs: averageSpeedOfAnswerMs(a),
    ahtMs: averageHandleTimeMs(a),
    talkMs: a.talkMs,
    holdMs: a.holdMs,
    wrapUpMs: a.wrapUpMs,
    longestWaitMs: a.longestWaitMs,
    overflowed: a.overflowed,
    callbacksRequested: a.callbacksRequested,
  };
}
