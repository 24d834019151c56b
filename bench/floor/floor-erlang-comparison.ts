/**
 * The floor's measured service level against queueing theory, pure (used by
 * floor-metrics; the result is FloorSummary.erlangC).
 *
 *   compareWithErlang(run, measures, operatorCallerKinds, arrivalWindowMs) → ErlangComparison
 *
 * Erlang C is predicted twice: from the settings (nominal) and from the run
 * itself (offered ÷ arrival window, agent time per answered call, mean ring),
 * so the second one tests the system rather than the luck of the draw. When
 * callers have a patience, Erlang C (nobody abandons) is far too pessimistic —
 * tens of points at a busy floor, see floor-erlang-a.ts — and a floor could
 * miss its service level by that much without breaking "5 points below Erlang
 * C". Erlang A (Erlang C plus the run's exponential patience, for the share of
 * callers who have one: floor-erlang-a.ts) is then computed as well, and the
 * limit's bound is checked against it; the note says how far apart the two
 * models are.
 */
import { predictWithAbandonment, type AbandonmentPrediction } from './floor-erlang-a';
import { deviationPoints, predictFloor, type ErlangPrediction } from './floor-erlang';
import type { CallerKind, FloorRun } from './floor-run';

export interface ErlangComparison {
  /** Which measured SL the models are compared with: A without patience (every offered call should be answered), B with it. */
  comparedDefinition: 'A' | 'B';
  /** The SL of the operator-queue calls any operator may answer (floor-metrics' OPERATOR_CALLER_KINDS): the models' population. */
  measuredServiceLevel: number | null;
  /** Calls in those queues and in the comparison; calls left out (callers waiting for particular people: key clients, debtors). */
  comparedCalls: number;
  excludedCalls: number;
  /**
   * The measured SL's binomial standard error, in points: √(p(1−p)/n) over the
   * calls it counts. Consecutive callers' waits are correlated, so the real
   * noise is larger: a deviation within ~2 of these is no evidence either way.
   */
  measuredStandardErrorPoints: number | null;
  /** Erlang C from the settings: operators' share of the arrival rate, talk + wrap-up + mean ring. */
  nominal: ErlangPrediction | null;
  /** Erlang C from this run: offered ÷ arrival window, agent time per answered call, mean ring. */
  measured: ErlangPrediction | null;
  /** Erlang A from this run's inputs and the settings' patience (and impatient share); null when nobody has a patience. */
  withAbandonment: AbandonmentPrediction | null;
  /** measured SL − prediction, percentage points. */
  deviationFromNominalPoints: number | null;
  deviationFromMeasuredPoints: number | null;
  deviationFromAbandonmentPoints: number | null;
  /** The model the limit's service-level bound is checked against: Erlang C, or Erlang A when callers have a patience. */
  boundModel: 'Erlang C' | 'Erlang A';
  /** That model's prediction for the compared definition, and measured − it in points. */
  boundServiceLevel: number | null;
  boundDeviationPoints: number | null;
  /** How abandonment bears on the comparison; null when nobody has a patience. */
  abandonmentNote: string | null;
}

/** What the comparison needs from the operator queues' figures. */
export interface ErlangMeasures {
  offered: number;
  answered: number;
  /** Talk of the answered operator-queue calls, run ms (from the rows). */
  talkMs: number;
  /** Calls any agent of the floor answered (operators, key-account managers, finance): agentTime is theirs. */
  allAnswered: number;
  abandoned: number;
  measuredServiceLevel: number | null;
  /** The calls the compared definition divides by. */
  measuredCalls: number;
  comparedDefinition: 'A' | 'B';
  /** Operator-queue calls of callers waiting for particular people, left out of the comparison. */
  excludedCalls: number;
}

export function compareWithErlang(run: FloorRun, m: ErlangMeasures, kinds: readonly CallerKind[], arrivalWindowMs: number): ErlangComparison {
  const s = run.settings;
  const c = s.compression;
  const thresholdSeconds = s.serviceLevelSeconds;
  const operatorShare = kinds.reduce((sum, kind) => sum + (s.callerMix[kind] ?? 0), 0);
  const nominalRing = (s.ringDelaySeconds.min + s.ringDelaySeconds.max) / 2;
  const nominal = predictFloor({
    label: 'nominal', arrivalsPerSecond: (s.arrivalsPerSecond * operatorShare) / c, handleSeconds: nominalRing + s.talkMeanSeconds + s.wrapUpSeconds,
    ringSeconds: nominalRing, agents: s.agents, thresholdSeconds,
  });
  const t = run.agentTime;
  const windowRealSeconds = (arrivalWindowMs / 1000) * c;
  // Agent time per answered operator-queue call: its own talk (rows), and the mean ring and wrap-up of the
  // floor (agentTime covers every agent, so its ring and wrap-up are shared out per ring and per answered call).
  // Rings include those whose caller hung up meanwhile: all of it was agent time.
  const rings = Math.max(run.ringLatenciesMs.length, m.allAnswered);
  const ringSeconds = rings > 0 ? (t.ringingMs / rings / 1000) * c : 0;
  const wrapSeconds = m.allAnswered > 0 ? (t.wrapUpMs / m.allAnswered / 1000) * c : 0;
  const handleSeconds = m.answered > 0 ? ringSeconds + (m.talkMs / m.answered / 1000) * c + wrapSeconds : 0;
  const measuredInputs = { arrivalsPerSecond: windowRealSeconds > 0 ? m.offered / windowRealSeconds : NaN, ringSeconds, handleSeconds, agents: s.agents, thresholdSeconds };
  const measured = predictFloor({ label: 'measured', ...measuredInputs });
  const patience = s.patienceMeanSeconds;
  const impatientShare = s.impatientShare ?? 1;
  const abandons = patience !== null && impatientShare > 0;
  const withAbandonment = !abandons
    ? null
    : predictWithAbandonment({ label: 'measured, with abandonment', ...measuredInputs, patienceSeconds: patience, impatientShare });
  const sl = m.measuredServiceLevel;
  const abandonmentSl = withAbandonment === null ? null : m.comparedDefinition === 'A' ? withAbandonment.serviceLevelA : withAbandonment.serviceLevelB;
  const boundModel = abandons ? 'Erlang A' : 'Erlang C';
  const boundServiceLevel = abandons ? abandonmentSl : (measured?.serviceLevel ?? null);
  return {
    comparedDefinition: m.comparedDefinition,
    measuredServiceLevel: sl,
    comparedCalls: m.offered,
    excludedCalls: m.excludedCalls,
    measuredStandardErrorPoints: sl === null || m.measuredCalls === 0 ? null : Math.sqrt((sl * (1 - sl)) / m.measuredCalls) * 100,
    nominal,
    measured,
    withAbandonment,
    deviationFromNominalPoints: deviationPoints(sl, nominal?.serviceLevel ?? null),
    deviationFromMeasuredPoints: deviationPoints(sl, measured?.serviceLevel ?? null),
    deviationFromAbandonmentPoints: deviationPoints(sl, abandonmentSl),
    boundModel,
    boundServiceLevel,
    boundDeviationPoints: deviationPoints(sl, boundServiceLevel),
    abandonmentNote: !abandons ? null : abandonmentNote(patience, impatientShare, m, measured, withAbandonment, abandonmentSl),
  };
}

function abandonmentNote(patience: number, share: number, m: ErlangMeasures, measured: ErlangPrediction | null, a: AbandonmentPrediction | null, aSl: number | null): string {
  const rate = m.offered > 0 ? m.abandoned / m.offered : 0;
  const who = share < 1 ? `${(share * 100).toFixed(0)} % of callers with a mean patience of ${patience} s` : `mean patience ${patience} s`;
  const head = `callers abandon (${who}): ${(rate * 100).toFixed(1)} % of the operator queues' callers did`
    + (a ? `, Erlang A expects ${(a.abandonShare * 100).toFixed(1)} %` : '');
  if (!measured || !a || aSl === null) return `${head}; the service-level bound is checked against Erlang A (Erlang C plus the run's patience)`;
  const gap = (aSl - measured.serviceLevel) * 100;
  return `${head}. Erlang C, which lets everyone wait, predicts ${(measured.serviceLevel * 100).toFixed(1)} %, ${gap.toFixed(1)} points below Erlang A's `
    + `${(aSl * 100).toFixed(1)} % (definition ${m.comparedDefinition}): checked against Erlang C the floor could fall that far short unnoticed, `
    + 'so the service-level bound is checked against Erlang A';
}
