/**
 * The figures of a floor run as table rows (figure, measured, target, verdict),
 * shared by the text and the HTML report so both show the same thing. Pure.
 *
 *   floorFigureRows(summary, run) → FigureRow[]
 *   cpuRows(summary)              → string[][]   component, CPU mean/p95/max, RSS max
 *   floorNotes(summary, run)      → string[]     the lists behind the counts (missing rows, silent recordings, errors…)
 *   floorHeadline(run), verdictLines(verdict)     what was run; whether it stayed within the bounds
 *   LIMIT_HEADER, limitRows(history), limitSentence(search), limitFromHistory(history)   the --find-limit table
 *
 * Targets are the issue's (ring p99 < 100 ms, IVR audio p99 < 500 ms, 0 lost
 * rows, 0 silent recordings, 0 leftover sessions, SL within 5 points of Erlang
 * C) and the seeds' (operators talk 55–66 % of their time). `met` is null for
 * a figure without a target.
 */
import type { ErlangPrediction } from './floor-erlang';
import { LIMIT_BOUNDS, type LimitSearch, type LimitStep, type LimitVerdict } from './floor-limit';
import type { FloorSummary, OutcomeCounts } from './floor-metrics';
import type { FloorRun } from './floor-run';

export interface FigureRow {
  figure: string;
  measured: string;
  target: string;
  /** true: target met; false: missed; null: no target. */
  met: boolean | null;
}

/** The seeds' share of an hour operators spend talking (design §1). */
export const TALK_SHARE_TARGET = { min: 0.55, max: 0.66 } as const;

const DASH = '—';

export function pct(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined || !Number.isFinite(share) ? DASH : `${(share * 100).toFixed(digits)} %`;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

export function seconds(valueMs: number | null | undefined): string {
  if (valueMs === null || valueMs === undefined) return DASH;
  if (!Number.isFinite(valueMs)) return '∞';
  return `${(valueMs / 1000).toFixed(1)} s`;
}

function num(value: number | null | undefined, digits = 1): string {
  if (value === Infinity) return '∞';
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : value.toFixed(digits);
}

export function mib(bytes: number | null): string {
  return bytes === null ? DASH : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function points(value: number | null): string {
  return value === null ? DASH : `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} points`;
}

function counts(c: OutcomeCounts): string {
  return `${c.calls} / ${c.answered} / ${c.abandoned} / ${c.other}`;
}

function outcomes(c: OutcomeCounts): string {
  const entries = Object.entries(c.byOutcome).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? DASH : entries.map(([outcome, n]) => `${outcome} ${n}`).join(', ');
}

function prediction(label: string, p: ErlangPrediction | null, deviation: number | null): FigureRow {
  return {
    figure: `Erlang C SL, ${label} inputs`,
    measured: p === null ? DASH : `${pct(p.serviceLevel)} (ASA ${num(p.asaSeconds)} s); measured ${points(deviation)}`,
    target: '',
    met: null,
  };
}

/** What a prediction was computed from, for the notes. */
function predictionInputs(p: ErlangPrediction): string {
  return `Erlang C, ${p.label} inputs: ${p.arrivalsPerSecond.toFixed(4)} calls/s real to the operators, handle ${num(p.handleSeconds)} s `
    + `(ring ${num(p.ringSeconds)} s + talk + wrap-up), ${p.agents} agents, ${num(p.trafficErlangs, 2)} Erl, occupancy ${pct(p.occupancy)}, `
    + `answered within T = assigned within ${num(Math.max(0, p.thresholdSeconds - p.ringSeconds))} s`;
}

function atMost(value: number | null, limit: number): boolean | null {
  return value === null ? false : value <= limit;
}

/** The report's main table. */
export function floorFigureRows(summary: FloorSummary, run: FloorRun): FigureRow[] {
  const s = summary;
  const setting = run.settings;
  const e = s.erlangC;
  const below = e.boundDeviationPoints === null ? null : -e.boundDeviationPoints;
  const a = e.withAbandonment;
  const talk = s.occupancy.talkShareWhileArriving;
  const row = (figure: string, measured: string, target = '', met: boolean | null = null): FigureRow => ({ figure, measured, target, met });
  return [
    row('calls placed / rows written', `${s.rows.placed} / ${s.rows.written}`),
    row('callers refused by the overload control (503, no row by design)', String(s.rows.refusedSipCallIds.length), '0', s.rows.refusedSipCallIds.length === 0),
    row('operator queues: offered / answered / abandoned / other', counts(s.calls.operatorQueue)),
    row('operator queues: outcomes', outcomes(s.calls.operatorQueue)),
    row('all calls: placed / answered / abandoned / other', counts(s.calls.all)),
    row('all calls: outcomes', outcomes(s.calls.all)),
    row('service-level threshold T', `${seconds(s.serviceLevelThreshold.realMs)} real (${seconds(s.serviceLevelThreshold.runMs)} of run)`),
    row('service level A: answered ≤ T ÷ offered', pct(s.serviceLevel.definitionA)),
    row('service level B: answered ≤ T ÷ (answered + abandoned after T)', pct(s.serviceLevel.definitionB)),
    row(`compared calls: service level ${e.comparedDefinition}`, pct(e.measuredServiceLevel)),
    row(`service level ${e.comparedDefinition} − ${e.boundModel} (run's own inputs)`,
      e.measuredStandardErrorPoints === null ? points(e.boundDeviationPoints)
        : `${points(e.boundDeviationPoints)} (noise: ±${(2 * e.measuredStandardErrorPoints).toFixed(1)} at 2 binomial σ, more in truth)`,
      `≥ −${LIMIT_BOUNDS.serviceLevelBelowErlangPoints} points`, atMost(below, LIMIT_BOUNDS.serviceLevelBelowErlangPoints)),
    prediction('measured', e.measured, e.deviationFromMeasuredPoints),
    prediction('nominal', e.nominal, e.deviationFromNominalPoints),
    ...(a ? [row('Erlang A SL (with the patience), measured inputs',
      `A ${pct(a.serviceLevelA)} / B ${pct(a.serviceLevelB)}, abandons ${pct(a.abandonShare)}; measured ${points(e.deviationFromAbandonmentPoints)}`)] : []),
    row('ASA', `${seconds(s.asa.realMs)} real (${seconds(s.asa.runMs)} of run)`),
    row('AHT (talk + wrap-up)', `${seconds(s.aht.realMs)} real (${seconds(s.aht.runMs)} of run); nominal ${setting.talkMeanSeconds + setting.wrapUpSeconds} s`),
    row('abandon rate (operator queues)', pct(s.abandonRate)),
    row('occupancy: (talk + ring + wrap-up) ÷ logged in', pct(s.occupancy.busyShare)),
    row('talk share: talking ÷ logged in, whole run', pct(s.occupancy.talkShare)),
    // The seeds' figure is for an hour of steady traffic: the drain after the arrivals stop is the bench's, not the floor's.
    row('talk share while callers arrive (snapshots)', pct(talk), `${Math.round(TALK_SHARE_TARGET.min * 100)}–${Math.round(TALK_SHARE_TARGET.max * 100)} %`,
      talk === null ? false : talk >= TALK_SHARE_TARGET.min && talk <= TALK_SHARE_TARGET.max),
    row('concurrent answered calls: mean / peak', `${num(s.concurrency.talkingMean)} / ${num(s.concurrency.talkingPeak, 0)}`),
    row('waiting callers peak / in IVR peak', `${num(s.concurrency.waitingPeak, 0)} / ${num(s.concurrency.inIvrPeak, 0)}`),
    row('ring latency p50 / p95 / p99 / max', `${ms(s.ringLatencyMs.p50)} / ${ms(s.ringLatencyMs.p95)} / ${ms(s.ringLatencyMs.p99)} / ${ms(s.ringLatencyMs.max)} (${s.ringLatencyMs.count} rings)`,
      `p99 < ${LIMIT_BOUNDS.ringLatencyP99Ms} ms`, atMost(s.ringLatencyMs.p99, LIMIT_BOUNDS.ringLatencyP99Ms)),
    row('IVR audio after INVITE p50 / p99 / max', `${ms(s.ivrAudioMs.p50)} / ${ms(s.ivrAudioMs.p99)} / ${ms(s.ivrAudioMs.max)} (${s.ivrAudioMs.count} calls)`,
      `p99 < ${LIMIT_BOUNDS.ivrAudioP99Ms} ms`, atMost(s.ivrAudioMs.p99, LIMIT_BOUNDS.ivrAudioP99Ms)),
    row('lost call rows', String(s.rows.missingSipCallIds.length), '0', s.rows.missingSipCallIds.length === 0),
    row('duplicate call rows / rows of calls not placed', `${s.rows.duplicates.length} / ${s.rows.unknownSipCallIds.length}`, '0 / 0',
      s.rows.duplicates.length === 0 && s.rows.unknownSipCallIds.length === 0),
    row('recordings: answered / present / non-silent', `${s.recordings.answered} / ${s.recordings.present} / ${s.recordings.nonSilent}`),
    row(`silent recordings (a channel RMS < ${s.recordings.silentRms})`, String(s.recordings.silentSipCallIds.length), '0', s.recordings.silentSipCallIds.length === 0),
    row('missing recordings of answered calls', String(s.recordings.missingSipCallIds.length), '0', s.recordings.missingSipCallIds.length === 0),
    row('rtpengine sessions left', String(s.rtpengineSessionsLeft), '0', s.rtpengineSessionsLeft === 0),
    row('log errors: lines / distinct', `${s.logErrors.total} / ${s.logErrors.distinct}`, '0', s.logErrors.total === 0),
  ];
}

export const CPU_HEADER = ['component', 'CPU mean', 'CPU p95', 'CPU max', 'RSS max', 'samples'];

/** CPU in percent of one core (200 % = both cores of this machine). */
export function cpuRows(summary: FloorSummary): string[][] {
  return [...summary.cpu, summary.machineCpu].map((u) => [
    u.component, `${num(u.cpuMeanPercent, 0)} %`, `${num(u.cpuP95Percent, 0)} %`, `${num(u.cpuMaxPercent, 0)} %`, mib(u.rssMaxBytes), String(u.samples),
  ]);
}

const LISTED = 20;

function listed(label: string, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const more = ids.length > LISTED ? ` … and ${ids.length - LISTED} more` : '';
  return [`${label} (${ids.length}): ${ids.slice(0, LISTED).join(', ')}${more}`];
}

/** What stands behind the counts, for someone chasing a failure. */
export function floorNotes(summary: FloorSummary, run: FloorRun): string[] {
  const s = summary;
  return [
    `the models are compared on the ${s.erlangC.comparedCalls} operator-queue calls any operator may answer`
      + (s.erlangC.excludedCalls > 0 ? `; ${s.erlangC.excludedCalls} calls of callers waiting for particular people (key clients, debtors) are left out` : ''),
    ...[s.erlangC.measured, s.erlangC.nominal].filter((p): p is ErlangPrediction => p !== null).map(predictionInputs),
    ...(s.erlangC.withAbandonment ? [`Erlang A: the same measured inputs with a mean patience of ${s.erlangC.withAbandonment.patienceSeconds} s (exponential)`] : []),
    ...(s.erlangC.abandonmentNote ? [s.erlangC.abandonmentNote] : []),
    ...listed('lost rows, by SIP Call-ID', s.rows.missingSipCallIds),
    ...listed('duplicated rows, by SIP Call-ID', s.rows.duplicates.map((d) => `${d.sipCallId} ×${d.rows}`)),
    ...listed('rows of calls the run did not place', s.rows.unknownSipCallIds),
    ...listed('silent recordings', s.recordings.silentSipCallIds),
    ...listed('answered calls without a recording', s.recordings.missingSipCallIds),
    ...[...run.logErrors].sort((a, b) => b.count - a.count).slice(0, LISTED).map((e) => `log error ×${e.count}: ${e.message}`),
  ];
}

export function metText(met: boolean | null): string {
  return met === null ? '' : met ? 'ok' : 'MISSED';
}

/** One line saying what was run. */
export function floorHeadline(run: FloorRun): string {
  const s = run.settings;
  const patience = s.patienceMeanSeconds === null ? 'callers wait as long as it takes' : `mean patience ${s.patienceMeanSeconds} s`;
  return `bench:floor — ${s.agents} agents, ${s.arrivalsPerSecond.toFixed(3)} calls/s of run for ${Number(s.arrivalSeconds.toFixed(1))} s (compression ×${s.compression}: `
    + `${(s.arrivalsPerSecond / s.compression).toFixed(3)} calls/s real), talk ${s.talkMeanSeconds} s, wrap-up ${s.wrapUpSeconds} s, `
    + `ring ${s.ringDelaySeconds.min}–${s.ringDelaySeconds.max} s, T ${s.serviceLevelSeconds} s, ${patience}, seed ${s.seed}`;
}

/** Whether the run stayed within the bounds, in words. */
export function verdictLines(verdict: LimitVerdict): string[] {
  const broken = verdict.broken.map((b) => `${b.bound} ${b.measured === null ? 'not measured' : formatNumber(b.measured)} (limit ${formatNumber(b.limit)})`);
  return [
    verdict.ok ? 'within the issue\'s bounds: yes' : `within the issue's bounds: NO — ${broken.join('; ')}`,
    `saturated first: ${verdict.saturated ?? 'nothing reached its CPU ceiling'}`,
  ];
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export const LIMIT_HEADER = [
  'run', 'calls/s', 'agents', 'answered now (mean/peak)', 'ring p99', 'IVR p99', 'SL', 'predicted', 'lost', 'silent', 'verdict', 'saturated first',
];

export function limitRows(history: readonly LimitStep[]): string[][] {
  return history.map((step, i) => [
    String(i + 1),
    step.callsPerSecond.toFixed(2),
    String(step.load.agents),
    `${step.concurrentAnsweredMean === null ? '—' : step.concurrentAnsweredMean.toFixed(1)} / ${step.concurrentAnsweredPeak ?? '—'}`,
    ms(step.ringP99Ms),
    ms(step.ivrAudioP99Ms),
    pct(step.serviceLevel),
    pct(step.erlangServiceLevel),
    String(step.lostRows),
    String(step.silentRecordings),
    step.verdict.ok ? 'ok' : `broken: ${step.verdict.broken.map((b) => b.bound).join(', ')}`,
    step.verdict.saturated ?? '—',
  ]);
}

/** The limit in one sentence. */
export function limitSentence(search: Pick<LimitSearch, 'lastGood' | 'firstBad'>): string {
  const good = search.lastGood;
  const bad = search.firstBad;
  const goodText = good === null
    ? 'no load stayed within the bounds'
    : `the last good load: ${good.callsPerSecond.toFixed(2)} calls/s with ${good.load.agents} agents, `
      + `${good.concurrentAnsweredMean === null ? '—' : good.concurrentAnsweredMean.toFixed(1)} concurrent answered calls (peak ${good.concurrentAnsweredPeak ?? '—'})`;
  const badText = bad === null
    ? 'no load broke a bound'
    : `first broken at ${bad.callsPerSecond.toFixed(2)} calls/s (${bad.verdict.broken.map((b) => b.bound).join(', ')}); saturated first there: ${bad.verdict.saturated ?? 'nothing at its CPU ceiling'}`;
  return `limit: ${goodText}; ${badText}`;
}

/** The highest good load below the lowest broken one, when the harness did not keep nextLoad's answer. */
export function limitFromHistory(history: readonly LimitStep[]): Pick<LimitSearch, 'lastGood' | 'firstBad'> {
  const rate = (s: LimitStep): number => s.load.arrivalsPerSecond;
  const firstBad = [...history].filter((s) => !s.verdict.ok).sort((a, b) => rate(a) - rate(b))[0] ?? null;
  const lastGood = [...history].filter((s) => s.verdict.ok && (firstBad === null || rate(s) < rate(firstBad))).sort((a, b) => rate(b) - rate(a))[0] ?? null;
  return { lastGood, firstBad };
}
