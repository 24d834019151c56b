import { Type, type Static } from '@sinclair/typebox';
import { AGENT_KINDS } from '../../acd/agent-profile';
import { AGENT_STATES } from '../../acd/agent-state';
import { EpochMs, Id, Nullable, StringEnum } from './common-schemas';

/** The ACD's agent states (src/acd/agent-state.ts). */
export const AgentStateName = StringEnum(AGENT_STATES);

/** Not-ready reason code, or what moved the agent ('wrap_up_ended', 'missed_call'…); '' when none. */
const Reason = Type.String();

/** One line of `GET /api/agents`. */
export const AgentListItem = Type.Object({
  staffId: Id, name: Type.String(), kind: StringEnum(AGENT_KINDS), state: AgentStateName, reason: Reason, since: EpochMs,
  callId: Nullable(Type.String()), queues: Type.Array(Type.String()), wrapUntil: Nullable(EpochMs),
});
export type AgentListItem = Static<typeof AgentListItem>;

/** `GET /api/agents/:staffId`. */
export const AgentView = Type.Object({
  staffId: Id, state: AgentStateName, reason: Reason, since: EpochMs, callId: Nullable(Type.String()),
  wrapUntil: Nullable(EpochMs), wrapExtended: Type.Boolean(), callsToday: Type.Integer(),
});
export type AgentView = Static<typeof AgentView>;

/** `POST /api/agents/:staffId/state` and `…/wrap-up/end`: the state after the change (absent when the agent left the ACD meanwhile). */
export const AgentStateChanged = Type.Object({ staffId: Id, state: Type.Optional(AgentStateName), reason: Type.Optional(Reason) });
export type AgentStateChanged = Static<typeof AgentStateChanged>;

/** `POST /api/agents/:staffId/wrap-up/extend`. */
export const WrapUpExtended = Type.Object({ wrapUntil: EpochMs });
export type WrapUpExtended = Static<typeof WrapUpExtended>;

const Ratio = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const PeriodStats = {
  offered: Type.Integer(), answered: Type.Integer(), abandoned: Type.Integer(), overflowed: Type.Integer(),
  callbacks: Type.Object({ requested: Type.Integer(), completed: Type.Integer(), cancelled: Type.Integer() }),
  answeredWithinThreshold: Type.Integer(),
  serviceLevel: Type.Object({ thresholdMs: Type.Number(), ignoringAbandons: Ratio, countingAbandons: Ratio }),
  asaMs: Nullable(Type.Number()), ahtMs: Nullable(Type.Number()), abandonRate: Ratio,
};

/** `GET /api/queues/:queue/live` (src/acd/queue-stats.ts QueueStats). */
export const QueueLiveStats = Type.Object({
  queueId: Type.String(), at: EpochMs, waitingNow: Type.Integer(), callbacksWaiting: Type.Integer(), callbacksHeldBack: Type.Integer(), longestWaitMs: Type.Number(),
  agentsByState: Type.Record(Type.String(), Type.Integer(), { description: 'agent state → agents in it' }),
  today: Type.Object({ ...PeriodStats, day: Type.String() }),
  window: Type.Object({ ...PeriodStats, windowMs: Type.Number() }),
});
export type QueueLiveStats = Static<typeof QueueLiveStats>;
