/**
 * Erlang A (M/M/N+M, Palm's model): Erlang C plus callers who give up after an
 * exponential patience — exactly how bench:floor's callers behave when a
 * patience is set. Pure; used by floor-metrics next to Erlang C.
 *
 *   predictWithAbandonment(inputs) → AbandonmentPrediction | null
 *
 * Why it is needed: a caller who abandons leaves when the queue is long, which
 * is when leaving helps those behind most. Checked with a simulated floor
 * (test/unit/bench/floor-erlang-a.test.ts): at 10 Erl on 11 agents with a 60 s
 * patience Erlang C predicts 38 % while the floor answers 84 % (definition B),
 * and even Erlang C on the callers who did not abandon predicts only 66 %.
 * Erlang A predicts the floor within a point or two.
 *
 * How: the number in system is a birth–death chain (births λ, deaths
 * min(k, N)·μ + max(k − N, 0)·θ with μ = 1/handle, θ = 1/patience); an
 * arriving caller sees its stationary distribution (PASTA). A caller with m
 * others ahead moves up at rate N·μ + m·θ (a service ends or someone ahead
 * gives up) and gives up at rate θ; the chance of reaching an agent within τ
 * is computed by uniformisation of that small chain. Ringing is handled as in
 * floor-erlang.ts: agent time, and caller wait (assigned within T − ring).
 */
import type { ErlangInputs } from './floor-erlang';

export interface AbandonmentInputs extends ErlangInputs {
  /** Mean patience of a waiting caller, real seconds (exponential). */
  patienceSeconds: number;
}

export interface AbandonmentPrediction extends AbandonmentInputs {
  trafficErlangs: number;
  /** Probability of waiting for an agent at all. */
  pWait: number;
  /** Definition A: answered within T ÷ offered. */
  serviceLevelA: number;
  /** Definition B: answered within T ÷ (offered − abandoned within T). */
  serviceLevelB: number;
  /** Share of callers who give up before reaching an agent. */
  abandonShare: number;
}

/** States kept at most; far beyond any floor this bench runs (the queue is bounded by about λ/θ). */
const MAX_STATES = 200_000;
const NEGLIGIBLE = 1e-15;

/** Stationary distribution of the number in system, truncated where the rest is negligible. */
function stationary(lambda: number, mu: number, theta: number, agents: number): number[] {
  const q = [1];
  let sum = 1;
  for (let k = 1; k < MAX_STATES; k++) {
    const death = Math.min(k, agents) * mu + Math.max(k - agents, 0) * theta;
    const next = (q[k - 1]! * lambda) / death;
    q.push(next);
    sum += next;
    // Past the mode the terms only shrink (deaths grow with k, births do not).
    if (k > agents && lambda < death && next < NEGLIGIBLE * sum) break;
    if (sum > 1e250) {
      for (let i = 0; i < q.length; i++) q[i]! /= 1e250;
      sum /= 1e250;
    }
  }
  return q.map((v) => v / sum);
}

/**
 * For each number ahead m (0 … maxAhead): the probability of being assigned an
 * agent within `assignWithin` and of giving up within `abandonWithin`.
 */
function withinTimes(agents: number, mu: number, theta: number, maxAhead: number, assignWithin: number, abandonWithin: number): { assigned: Float64Array; abandoned: Float64Array } {
  const size = maxAhead + 1;
  const rate = agents * mu + (maxAhead + 1) * theta;
  const up = new Float64Array(size);
  const stay = new Float64Array(size);
  for (let m = 0; m < size; m++) {
    up[m] = (agents * mu + m * theta) / rate;
    stay[m] = 1 - up[m]! - theta / rate;
  }
  let reached = new Float64Array(size);
  let gaveUp = new Float64Array(size);
  const assigned = new Float64Array(size);
  const abandoned = new Float64Array(size);
  const horizon = Math.max(assignWithin, abandonWithin);
  const steps = Math.ceil(rate * horizon + 12 * Math.sqrt(rate * horizon) + 30);
  // Poisson weights by logarithm: e^(−Λτ) underflows for long horizons.
  const logWeight = (n: number, tau: number, previous: number): number => (n === 0 ? -rate * tau : previous + Math.log(rate * tau) - Math.log(n));
  let la = 0;
  let lb = 0;
  for (let n = 0; n <= steps; n++) {
    if (assignWithin > 0) {
      la = logWeight(n, assignWithin, la);
      const w = Math.exp(la);
      if (w > 0) for (let m = 0; m < size; m++) assigned[m]! += w * reached[m]!;
    }
    if (abandonWithin > 0) {
      lb = logWeight(n, abandonWithin, lb);
      const w = Math.exp(lb);
      if (w > 0) for (let m = 0; m < size; m++) abandoned[m]! += w * gaveUp[m]!;
    }
    const nextReached = new Float64Array(size);
    const nextGaveUp = new Float64Array(size);
    for (let m = 0; m < size; m++) {
      nextReached[m] = up[m]! * (m === 0 ? 1 : reached[m - 1]!) + stay[m]! * reached[m]!;
      nextGaveUp[m] = theta / rate + up[m]! * (m === 0 ? 0 : gaveUp[m - 1]!) + stay[m]! * gaveUp[m]!;
    }
    reached = nextReached;
    gaveUp = nextGaveUp;
  }
  return { assigned, abandoned };
}

/** Erlang A's figures for these inputs; null when there is no handle time, no agent or no patience to predict with. */
export function predictWithAbandonment(inputs: AbandonmentInputs): AbandonmentPrediction | null {
  const { arrivalsPerSecond: lambda, handleSeconds, ringSeconds, agents, thresholdSeconds, patienceSeconds } = inputs;
  if (!(handleSeconds > 0) || !(agents >= 1) || !(lambda >= 0) || !Number.isFinite(lambda) || !(patienceSeconds > 0) || !Number.isFinite(patienceSeconds)) return null;
  const n = Math.floor(agents);
  const mu = 1 / handleSeconds;
  const theta = 1 / patienceSeconds;
  const base = { ...inputs, trafficErlangs: lambda * handleSeconds };
  if (lambda === 0) return { ...base, pWait: 0, serviceLevelA: ringSeconds <= thresholdSeconds ? 1 : 0, serviceLevelB: ringSeconds <= thresholdSeconds ? 1 : 0, abandonShare: 0 };
  const pi = stationary(lambda, mu, theta, n);
  const maxAhead = Math.max(0, pi.length - n);
  const assignWithin = thresholdSeconds - ringSeconds;
  const { assigned, abandoned } = withinTimes(n, mu, theta, maxAhead, Math.max(0, assignWithin), thresholdSeconds);
  let pWait = 0;
  let answeredWithin = 0;
  let abandonedWithin = 0;
  let abandonShare = 0;
  for (let k = 0; k < pi.length; k++) {
    const p = pi[k]!;
    if (k < n) {
      answeredWithin += p;
      continue;
    }
    const ahead = k - n;
    pWait += p;
    answeredWithin += p * assigned[ahead]!;
    abandonedWithin += p * abandoned[ahead]!;
    // Reaching an agent from m ahead: Π (Nμ + iθ)/(Nμ + (i+1)θ) over i = 0 … m, which telescopes to Nμ/(Nμ + (m+1)θ).
    abandonShare += (p * (ahead + 1) * theta) / (n * mu + (ahead + 1) * theta);
  }
  // A ring longer than T: nobody is answered in time, however idle the agents.
  if (assignWithin < 0) answeredWithin = 0;
  const counted = 1 - abandonedWithin;
  return {
    ...base,
    pWait,
    serviceLevelA: Math.min(1, answeredWithin),
    serviceLevelB: counted > 0 ? Math.min(1, answeredWithin / counted) : 0,
    abandonShare,
  };
}
