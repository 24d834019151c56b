/**
 * Erlang C: the M/M/N queue behind every call-center staffing plan. Calls
 * arrive at random (Poisson), handle times are exponential, callers wait
 * (nobody abandons) and N agents serve them. Pure functions, no I/O.
 *
 * Everything is computed from the Erlang B recursion
 *   B(0) = 1,  B(n) = A·B(n−1) / (n + A·B(n−1)),
 * which stays within [0, 1] at every step, so it neither overflows nor loses
 * precision where the textbook form Aᴺ/N! does (A of several hundred Erlangs
 * gives 10⁶⁰⁰-sized terms there). Erlang C then follows from
 *   C(N, A) = N·B / (N − A·(1 − B)).
 *
 * Reference: G. Koole, "Call Center Optimization" (2013), ch. 5; the service
 * level and ASA formulas below are the standard ones given there.
 */

function assertFinite(value: number, what: string, min: number): void {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${what} must be a finite number ≥ ${min}, got ${value}`);
}

function assertAgents(agents: number): void {
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError(`agents must be a non-negative integer, got ${agents}`);
}

/** Offered load in Erlangs: calls × average handle time ÷ interval length (same time unit for both). */
export function trafficIntensity(calls: number, intervalSeconds: number, ahtSeconds: number): number {
  assertFinite(calls, 'calls', 0);
  assertFinite(ahtSeconds, 'ahtSeconds', 0);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) throw new RangeError(`intervalSeconds must be positive, got ${intervalSeconds}`);
  return (calls * ahtSeconds) / intervalSeconds;
}

/** One step of the Erlang B recursion: blocking with `agents` servers from the value with one fewer. */
function erlangBStep(previous: number, agents: number, traffic: number): number {
  const x = traffic * previous;
  return x / (agents + x);
}

/** Erlang B: the probability that a call finds all `agents` busy in a loss system (no waiting room). */
export function erlangB(agents: number, traffic: number): number {
  assertAgents(agents);
  assertFinite(traffic, 'traffic', 0);
  let b = 1;
  for (let n = 1; n <= agents; n++) b = erlangBStep(b, n, traffic);
  return b;
}

/** Erlang C from Erlang B for the same N and A (valid for N > A). */
function erlangCFromB(b: number, agents: number, traffic: number): number {
  return (agents * b) / (agents - traffic * (1 - b));
}

/**
 * Erlang C: the probability that a call has to wait (all agents busy on
 * arrival). 1 when agents ≤ traffic: the queue then grows without bound.
 */
export function erlangC(agents: number, traffic: number): number {
  assertAgents(agents);
  assertFinite(traffic, 'traffic', 0);
  if (traffic === 0) return 0;
  if (agents <= traffic) return 1;
  return erlangCFromB(erlangB(agents, traffic), agents, traffic);
}

/** What `agents` agents achieve against `traffic` Erlangs. */
export interface StaffingFigures {
  agents: number;
  trafficErlangs: number;
  /** Erlang C: probability of waiting at all (0–1). */
  pWait: number;
  /** Fraction of calls answered within the threshold (0–1). */
  serviceLevel: number;
  /** Average speed of answer in seconds; Infinity when the queue is unstable (agents ≤ traffic). */
  asaSeconds: number;
  /** Fraction of the agents' time spent handling calls (0–1). */
  occupancy: number;
}

function figuresFrom(pWait: number, agents: number, traffic: number, ahtSeconds: number, slSeconds: number): StaffingFigures {
  if (traffic === 0) return { agents, trafficErlangs: 0, pWait: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 };
  if (agents <= traffic) return { agents, trafficErlangs: traffic, pWait: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 };
  // P(wait > t) = C · e^(−(N−A)·t/AHT): the waiting time of delayed calls is exponential.
  const serviceLevel = 1 - pWait * Math.exp((-(agents - traffic) * slSeconds) / ahtSeconds);
  return {
    agents,
    trafficErlangs: traffic,
    pWait,
    serviceLevel: Math.min(1, Math.max(0, serviceLevel)),
    asaSeconds: (pWait * ahtSeconds) / (agents - traffic),
    occupancy: traffic / agents,
  };
}

/** Probability of waiting, service level, ASA and occupancy for a given headcount on the phones. */
export function evaluateStaffing(agents: number, traffic: number, ahtSeconds: number, slSeconds: number): StaffingFigures {
  assertAgents(agents);
  assertFinite(traffic, 'traffic', 0);
  assertFinite(slSeconds, 'slSeconds', 0);
  if (!Number.isFinite(ahtSeconds) || ahtSeconds <= 0) throw new RangeError(`ahtSeconds must be positive, got ${ahtSeconds}`);
  return figuresFrom(erlangC(agents, traffic), agents, traffic, ahtSeconds, slSeconds);
}

/** Expected service level (0–1) with `agents` agents: the share of calls answered within `slSeconds`. */
export function serviceLevel(agents: number, traffic: number, ahtSeconds: number, slSeconds: number): number {
  return evaluateStaffing(agents, traffic, ahtSeconds, slSeconds).serviceLevel;
}

/** Average speed of answer in seconds (Infinity when agents ≤ traffic). */
export function averageSpeedOfAnswer(agents: number, traffic: number, ahtSeconds: number): number {
  return evaluateStaffing(agents, traffic, ahtSeconds, 0).asaSeconds;
}

export interface ServiceTarget {
  /** Required share answered within `slSeconds`, 0 < target < 1 (0.9 for "90 %"). */
  serviceLevel: number;
  slSeconds: number;
  ahtSeconds: number;
  /** Optional cap on occupancy (0 < cap ≤ 1): agents burn out above ~85–90 %. */
  maxOccupancy?: number;
}

/** Far more than any real target needs; reaching it means the inputs are wrong, not the maths. */
const SEARCH_MARGIN = 100_000;

/**
 * The smallest number of agents N with N > A (a stable queue), service level
 * ≥ target and, when given, occupancy ≤ the cap. 0 for no traffic. Walks N
 * upwards carrying the Erlang B value along, so the whole search costs
 * O(N) arithmetic whatever the load.
 */
export function agentsNeeded(traffic: number, target: ServiceTarget): number {
  assertFinite(traffic, 'traffic', 0);
  if (!(target.serviceLevel > 0 && target.serviceLevel < 1)) throw new RangeError(`serviceLevel must be in (0, 1), got ${target.serviceLevel}`);
  assertFinite(target.slSeconds, 'slSeconds', 0);
  if (!Number.isFinite(target.ahtSeconds) || target.ahtSeconds <= 0) throw new RangeError(`ahtSeconds must be positive, got ${target.ahtSeconds}`);
  const cap = target.maxOccupancy;
  if (cap !== undefined && !(cap > 0 && cap <= 1)) throw new RangeError(`maxOccupancy must be in (0, 1], got ${cap}`);
  if (traffic === 0) return 0;
  // Occupancy A/N ≤ cap ⇔ N ≥ A/cap; the small tolerance keeps 14/0.7-style quotients from rounding up a whole agent.
  const occupancyFloor = cap === undefined ? 0 : Math.ceil(traffic / cap - 1e-9);
  let b = 1;
  for (let n = 1; n <= Math.ceil(traffic) + SEARCH_MARGIN; n++) {
    b = erlangBStep(b, n, traffic);
    if (n <= traffic || n < occupancyFloor) continue;
    const figures = figuresFrom(erlangCFromB(b, n, traffic), n, traffic, target.ahtSeconds, target.slSeconds);
    if (figures.serviceLevel >= target.serviceLevel) return n;
  }
  throw new RangeError(`no headcount up to ${Math.ceil(traffic) + SEARCH_MARGIN} reaches the target`);
}

/**
 * Agents to schedule so that `onPhones` remain after shrinkage (breaks,
 * training, absence: 0 ≤ shrinkage < 1).
 */
export function scheduledWithShrinkage(onPhones: number, shrinkage: number): number {
  assertAgents(onPhones);
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1), got ${shrinkage}`);
  if (onPhones === 0) return 0;
  return Math.ceil(onPhones / (1 - shrinkage) - 1e-9);
}

/** Agents left on the phones out of `scheduled` after shrinkage (the inverse of scheduledWithShrinkage). */
export function onPhonesAfterShrinkage(scheduled: number, shrinkage: number): number {
  assertAgents(scheduled);
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1), got ${shrinkage}`);
  return Math.floor(scheduled * (1 - shrinkage) + 1e-9);
}
