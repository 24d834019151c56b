import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, StringEnum, Timestamp } from './common-schemas';

/*
 * Calls: the call log, one stored call with its timeline, and the transfer
 * and consult routes of a live call. Parts that come from JSON columns
 * (ivr_path, transfers, event data, the routing decision) keep whatever they
 * hold: a field written by a later version must not vanish from the answer.
 */

/** One line of `GET /api/call-log`. */
export const CallLogItem = Type.Object({
  callId: Type.String(), startedAt: Timestamp, direction: Type.String(), callerNumber: Type.String(),
  clientName: Nullable(Type.String()), clientType: Nullable(Type.String()), queue: Nullable(Type.String()), agentNames: Type.Array(Type.String()),
  outcome: Nullable(Type.String()), waitMs: Nullable(Type.Integer()), talkMs: Nullable(Type.Integer()), dispositionCode: Nullable(Type.String()),
  hasRecording: Type.Boolean(),
});
export type CallLogItem = Static<typeof CallLogItem>;

/** `GET /api/call-log`: pass nextCursor back as cursor for the next page. */
export const CallLogPage = Type.Object({ items: Type.Array(CallLogItem), nextCursor: Nullable(Type.String()) });
export type CallLogPage = Static<typeof CallLogPage>;

/** One entry of a call's ordered timeline. */
export const StoredCallEvent = Type.Object({ seq: Type.Integer(), at: Timestamp, type: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) });
export type StoredCallEvent = Static<typeof StoredCallEvent>;

/** A stored recording's metadata, as the API shows it: where the file lies on the server is nobody's business (issue 15); /api/recordings/:id/audio plays it. */
export const StoredRecording = Type.Object({
  id: Type.String(), callId: Type.String(), format: Type.String(), channels: Type.Integer(), sampleRate: Type.Integer(),
  durationMs: Type.Number(), sizeBytes: Type.Number(), createdAt: Timestamp, purgeAfter: Nullable(Timestamp), purgedAt: Nullable(Timestamp),
});
export type StoredRecording = Static<typeof StoredRecording>;

export const StoredWrapUp = Type.Object({
  staffId: Id, dispositionCode: Type.String(), notes: Type.String(), orderReference: Nullable(Type.String()), orderAmount: Nullable(Type.Number()),
  paymentForm: Nullable(Type.String()), deliveryDate: Nullable(Type.String({ format: 'date' })), shippingDetails: Nullable(Type.String()), createdAt: Timestamp,
});
export type StoredWrapUp = Static<typeof StoredWrapUp>;

/** One IVR node the caller went through (calls.ivr_path). */
export const IvrPathEntry = Type.Object({ nodeId: Type.String(), at: Type.Number(), digits: Type.Optional(Type.String()) }, { additionalProperties: true });
export type IvrPathEntry = Static<typeof IvrPathEntry>;

/** Where a transfer sent the caller, as the call record keeps it (src/calls/call-record.ts TransferTarget). */
export const TransferTargetFact = Type.Object({
  kind: Type.String(), queue: Type.Optional(Type.String()), staffId: Type.Optional(Type.Integer()), department: Type.Optional(Type.String()),
  number: Type.Optional(Type.String()), label: Type.Optional(Type.String()),
}, { additionalProperties: true });
export type TransferTargetFact = Static<typeof TransferTargetFact>;

/** One transfer on the call (calls.transfers). */
export const TransferFact = Type.Object({
  kind: StringEnum(['blind', 'warm']), target: TransferTargetFact, byAgentId: Nullable(Type.Integer()), startedAt: Type.Number(), endedAt: Nullable(Type.Number()),
  result: StringEnum(['pending', 'completed', 'cancelled', 'failed']),
}, { additionalProperties: true });
export type TransferFact = Static<typeof TransferFact>;

/** A ring of an agent's phone for the call, read off its timeline. */
export const CallRing = Type.Object({
  agentId: Type.Integer(), agentName: Nullable(Type.String()), at: Timestamp, ringMs: Nullable(Type.Number()),
  result: StringEnum(['answered', 'missed', 'caller_left']), reason: Nullable(Type.String()),
});
export type CallRing = Static<typeof CallRing>;

/** `GET /api/calls/:id`: the stored call with its timeline, recording and wrap-ups, and names for its ids. */
export const StoredCallView = Type.Object({
  id: Type.String(), sipCallId: Nullable(Type.String()), direction: Type.String(), trunk: Nullable(Type.String()),
  callerNumber: Type.String(), callerE164: Nullable(Type.String()), dialedNumber: Nullable(Type.String()),
  clientId: Nullable(Type.Integer()), clientType: Nullable(Type.String()), ivrFlowVersion: Nullable(Type.Integer()), routingConfigVersion: Nullable(Type.Integer()),
  startedAt: Timestamp, answeredAt: Nullable(Timestamp), ivrStartedAt: Nullable(Timestamp), ivrEndedAt: Nullable(Timestamp), queuedAt: Nullable(Timestamp),
  offeredAt: Nullable(Timestamp), agentAnsweredAt: Nullable(Timestamp), endedAt: Nullable(Timestamp),
  ivrPath: Type.Array(IvrPathEntry),
  routingDecision: Type.Unknown({ description: 'the routing decision as the call took it (src/routing/route-decision.ts)' }),
  routingReason: Nullable(Type.String()), queueId: Nullable(Type.Integer()), queueName: Nullable(Type.String()), queueWaitMs: Nullable(Type.Number()),
  agentId: Nullable(Type.Integer()), agentIds: Type.Array(Type.Integer()), talkMs: Nullable(Type.Number()), holdMs: Type.Number(),
  transfers: Type.Array(TransferFact), hangupSide: Nullable(Type.String()), hangupCause: Nullable(Type.String()), outcome: Nullable(Type.String()),
  dispositionCode: Nullable(Type.String()), recordingId: Nullable(Type.String()),
  events: Type.Array(StoredCallEvent), recording: Nullable(StoredRecording), wrapUps: Type.Array(StoredWrapUp),
  clientName: Nullable(Type.String()), queueLabel: Nullable(Type.String()), agentNames: Type.Array(Type.String()),
  /** Staff id → name, for every person the call or its wrap-ups mention. */
  staffNames: Type.Record(Type.String(), Type.String()),
  rings: Type.Array(CallRing),
  recordingDurationMs: Nullable(Type.Number()),
});
export type StoredCallView = Static<typeof StoredCallView>;

/** Where a live call can be transferred (blind) or a consult can ring: the request body's target. */
export const TransferTarget = Type.Union([
  Type.Object({ kind: Type.Literal('queue'), queue: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('person'), staffId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('department'), department: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  // The services of the business rules, resolved through the directory; `manager` is the client's assigned manager.
  Type.Object({ kind: Type.Literal('finance') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('quality') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('second_line') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('manager') }, { additionalProperties: false }),
]);
export type TransferTarget = Static<typeof TransferTarget>;

export const TransferBody = Type.Object({ target: TransferTarget }, { additionalProperties: false });

/**
 * The request's target, echoed back. Open (not the request's union): the
 * request was validated already, and an answer must not fail to serialise.
 */
const EchoedTarget = Type.Object({ kind: Type.String() }, { additionalProperties: true });

/** `POST /api/calls/:id/transfer`: done when it answers; the caller waits for the target. */
export const BlindTransferDone = Type.Object({ callId: Type.String(), transfer: Type.Object({ kind: Type.Literal('blind'), target: EchoedTarget }) });
export type BlindTransferDone = Static<typeof BlindTransferDone>;

/** The server's consult lifecycle (src/sip/consult-transfer.ts ConsultState). */
export const ConsultState = StringEnum(['ringing', 'talking', 'failed', 'completed', 'cancelled', 'ended']);
export type ConsultState = Static<typeof ConsultState>;

/** `POST` and `GET /api/calls/:id/consult`: the warm transfer under way and whom it rings. */
export const ConsultUnderWay = Type.Object({ callId: Type.String(), consult: Type.Object({ state: ConsultState, target: TransferTargetFact }) });
export type ConsultUnderWay = Static<typeof ConsultUnderWay>;

/** `POST /api/calls/:id/consult/complete` and `…/cancel`. */
export const ConsultEnded = Type.Object({ callId: Type.String(), consult: Type.Object({ state: ConsultState }) });
export type ConsultEnded = Static<typeof ConsultEnded>;

/** `POST /api/calls/outbound` (202): the call placed; the staff member's phone rings first. */
export const OutboundCallPlaced = Type.Object({
  callId: Type.String({ format: 'uuid' }),
  notice: Type.Optional(Type.String({ description: 'what the person should know about the call placed (the do-not-call list overridden, outside the client\'s calling window)' })),
  outsideWindow: Type.Optional(Type.Object({
    start: Type.String({ description: 'HH:MM, the client\'s local time' }),
    end: Type.String({ description: 'HH:MM, the client\'s local time' }),
    timeZones: Type.Array(Type.String(), { description: 'the client\'s zone, or every zone of the number\'s country when the card names none' }),
    nextAllowedAt: Nullable(Timestamp),
  }, { description: 'placed outside the client\'s calling window: the window and when it opens, for the screen to say in its own language' })),
});
export type OutboundCallPlaced = Static<typeof OutboundCallPlaced>;
