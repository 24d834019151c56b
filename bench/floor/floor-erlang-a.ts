/**
 * Erlang C plus callers who give up: the M/M/N+G queue with the floor's
 * patience — a share q of callers gives up after an exponential patience
 * (mean 1/θ), the others wait as long as it takes; q = 1 is Erlang A (Palm's
 * model). Pure; used by floor-metrics next to Erlang C.
 *
 *   predictWithAbandonment(inputs) → AbandonmentPrediction | null
 *
 * Why it is needed: a caller who abandons leaves when the queue is long, which
 * is when leaving helps those behind most. Checked with simulated floors
 * (test/unit/bench/floor-erlang-a.test.ts): at 10 Erl on 11 agents with a 60 s
 * patience Erlang C predicts 38 % while the floor answers 84 % (definition B),
 * and even Erlang C on the callers who did not abandon predicts only 66 %.
 * This model predicts the simulations within a point.
 *
 * How (exact for FIFO M/M/N+G: Baccelli & Hebuterne 1981; the formulas as
 * summarised by Zeltyn & Mandelbaum, "The M/M/n+G queue: summary of
 * performance measures", 2005): with Ḡ(x) the share of callers still
 * patient after waiting x, H(x) = ∫₀ˣ Ḡ, φ(x) = λH(x) − Nμx,
 * E = Σ_{j<N} (A^j/j!) ÷ (A^(N−1)/(N−1)!) and J = ∫₀^∞ e^φ, the offered wait V
 * (how long a caller who never gives up would wait) is 0 with probability
 * E/(E + λJ) and has density λe^φ(x)/(E + λJ) above 0. A caller with patience
 * τ is answered if V ≤ τ, after V; gives up at τ otherwise. Integrals by
 * Simpson's rule on a grid of doubling segments, fine near 0 and reaching where
 * e^φ is negligible, in logarithms (e^φ reaches 10^300 at busy floors). Ringing is handled as in
 * floor-erlang.ts: agent time, and caller wait (assigned within T − ring); a
 * caller giving up while the phone rings is not modelled (rings are seconds,
 * patience minutes).
 */
import type { ErlangInputs } from './floor-erlang';

export interface AbandonmentInputs extends ErlangInputs {
  /** Mean patience of an impatient caller, real seconds (exponential). */
  patienceSeconds: number;
  /** Share of callers who have a patience at all, the others waiting as long as it takes (default 1: everyone). */
  impatientShare?: number;
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

/** Simpson intervals per grid segment (even). */
const INTERVALS = 64;
/** e^−60 of the peak: where the tail of e^φ stops mattering. */
const NEGLIGIBLE_LOG = 60;

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** log E, E = Σ_{j=0}^{N−1} (A^j/j!) ÷ (A^(N−1)/(N−1)!), summed from the top term down (each term the previous × j/A). */
function logE(agents: number, traffic: number): number {
  let logTerm = 0;
  let logSum = 0;
  for (let j = agents - 1; j >= 1; j--) {
    logTerm += Math.log(j / traffic);
    logSum = logAddExp(logSum, logTerm);
  }
  return logSum;
}

/** Simpson's rule for ∫ f over [a, b] with `INTERVALS` intervals. */
function simpson(a: number, b: number, f: (x: number) => number): number {
  if (!(b > a)) return 0;
  const h = (b - a) / INTERVALS;
  let sum = f(a) + f(b);
  for (let i = 1; i < INTERVALS; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

export function predictWithAbandonment(inputs: AbandonmentInputs): AbandonmentPrediction | null {
  const { arrivalsPerSecond: lambda, handleSeconds, ringSeconds, agents, thresholdSeconds, patienceSeconds } = inputs;
  const q = inputs.impatientShare ?? 1;
  if (!(handleSeconds > 0) || !(agents >= 1) || !(lambda >= 0) || !Number.isFinite(lambda) || !(patienceSeconds > 0) || !Number.isFinite(patienceSeconds)) return null;
  if (!(q > 0 && q <= 1)) return null;
  const n = Math.floor(agents);
  const mu = 1 / handleSeconds;
  const theta = 1 / patienceSeconds;
  const traffic = lambda * handleSeconds;
  const base = { ...inputs, trafficErlangs: traffic };
  const inTime = ringSeconds <= thresholdSeconds;
  if (lambda === 0) return { ...base, pWait: 0, serviceLevelA: inTime ? 1 : 0, serviceLevelB: inTime ? 1 : 0, abandonShare: 0 };
  // The callers who never give up alone overload the agents: their waits grow without bound.
  if (lambda * (1 - q) >= n * mu) return { ...base, pWait: 1, serviceLevelA: 0, serviceLevelB: 0, abandonShare: q };

  const stillWaiting = (x: number): number => 1 - q + q * Math.exp(-theta * x);
  const gaveUp = (x: number): number => q * (1 - Math.exp(-theta * x));
  const phi = (x: number): number => lambda * ((1 - q) * x + (q * (1 - Math.exp(-theta * x))) / theta) - n * mu * x;
  // φ is concave (φ″ = −λqθe^(−θx) ≤ 0): its peak is where λḠ(x) = Nμ, or at 0.
  const peakAt = lambda <= n * mu ? 0 : -Math.log((n * mu / lambda - (1 - q)) / q) / theta;
  const peak = phi(peakAt);

  // Grid: edges doubling from far below every time scale of the model (so the first segments resolve a
  // steep start) until e^φ is negligible past the peak, plus T − ring and T.
  const assignWithin = Math.max(0, thresholdSeconds - ringSeconds);
  const slopeAtZero = Math.abs(lambda - n * mu);
  const smallest = Math.min(thresholdSeconds > 0 ? thresholdSeconds : 1, patienceSeconds, handleSeconds, slopeAtZero > 0 ? 1 / slopeAtZero : Infinity);
  const doubling: number[] = [];
  for (let x = smallest * 1e-4; doubling.length < 400; x *= 2) {
    doubling.push(x);
    if (x > peakAt && x > thresholdSeconds && phi(x) < peak - NEGLIGIBLE_LOG) break;
  }
  const edges = [0, ...new Set([...doubling, assignWithin, thresholdSeconds])].filter((x) => x >= 0).sort((a, b) => a - b)
    .filter((x, i, all) => i === 0 || x > all[i - 1]!);
  // ∫₀^upTo e^(φ − peak) × weight, segment by segment (T − ring and T are edges, so no segment is cut).
  const integral = (weight: (x: number) => number, upTo = Infinity): number => {
    let sum = 0;
    for (let i = 1; i < edges.length && edges[i]! <= upTo; i++) sum += simpson(edges[i - 1]!, edges[i]!, (x) => Math.exp(phi(x) - peak) * weight(x));
    return sum;
  };
  const one = (): number => 1;
  const j = integral(one);
  const logJ = Math.log(j) + peak;
  const logDenominator = logAddExp(logE(n, traffic), Math.log(lambda) + logJ);
  // f_V(x) = λe^φ(x) ÷ (E + λJ) = factor × e^(φ(x) − peak).
  const factor = Math.exp(Math.log(lambda) + peak - logDenominator);
  const pWait = factor * j;
  const answeredWithin = inTime ? 1 - pWait + factor * integral(stillWaiting, assignWithin) : 0;
  // Gave up by T: offered wait x ≤ T and patience < x, or offered wait > T and patience ≤ T.
  const abandonedWithin = factor * integral(gaveUp, thresholdSeconds) + gaveUp(thresholdSeconds) * (pWait - factor * integral(one, thresholdSeconds));
  const counted = 1 - abandonedWithin;
  return {
    ...base,
    pWait: Math.min(1, pWait),
    serviceLevelA: Math.min(1, Math.max(0, answeredWithin)),
    serviceLevelB: counted > 0 ? Math.min(1, Math.max(0, answeredWithin / counted)) : 0,
    abandonShare: Math.min(1, factor * integral(gaveUp)),
  };
}
