import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common-schemas';

/** One interval of `POST /api/staffing/plan` (src/staffing/staffing-plan.ts). Percentages are 0–100; `pWait` is a probability 0–1. */
export const IntervalPlan = Type.Object({
  start: Type.String(), calls: Type.Number(), trafficErlangs: Type.Number(),
  /** Agents on the phones needed for the target (Erlang C). */
  agentsNeeded: Type.Integer(),
  /** Agents to schedule so that `agentsNeeded` remain after shrinkage. */
  withShrinkage: Type.Integer(),
  /** The agents the figures are for: the headcount after shrinkage, or `agentsNeeded`. */
  agentsEvaluated: Type.Number(),
  expectedSl: Type.Number(),
  /** Null when the queue is unstable (agents ≤ traffic: the wait grows without bound). */
  asaSeconds: Nullable(Type.Number()),
  occupancy: Type.Number(), pWait: Type.Number(),
  /** Only with a headcount: whether it meets the target. */
  meetsTarget: Type.Optional(Type.Boolean()),
});
export type IntervalPlan = Static<typeof IntervalPlan>;

export const StaffingPlan = Type.Object({
  intervals: Type.Array(IntervalPlan),
  totalCalls: Type.Number(),
  /** The largest `agentsNeeded` over the intervals, and the first interval needing it. */
  peak: Type.Object({ start: Nullable(Type.String()), agentsNeeded: Type.Integer(), withShrinkage: Type.Integer() }),
});
export type StaffingPlan = Static<typeof StaffingPlan>;
