import {
  agentsNeeded, evaluateStaffing, onPhonesAfterShrinkage, scheduledWithShrinkage, trafficIntensity, type StaffingFigures,
} from './erlang-c';

/** A forecast: calls expected in each interval of equal length. */
export interface StaffingPlanRequest {
  intervals: Array<{ start: string; calls: number }>;
  intervalMinutes: number;
  ahtSeconds: number;
  /** Target share answered within `slSeconds`, in percent (90 for "90 % within 20 s"). */
  slPercent: number;
  slSeconds: number;
  /** Share of scheduled time not spent on the phones (breaks, training, absence), percent; default 0. */
  shrinkagePercent?: number;
  /** Occupancy cap in percent; default none. */
  maxOccupancyPercent?: number;
  /**
   * Agents scheduled in every interval. When given, the expected figures are
   * for this headcount (after shrinkage) instead of for the agents needed.
   */
  headcount?: number;
}

/** One interval of the plan. Percentages are 0–100; `pWait` is a probability 0–1. */
export interface IntervalPlan {
  start: string;
  calls: number;
  trafficErlangs: number;
  /** Agents on the phones needed for the target (Erlang C). */
  agentsNeeded: number;
  /** Agents to schedule so that `agentsNeeded` remain after shrinkage. */
  withShrinkage: number;
  /** The agents the figures below are for: the headcount after shrinkage, or `agentsNeeded`. */
  agentsEvaluated: number;
  /** Expected service level, percent. */
  expectedSl: number;
  /** Average speed of answer; null when the queue is unstable (agents ≤ traffic: the wait grows without bound). */
  asaSeconds: number | null;
  /** Percent. */
  occupancy: number;
  /** Probability of waiting at all (Erlang C), 0–1. */
  pWait: number;
  /** Only with a headcount: whether it meets the target. */
  meetsTarget?: boolean;
}

export interface StaffingPlan {
  intervals: IntervalPlan[];
  totalCalls: number;
  /** The largest `agentsNeeded` over the intervals, and the first interval needing it. */
  peak: { start: string | null; agentsNeeded: number; withShrinkage: number };
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

function present(figures: StaffingFigures): Pick<IntervalPlan, 'expectedSl' | 'asaSeconds' | 'occupancy' | 'pWait'> {
  return {
    expectedSl: round(figures.serviceLevel * 100, 2),
    asaSeconds: Number.isFinite(figures.asaSeconds) ? round(figures.asaSeconds, 1) : null,
    occupancy: round(figures.occupancy * 100, 2),
    pWait: round(figures.pWait, 4),
  };
}

/** The staffing plan for a forecast: per interval the load, the agents needed and what they (or the given headcount) achieve. */
export function planStaffing(request: StaffingPlanRequest): StaffingPlan {
  const shrinkage = (request.shrinkagePercent ?? 0) / 100;
  const target = {
    serviceLevel: request.slPercent / 100,
    slSeconds: request.slSeconds,
    ahtSeconds: request.ahtSeconds,
    ...(request.maxOccupancyPercent !== undefined ? { maxOccupancy: request.maxOccupancyPercent / 100 } : {}),
  };
  const onPhones = request.headcount === undefined ? undefined : onPhonesAfterShrinkage(request.headcount, shrinkage);
  const intervals = request.intervals.map((interval): IntervalPlan => {
    const traffic = trafficIntensity(interval.calls, request.intervalMinutes * 60, request.ahtSeconds);
    const needed = agentsNeeded(traffic, target);
    const evaluated = onPhones ?? needed;
    const figures = evaluateStaffing(evaluated, traffic, request.ahtSeconds, request.slSeconds);
    return {
      start: interval.start,
      calls: interval.calls,
      trafficErlangs: round(traffic, 3),
      agentsNeeded: needed,
      withShrinkage: scheduledWithShrinkage(needed, shrinkage),
      agentsEvaluated: evaluated,
      ...present(figures),
      ...(onPhones !== undefined ? { meetsTarget: onPhones >= needed } : {}),
    };
  });
  let peak: StaffingPlan['peak'] = { start: null, agentsNeeded: 0, withShrinkage: 0 };
  for (const i of intervals) {
    if (peak.start === null || i.agentsNeeded > peak.agentsNeeded) peak = { start: i.start, agentsNeeded: i.agentsNeeded, withShrinkage: i.withShrinkage };
  }
  return { intervals, totalCalls: intervals.reduce((n, i) => n + i.calls, 0), peak };
}
