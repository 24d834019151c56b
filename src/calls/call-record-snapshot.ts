import type { CallEvent } from './call-event';
import { deriveOutcome, type CallOutcome, type HangupSide } from './call-outcome';
import type { CallRecord, TransferFact } from './call-record';
import { assertCallLifecycleTransition, type CallState } from './call-state';
import { summarizeTimeline } from './call-timeline';

/**
 * What a live call's record knows so far, as plain JSON: the facts that will
 * be its calls row, the timeline up to now and what the outcome is derived
 * from. The recorder ends a call through it (finishCallRecord), and a
 * checkpoint keeps one in Redis so that a survivor can end the call's record
 * for a process that died (issue 14).
 */
export interface CallRecordSnapshot {
  readonly state: CallState;
  /** Where the lifecycle began (`ringing_in`, or `originating` for outbound calls): the timeline summary starts there. */
  readonly initialState: CallState;
  readonly facts: Omit<CallRecord, 'endedAt' | 'queueWaitMs' | 'talkMs' | 'holdMs' | 'agentId' | 'hangupSide' | 'hangupCause' | 'outcome' | 'dispositionCode' | 'events'>;
  readonly callbackRequested: boolean;
  readonly afterHours: boolean;
  readonly overflowed: boolean;
  readonly events: readonly CallEvent[];
}

/** How and when a call ended. */
export interface CallEnding {
  readonly side: HangupSide;
  readonly cause: string;
  /** When the caller of finishCallRecord knows better than the derivation. */
  readonly outcome?: CallOutcome;
  /** Ending while transferring: true when the transfer handed the caller on. */
  readonly transferCompleted?: boolean;
  readonly at: number;
  /** Extra facts on the `ended` event (e.g. what became of an interrupted call's recording). */
  readonly note?: Readonly<Record<string, unknown>>;
}

/**
 * The finished record of a call from its snapshot: the `ended` event goes on
 * the timeline (the same lifecycle move the recorder makes), a transfer still
 * pending is settled, and talk, hold and queue wait are read off the timeline.
 * Pure; refuses (ILLEGAL_TRANSITION) a snapshot of a call that already ended.
 */
export function finishCallRecord(snapshot: CallRecordSnapshot, end: CallEnding): CallRecord {
  const from = snapshot.state;
  assertCallLifecycleTransition(from, 'ended', 'ended');
  const last = snapshot.events[snapshot.events.length - 1];
  // Clocks may step back; the timeline stays in order all the same.
  const endedAt = Math.max(end.at, last?.at ?? end.at);
  const ended: CallEvent = {
    seq: snapshot.events.length + 1, at: endedAt, type: 'ended',
    data: { from, to: 'ended', side: end.side, cause: end.cause, ...(end.note ?? {}) },
  };
  const events = [...snapshot.events, ended];
  const settle: TransferFact['result'] = end.transferCompleted === true ? 'completed' : 'failed';
  const transfers = snapshot.facts.transfers.map((t) => (from === 'transferring' && t.result === 'pending' ? { ...t, result: settle, endedAt } : { ...t }));
  const summary = summarizeTimeline(events, endedAt, snapshot.initialState);
  const outcome = end.outcome ?? deriveOutcome({
    state: from,
    side: end.side,
    agentAnswered: snapshot.facts.agentAnsweredAt !== null,
    transfersCompleted: transfers.filter((t) => t.result === 'completed').length,
    callbackRequested: snapshot.callbackRequested,
    afterHours: snapshot.afterHours,
    overflowed: snapshot.overflowed,
  });
  return {
    ...snapshot.facts,
    ivrEndedAt: from === 'ivr' ? endedAt : snapshot.facts.ivrEndedAt,
    ivrPath: [...snapshot.facts.ivrPath],
    agentIds: [...snapshot.facts.agentIds],
    endedAt,
    queueWaitMs: summary.queueWaitMs,
    agentId: snapshot.facts.agentIds[0] ?? null,
    talkMs: summary.talkMs,
    holdMs: summary.holdMs,
    transfers,
    hangupSide: end.side,
    hangupCause: end.cause,
    outcome,
    dispositionCode: null,
    events,
  };
}
