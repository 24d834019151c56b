import { Type, type Static, type TInteger } from '@sinclair/typebox';
import { FLOOR_AGENT_STATES, type FloorAgentState } from '../../supervisor/floor-agent-states';
import { AgentStateName } from './agent-schemas';
import { EpochMs, Id, Nullable, StringEnum } from './common-schemas';

/**
 * The wallboard's snapshot (src/supervisor/floor-snapshot.ts): `GET /api/floor`
 * and every message of the WebSocket `GET /api/floor/live` (the socket writes
 * it with JSON.stringify, so both say the same only while this matches).
 * Durations are as of `at`; the page ticks them on until the next snapshot.
 */

export const FloorAgentStateName = StringEnum(FLOOR_AGENT_STATES);

const AgentCounts = Type.Object(Object.fromEntries(FLOOR_AGENT_STATES.map((s) => [s, Type.Integer()])) as Record<FloorAgentState, TInteger>);
const Percent = Nullable(Type.Number({ minimum: 0, maximum: 100 }));

export const FloorQueue = Type.Object({
  name: Type.String(), label: Type.String(), waiting: Type.Integer(), longestWaitMs: Type.Number(),
  /** Percent (0–100) answered within the threshold, every abandon counting against; null before the first call. */
  serviceLevelToday: Percent, serviceLevel30m: Percent,
  slTarget: Type.Object({ percent: Type.Number(), seconds: Type.Number() }),
  answeredToday: Type.Integer(), abandonedToday: Type.Integer(),
  agents: AgentCounts,
});
export type FloorQueue = Static<typeof FloorQueue>;

export const FloorWaitingCall = Type.Object({
  callId: Type.String(), queue: Type.String(), clientId: Nullable(Id), clientName: Nullable(Type.String()), clientType: Nullable(Type.String()),
  waitMs: Type.Number(), position: Type.Integer(), priority: Type.Number(),
  /** A callback request keeps its place in line like a caller. */
  kind: StringEnum(['call', 'callback']),
});
export type FloorWaitingCall = Static<typeof FloorWaitingCall>;

export const FloorAgent = Type.Object({
  staffId: Id, name: Type.String(), state: FloorAgentStateName,
  /** The ACD's own state name (reserved, on_call, …). */
  acdState: AgentStateName,
  reason: Type.String(),
  /** Time in the current state, as of the snapshot. */
  sinceMs: Type.Number(),
  currentCallId: Nullable(Type.String()), queues: Type.Array(Type.String()),
});
export type FloorAgent = Static<typeof FloorAgent>;

export const FloorAlert = Type.Object({
  /** A kind added later is shown by its code. */
  kind: StringEnum(['service_level', 'long_wait']),
  queue: Type.String(), message: Type.String(),
  /** When the condition began (as far as this process has seen it, for service level). */
  since: EpochMs,
});
export type FloorAlert = Static<typeof FloorAlert>;

export const FloorSnapshot = Type.Object({
  type: Type.Literal('floor'), at: EpochMs,
  queues: Type.Array(FloorQueue), waitingCalls: Type.Array(FloorWaitingCall), agents: Type.Array(FloorAgent), alerts: Type.Array(FloorAlert),
});
export type FloorSnapshot = Static<typeof FloorSnapshot>;
