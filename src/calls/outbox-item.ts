import { randomUUID } from 'node:crypto';
import { isCallEventType, type CallEvent } from './call-event';
import { HANGUP_SIDES, isCallOutcome } from './call-outcome';
import { CALL_DIRECTIONS, type CallRecord } from './call-record';
import type { RecordingMetadata, WrapUpRecord } from './recording-metadata';

/**
 * One thing waiting to be written to Postgres: a finished call, or a detail
 * that arrives after it (the recording once converted, an agent's wrap-up).
 * `itemId` makes each serialized item unique, so removing it from a Redis
 * list after commit removes exactly that one.
 */
export type OutboxItem =
  | { readonly v: 1; readonly itemId: string; readonly createdAt: number; readonly kind: 'call'; readonly record: CallRecord }
  | { readonly v: 1; readonly itemId: string; readonly createdAt: number; readonly kind: 'recording'; readonly recording: RecordingMetadata }
  | { readonly v: 1; readonly itemId: string; readonly createdAt: number; readonly kind: 'wrap_up'; readonly wrapUp: WrapUpRecord };

type Payload =
  | { kind: 'call'; record: CallRecord }
  | { kind: 'recording'; recording: RecordingMetadata }
  | { kind: 'wrap_up'; wrapUp: WrapUpRecord };

/** Wraps a payload as a new outbox item. */
export function newOutboxItem(payload: Payload, now: number): OutboxItem {
  return { v: 1, itemId: randomUUID(), createdAt: now, ...payload };
}

/** The call an item belongs to (for logs). */
export function outboxItemCallId(item: OutboxItem): string {
  switch (item.kind) {
    case 'call':
      return item.record.id;
    case 'recording':
      return item.recording.callId;
    case 'wrap_up':
      return item.wrapUp.callId;
  }
}

export function serializeOutboxItem(item: OutboxItem): string {
  return JSON.stringify(item);
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isInteger(v);
const nullOr = <T>(check: (v: unknown) => v is T) => (v: unknown): v is T | null => v === null || check(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => isStr(v) && UUID.test(v);

/** The first field that does not have the shape the writer relies on, or null. */
function callRecordProblem(r: Obj): string | null {
  const checks: Array<[string, (v: unknown) => boolean]> = [
    ['id', isUuid], ['sipCallId', nullOr(isStr)], ['direction', (v) => CALL_DIRECTIONS.includes(v as never)],
    ['trunk', nullOr(isStr)], ['callerNumber', isStr], ['callerE164', nullOr(isStr)], ['dialedNumber', nullOr(isStr)],
    ['clientId', nullOr(isInt)], ['clientType', nullOr(isStr)], ['ivrFlowVersion', nullOr(isInt)], ['routingConfigVersion', nullOr(isInt)],
    ['startedAt', isNum], ['answeredAt', nullOr(isNum)], ['ivrStartedAt', nullOr(isNum)], ['ivrEndedAt', nullOr(isNum)],
    ['queuedAt', nullOr(isNum)], ['offeredAt', nullOr(isNum)], ['agentAnsweredAt', nullOr(isNum)], ['endedAt', isNum],
    ['ivrPath', Array.isArray], ['routingDecision', nullOr(isObj)], ['routingReason', nullOr(isStr)],
    ['queueId', nullOr(isInt)], ['queueName', nullOr(isStr)], ['queueWaitMs', nullOr(isInt)], ['agentId', nullOr(isInt)],
    ['agentIds', (v) => Array.isArray(v) && v.every(isInt)], ['talkMs', nullOr(isInt)], ['holdMs', isInt],
    ['transfers', Array.isArray], ['hangupSide', (v) => HANGUP_SIDES.includes(v as never)], ['hangupCause', nullOr(isStr)],
    ['outcome', isCallOutcome], ['dispositionCode', nullOr(isStr)], ['recordingId', nullOr(isUuid)], ['events', Array.isArray],
  ];
  for (const [field, check] of checks) if (!check(r[field])) return field;
  const events = r.events as unknown[];
  for (const [index, e] of events.entries()) {
    const event = e as Partial<CallEvent> | null;
    if (!isObj(event) || !isInt(event.seq) || !isNum(event.at) || !isCallEventType(event.type) || !isObj(event.data)) return `events[${index}]`;
  }
  return null;
}

function recordingProblem(r: Obj): string | null {
  if (!isUuid(r.id)) return 'id';
  if (!isUuid(r.callId)) return 'callId';
  if (!isStr(r.filePath)) return 'filePath';
  if (!isInt(r.durationMs) || r.durationMs < 0) return 'durationMs';
  if (!isInt(r.sizeBytes) || r.sizeBytes < 0) return 'sizeBytes';
  if (r.purgeAfter !== undefined && !nullOr(isNum)(r.purgeAfter)) return 'purgeAfter';
  return null;
}

function wrapUpProblem(r: Obj): string | null {
  if (!isUuid(r.callId)) return 'callId';
  if (!isInt(r.staffId)) return 'staffId';
  if (!isStr(r.dispositionCode)) return 'dispositionCode';
  return null;
}

/** Parses a serialized item; a string that is not one gives the reason instead. */
export function parseOutboxItem(raw: string): { item: OutboxItem } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isObj(value) || value.v !== 1 || !isStr(value.itemId) || !isNum(value.createdAt)) return { problem: 'not an outbox item (v, itemId, createdAt)' };
  let problem: string | null;
  switch (value.kind) {
    case 'call':
      problem = isObj(value.record) ? callRecordProblem(value.record) : 'record';
      break;
    case 'recording':
      problem = isObj(value.recording) ? recordingProblem(value.recording) : 'recording';
      break;
    case 'wrap_up':
      problem = isObj(value.wrapUp) ? wrapUpProblem(value.wrapUp) : 'wrapUp';
      break;
    default:
      return { problem: `unknown kind ${JSON.stringify(value.kind)}` };
  }
  // The checks above are what the writer relies on; the cast states that, rather than re-building the object.
  return problem === null ? { item: value as unknown as OutboxItem } : { problem: `${String(value.kind)}: bad field ${problem}` };
}
