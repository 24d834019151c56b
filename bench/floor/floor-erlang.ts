/**
 * What Erlang C predicts for a floor run (issue 16: "service level within 5
 * points of the Erlang C prediction"), pure. Used by floor-metrics.
 *
 *   predictFloor(inputs) → ErlangPrediction | null   (null: nothing to predict from)
 *
 * Two things the textbook model and the floor measure differently, handled here:
 *
 * - Ringing. The ACD reserves an agent at the assignment, but the caller's
 *   wait (the product's ASA and service level) ends at the agent's answer. So
 *   the ring delay is agent time (it belongs in Erlang C's service time, with
 *   talk and wrap-up) and also caller wait (a call answered within T was
 *   assigned within T − ring). The prediction therefore uses
 *   handle = ring + talk + wrap-up and threshold T − mean ring, and adds the
 *   mean ring to the predicted ASA. With a 2–6 s ring against T = 20 s this
 *   moves the prediction by several points; ignoring it would blame the
 *   system for the seeds' ring delay.
 * - Abandonment. Erlang C lets every caller wait for ever; with a patience
 *   set, floor-erlang-a.ts predicts the floor instead (floor-erlang-comparison.ts).
 *
 * All inputs and outputs in real (uncompressed) seconds: Erlang C is the same
 * for a compressed run (λ × c, times ÷ c give the same A, N and T/AHT), so
 * real units are simply the ones people read.
 */
import { evaluateStaffing } from '../../src/staffing/erlang-c';

export interface ErlangInputs {
  /** What these inputs are: 'nominal' (the settings), 'measured' (this run), 'abandoners removed'. */
  label: string;
  /** Calls offered to the operators' queues per real second. */
  arrivalsPerSecond: number;
  /** Agent time per answered call, real seconds: ring + talk + wrap-up. */
  handleSeconds: number;
  /** Mean ring delay, real seconds (part of handleSeconds, and of the caller's wait). */
  ringSeconds: number;
  agents: number;
  /** The service-level threshold T, real seconds. */
  thresholdSeconds: number;
}

export interface ErlangPrediction extends ErlangInputs {
  trafficErlangs: number;
  /** Probability of waiting for an agent at all (0–1). */
  pWait: number;
  /** Share of calls answered within T (0–1), ringing counted as wait. */
  serviceLevel: number;
  /** Mean wait until the agent answers, real seconds (ringing included; Infinity when agents ≤ traffic). */
  asaSeconds: number;
  /** Traffic ÷ agents (0–1): the share of agent time Erlang C expects to be spent on calls, ringing included. */
  occupancy: number;
}

/** Erlang C's figures for these inputs; null when there is no handle time or no agent to predict with. */
export function predictFloor(inputs: ErlangInputs): ErlangPrediction | null {
  const { arrivalsPerSecond, handleSeconds, ringSeconds, agents, thresholdSeconds } = inputs;
  if (!(handleSeconds > 0) || !(agents >= 1) || !(arrivalsPerSecond >= 0) || !Number.isFinite(arrivalsPerSecond)) return null;
  const trafficErlangs = arrivalsPerSecond * handleSeconds;
  const assignedWithin = thresholdSeconds - ringSeconds;
  const figures = evaluateStaffing(Math.floor(agents), trafficErlangs, handleSeconds, Math.max(0, assignedWithin));
  return {
    ...inputs,
    trafficErlangs,
    pWait: figures.pWait,
    // A ring longer than T means no call can be answered within T, however idle the agents.
    serviceLevel: assignedWithin < 0 ? 0 : figures.serviceLevel,
    asaSeconds: figures.asaSeconds + ringSeconds,
    occupancy: figures.occupancy,
  };
}

/** measured − predicted, in percentage points (0.85 against 0.90 → −5); null when either is missing. */
export function deviationPoints(measured: number | null, predicted: number | null): number | null {
  if (measured === null || predicted === null) return null;
  return (measured - predicted) * 100;
}
