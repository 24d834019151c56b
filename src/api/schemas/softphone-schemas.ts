import { Type, type Static } from '@sinclair/typebox';
import { AgentStateName } from './agent-schemas';
import { Code, EpochMs, Id, Language, Money, NonEmpty, Nullable, StringEnum, Timestamp } from './common-schemas';
import { OrderDetailFields, OrderDetailViewFields, StaffNotificationView } from './seed-workflow-schemas';

/*
 * What the operator softphone reads and writes (issue 6): its configuration,
 * the client card, the wrap-up form, "my calls", "my shift", assignments,
 * transfer targets and the live agent channel's messages.
 */

/** `GET /api/softphone/config`. */
export const SoftphoneConfig = Type.Object({
  staff: Type.Object({ id: Id, name: Type.String(), role: Type.String(), sipUsername: Nullable(Type.String()), departmentId: Nullable(Id), canDialOut: Type.Boolean() }),
  /** Null when this staff member has no SIP login: the screen works without a phone then. */
  sip: Nullable(Type.Object({
    uri: Type.String(),
    authorizationUsername: Type.String(),
    /** A short-lived secret (src/sip/softphone-credentials.ts), never the person's SIP password. */
    authorizationPassword: Type.String(),
    /** When the secret stops working; the page fetches a fresh one before that. */
    authorizationExpiresAt: Timestamp,
    realm: Type.String(),
    displayName: Type.String(),
    /** Null when the server runs with SIP off: the screen says "telephony offline" and keeps the rest working. */
    wsServer: Nullable(Type.String()),
    iceServers: Type.Array(Type.Object({ urls: Type.String(), username: Type.Optional(Type.String()), credential: Type.Optional(Type.String()) })),
    iceGatheringTimeoutMs: Type.Integer(),
    registerExpiresSeconds: Type.Integer(),
  })),
  wrapUpSeconds: Type.Integer(),
  locale: Type.String(),
});
export type SoftphoneConfig = Static<typeof SoftphoneConfig>;

/** The receivables check of design §1 rule 5, as the operator reads it before taking an order. */
export const ClientDebt = Type.Object({ overdueAmount: Type.Number(), balance: Type.Number(), limit: Type.Number(), overLimit: Type.Boolean(), hasOverdue: Type.Boolean() });
export type ClientDebt = Static<typeof ClientDebt>;

/** The client part of the card (src/db/repositories/client-card-repository.ts ClientCardClient). */
export const CardClient = Type.Object({
  id: Id, name: Type.String(), clientType: Type.String(), clientTypeLabel: Type.String(), manager: Nullable(Type.Object({ id: Id, name: Type.String() })),
  region: Nullable(Type.String()), language: Type.String(), debt: ClientDebt, notes: Type.String(),
});
export type CardClient = Static<typeof CardClient>;

/** One earlier call of the same client (or number), newest first. */
export const LastCall = Type.Object({
  callId: Type.String(), startedAt: Timestamp, outcome: Nullable(Type.String()), dispositionCode: Nullable(Type.String()),
  dispositionLabel: Nullable(Type.String()), agentName: Nullable(Type.String()), talkMs: Nullable(Type.Number()),
});
export type LastCall = Static<typeof LastCall>;

/** `GET /api/calls/:id/card`, and the card in `call.offered` (src/api/call-card.ts). */
export const CallCard = Type.Object({
  callId: Type.String(), callerNumber: Type.String(), callerE164: Nullable(Type.String()),
  /** Null for a caller not in the directory ("new client" card). */
  client: Nullable(CardClient),
  lastCalls: Type.Array(LastCall),
  /** IVR node ids the caller went through, in order. */
  ivrPath: Type.Array(Type.String()),
  routingReason: Nullable(Type.String()), queue: Nullable(Type.String()), waitMs: Nullable(Type.Number()),
});
export type CallCard = Static<typeof CallCard>;

/** A client's card without a call (`GET /api/clients/:id/card`, `POST /api/clients/quick`). */
export const ClientCardPart = Type.Object({ client: CardClient, lastCalls: Type.Array(LastCall) });
export type ClientCardPart = Static<typeof ClientCardPart>;

export const QuickClientBody = Type.Object({
  name: NonEmpty(),
  phone: Type.String({ minLength: 3, maxLength: 40 }),
  clientType: Code,
  region: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  language: Type.Optional(Language),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
}, { additionalProperties: false });
export type QuickClientBody = Static<typeof QuickClientBody>;

export const WrapUpBody = Type.Object({
  dispositionCode: Code,
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
  orderReference: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  orderAmount: Type.Optional(Nullable(Money)),
  ...OrderDetailFields,
}, { additionalProperties: false });
export type WrapUpBody = Static<typeof WrapUpBody>;

/** An agent's wrap-up form for one call. */
export const WrapUp = Type.Object({
  callId: Type.String(), staffId: Id, dispositionCode: Type.String(), dispositionLabel: Type.String(), notes: Type.String(),
  orderReference: Nullable(Type.String()), orderAmount: Nullable(Type.Number()), ...OrderDetailViewFields, createdAt: Timestamp, updatedAt: Timestamp,
});
export type WrapUp = Static<typeof WrapUp>;

/** `POST /api/calls/:id/wrap-up`: the form stored; callRecorded is false while the call row is still on its way. */
export const WrapUpSaved = Type.Composite([WrapUp, Type.Object({ callRecorded: Type.Boolean() })]);
export type WrapUpSaved = Static<typeof WrapUpSaved>;

/** `GET /api/calls/:id/wrap-up`. */
export const WrapUpList = Type.Object({ callId: Type.String(), wrapUps: Type.Array(WrapUp) });
export type WrapUpList = Static<typeof WrapUpList>;

/** One line of `GET /api/me/calls`. */
export const MyCall = Type.Object({
  callId: Type.String(), startedAt: Timestamp, direction: Type.String(), callerNumber: Type.String(), clientName: Nullable(Type.String()),
  outcome: Nullable(Type.String()), talkMs: Nullable(Type.Number()), holdMs: Type.Number(), dispositionCode: Nullable(Type.String()),
  dispositionLabel: Nullable(Type.String()),
});
export type MyCall = Static<typeof MyCall>;

/** `GET /api/me/stats`. */
export const MyStats = Type.Object({
  handled: Type.Integer(), missed: Type.Integer(), talkMs: Type.Number(),
  /** (talk + hold + wrap-up) per handled call; 0 with none. */
  avgHandleMs: Type.Number(),
  holdMs: Type.Number(), wrapUpMs: Type.Number(), readyMs: Type.Number(), notReadyMs: Type.Number(),
  byDisposition: Type.Record(Type.String(), Type.Integer()),
});
export type MyStats = Static<typeof MyStats>;

const AssignmentKind = StringEnum(['callback', 'campaign']);
/** Callbacks: the requesting call's id (uuid); campaign calls: the campaign_calls row id. */
const AssignmentId = Type.Union([Type.String(), Type.Integer()]);

/** One line of `GET /api/me/assignments`. */
export const Assignment = Type.Object({
  kind: AssignmentKind, id: AssignmentId, clientId: Nullable(Id), clientName: Nullable(Type.String()), number: Nullable(Type.String()),
  /** When it should be done; null: as soon as possible. */
  dueAt: Nullable(Timestamp),
  note: Type.String(), status: Type.String(),
});
export type Assignment = Static<typeof Assignment>;

/** `POST /api/me/assignments/:kind/:id/result`. */
export const AssignmentResult = Type.Object({ kind: AssignmentKind, id: AssignmentId, result: Nullable(Type.String()), status: Type.String() });
export type AssignmentResult = Static<typeof AssignmentResult>;

/** A department the transfer dialog offers as a one-click target (finance, quality control, second line). */
export const DepartmentShortcut = Type.Object({ kind: Type.Literal('department'), department: Type.String(), label: Type.String() });
export type DepartmentShortcut = Static<typeof DepartmentShortcut>;

/** `GET /api/transfer-targets`. */
export const TransferTargets = Type.Object({
  queues: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), waiting: Type.Integer() })),
  people: Type.Array(Type.Object({
    staffId: Id, name: Type.String(), role: Type.String(), department: Nullable(Type.String()), state: AgentStateName, registered: Type.Boolean(),
  })),
  shortcuts: Type.Object({
    manager: Nullable(Type.Object({ staffId: Id, name: Type.String() })),
    finance: Nullable(DepartmentShortcut),
    quality: Nullable(DepartmentShortcut),
    secondLine: Nullable(DepartmentShortcut),
  }),
});
export type TransferTargets = Static<typeof TransferTargets>;

/** An agent's live state as the softphone shows it. */
export const AgentStateView = Type.Object({
  state: AgentStateName,
  /** Not-ready reason code, or what moved the agent ('wrap_up_ended', 'missed_call'…); '' when none. */
  reason: Type.String(),
  /** When the agent entered the state. */
  since: EpochMs,
  /** When wrap-up ends by itself; null outside wrap-up. */
  wrapUpUntil: Nullable(EpochMs),
  /** The call the agent is on, rung for or wrapping up (our call id, not the ACD's per-transfer id); null when none. */
  callId: Nullable(Type.String()),
});
export type AgentStateView = Static<typeof AgentStateView>;

/** Every message of `GET /api/agent/events` (JSON, one per WebSocket frame; written with JSON.stringify, not by a response schema). */
export const AgentMessage = Type.Union([
  Type.Object({ type: Type.Literal('hello'), staffId: Id, agent: Nullable(AgentStateView) }),
  Type.Composite([Type.Object({ type: Type.Literal('agent.state') }), Type.Omit(AgentStateView, ['callId'])]),
  Type.Object({ type: Type.Literal('call.offered'), callId: Type.String(), clientId: Nullable(Id), reason: Type.String(), queue: Type.String(), card: Nullable(CallCard) }),
  Type.Object({ type: Type.Literal('call.ended'), callId: Type.String() }),
  Type.Object({ type: Type.Literal('staff.notification'), notification: StaffNotificationView }),
  Type.Object({ type: Type.Literal('ping'), at: EpochMs }),
  Type.Object({ type: Type.Literal('pong'), at: EpochMs }),
]);
export type AgentMessage = Static<typeof AgentMessage>;
