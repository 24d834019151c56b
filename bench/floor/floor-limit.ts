/**
 * `bench:floor --find-limit` as pure functions (issue 16): is a run within the
 * bounds, which component saturated first, and which load to try next.
 *
 *   limitVerdict(summary, run, options?) → LimitVerdict   ok, the bounds broken, the component that saturated first
 *   firstSaturated(processes, options?)  → string | null  (used by limitVerdict)
 *   limitStep(load, summary, verdict)    → LimitStep      one line of the search's history
 *   nextLoad(history, options)           → LimitSearch    the next load to run (null when done) and the limit so far
 *   scaledLoad(start, arrivalsPerSecond) → FloorLoad      agents scaled with the arrival rate
 *
 * The bounds are the issue's: ring latency p99 > 100 ms, IVR audio p99 > 500 ms,
 * any lost row, any silent (or missing) recording, or a service level more than
 * 5 points below Erlang C's prediction from the run's own arrival rate and
 * handle time (floor-metrics, `erlangC.boundDeviationPoints`). When callers
 * have a patience the prediction is Erlang A's — Erlang C plus that patience —
 * because Erlang C alone is then tens of points too pessimistic and the bound
 * would catch nothing (floor-erlang-comparison.ts). A bound that could not be
 * measured counts as broken: a verdict of ok must rest on figures.
 *
 * The search raises the arrival rate and the agents together, the agents in
 * proportion, so the offered load per agent (occupancy) stays the starting
 * one and only the machine's load grows: doubling until the first broken run,
 * then bisecting between the highest good and the lowest broken rate for
 * `bisectSteps` runs. The limit is the last good load, given as concurrent
 * answered calls (agents talking while callers arrived) and calls per second
 * of the run. Concurrent calls do not depend on time compression; calls per
 * second do (a run compressed c times sets up c times the calls a real floor
 * of the same size would), so a compressed search finds a pessimistic limit
 * for call set-up and a fair one for media.
 */
import type { FloorSummary } from './floor-metrics';
import { MACHINE_COMPONENT, machineCpuSeries, samplesByComponent } from './floor-metrics';
import type { FloorRun, ProcessSample } from './floor-run';

/** The bounds. */
export const LIMIT_BOUNDS = {
  ringLatencyP99Ms: 100,
  ivrAudioP99Ms: 500,
  lostRows: 0,
  refusedCallers: 0,
  silentRecordings: 0,
  missingRecordings: 0,
  /** Measured service level may be at most this many points below Erlang C. */
  serviceLevelBelowErlangPoints: 5,
} as const;

/**
 * Components whose work runs on one thread, so one core is their ceiling:
 * Switchboard's JavaScript event loop (GC and libuv threads add a little
 * beyond it, so the process can show slightly over 100 % while the loop is
 * already full), drachtio-server's SIP stack (sofia-sip, one event loop) and
 * Redis's command execution. rtpengine (a worker thread per core), Postgres
 * (a process per connection) and the sipp processes can use every core, so
 * the machine is their ceiling.
 */
export const SINGLE_THREADED_COMPONENTS: readonly string[] = ['switchboard', 'drachtio-server', 'redis'];

/** The load generator: saturating it says nothing about Switchboard. */
export const LOAD_GENERATOR_COMPONENT = 'sipp';

export interface SaturationOptions {
  /** Cores of the machine (this one has 2). */
  cores?: number;
  /** A single-threaded component is saturated at this percent of one core. */
  singleThreadPercent?: number;
  /** The machine is saturated at this share of all its cores (0–1). */
  machineShare?: number;
  /** Consecutive samples at or above the ceiling before it counts (one sample may be a GC pause). */
  consecutive?: number;
}

const DEFAULT_SATURATION: Required<SaturationOptions> = { cores: 2, singleThreadPercent: 90, machineShare: 0.95, consecutive: 2 };

export interface BrokenBound {
  bound: string;
  /** null: not measured. */
  measured: number | null;
  limit: number;
}

export interface LimitVerdict {
  ok: boolean;
  broken: BrokenBound[];
  /** The component that saturated first, and by which rule; null when none did. */
  saturated: string | null;
}

/** When `series` first stays at or above `ceiling` for `consecutive` samples: the instant it began, or null. */
function firstSustained(series: readonly ProcessSample[], ceiling: number, consecutive: number): number | null {
  let run = 0;
  for (let i = 0; i < series.length; i++) {
    run = series[i]!.cpuPercent >= ceiling ? run + 1 : 0;
    if (run >= consecutive) return series[i - consecutive + 1]!.atMs;
  }
  return null;
}

/**
 * The component that hit its CPU ceiling first: a single-threaded one at
 * ≥ 90 % of one core, or the machine at ≥ 95 % of all cores (then named after
 * the process using most CPU at that moment) — each held for 2 consecutive
 * samples. Earliest wins; the load generator is named as such.
 */
export function firstSaturated(processes: readonly ProcessSample[], options: SaturationOptions = {}): string | null {
  const o = { ...DEFAULT_SATURATION, ...options };
  const hits: Array<{ atMs: number; name: string }> = [];
  for (const [component, series] of samplesByComponent(processes)) {
    if (!SINGLE_THREADED_COMPONENTS.includes(component)) continue;
    const atMs = firstSustained(series, o.singleThreadPercent, o.consecutive);
    if (atMs !== null) hits.push({ atMs, name: `${component} (single-threaded, ≥ ${o.singleThreadPercent} % of one core)` });
  }
  const machineCeiling = o.machineShare * o.cores * 100;
  const machine = machineCpuSeries(processes);
  const machineAt = firstSustained(machine, machineCeiling, o.consecutive);
  if (machineAt !== null) {
    const busiest = busiestAt(processes, machineAt);
    const who = busiest === null ? '' : `, most of it ${busiest.component === LOAD_GENERATOR_COMPONENT ? 'sipp, the load generator,' : busiest.component} at ${Math.round(busiest.cpuPercent)} %`;
    hits.push({ atMs: machineAt, name: `machine (≥ ${Math.round(o.machineShare * 100)} % of all ${o.cores} cores${who})` });
  }
  hits.sort((a, b) => a.atMs - b.atMs);
  return hits[0]?.name ?? null;
}

/** Each process's latest sample at or before `atMs`, the one using most CPU. */
function busiestAt(processes: readonly ProcessSample[], atMs: number): ProcessSample | null {
  let best: ProcessSample | null = null;
  for (const [component, series] of samplesByComponent(processes)) {
    if (component === MACHINE_COMPONENT) continue;
    const latest = series.filter((s) => s.atMs <= atMs).at(-1);
    if (latest && (best === null || latest.cpuPercent > best.cpuPercent)) best = latest;
  }
  return best;
}

/** Whether one run stayed within the bounds, and what saturated. */
export function limitVerdict(summary: FloorSummary, run: Pick<FloorRun, 'processes'>, options: SaturationOptions = {}): LimitVerdict {
  const broken: BrokenBound[] = [];
  const atMost = (bound: string, measured: number | null, limit: number): void => {
    if (measured === null || measured > limit) broken.push({ bound, measured, limit });
  };
  atMost('ring latency p99, ms', summary.ringLatencyMs.p99, LIMIT_BOUNDS.ringLatencyP99Ms);
  atMost('IVR audio p99, ms', summary.ivrAudioMs.p99, LIMIT_BOUNDS.ivrAudioP99Ms);
  atMost('lost call rows', summary.rows.missingSipCallIds.length, LIMIT_BOUNDS.lostRows);
  // A caller refused with 503 was not carried: the load is past what this machine takes, even though nothing was lost.
  atMost('callers refused by the overload control', summary.rows.refusedSipCallIds.length, LIMIT_BOUNDS.refusedCallers);
  atMost('silent recordings', summary.recordings.silentSipCallIds.length, LIMIT_BOUNDS.silentRecordings);
  atMost('missing recordings', summary.recordings.missingSipCallIds.length, LIMIT_BOUNDS.missingRecordings);
  // Below the model by more than 5 points, i.e. (predicted − measured) > 5. The model is Erlang C, or Erlang A when callers have a patience.
  const deviation = summary.erlangC.boundDeviationPoints;
  atMost(`service level below ${summary.erlangC.boundModel}, points`, deviation === null ? null : -deviation, LIMIT_BOUNDS.serviceLevelBelowErlangPoints);
  return { ok: broken.length === 0, broken, saturated: firstSaturated(run.processes, options) };
}

/**
 * A load of the floor: an arrival rate and the operators logged in. The search
 * only multiplies and halves the rate, so any unit works if it is the same
 * throughout (FloorSettings counts per second of the run, the harness's
 * options per real second).
 */
export interface FloorLoad {
  arrivalsPerSecond: number;
  agents: number;
}

/** One run of the search, with the figures its table shows. */
export interface LimitStep {
  load: FloorLoad;
  verdict: LimitVerdict;
  /** Calls placed ÷ arrival window: what the machine set up per second. */
  callsPerSecond: number;
  /** Agents talking while callers arrived (snapshots): concurrent answered calls. */
  concurrentAnsweredMean: number | null;
  concurrentAnsweredPeak: number | null;
  ringP99Ms: number | null;
  ivrAudioP99Ms: number | null;
  serviceLevel: number | null;
  /** The prediction the bound was checked against (Erlang C, or Erlang A with a patience). */
  erlangServiceLevel: number | null;
  lostRows: number;
  silentRecordings: number;
}

export function limitStep(load: FloorLoad, summary: FloorSummary, verdict: LimitVerdict): LimitStep {
  return {
    load,
    verdict,
    callsPerSecond: summary.arrivalWindowMs > 0 ? summary.rows.placed / (summary.arrivalWindowMs / 1000) : 0,
    concurrentAnsweredMean: summary.concurrency.talkingMean,
    concurrentAnsweredPeak: summary.concurrency.talkingPeak,
    ringP99Ms: summary.ringLatencyMs.p99,
    ivrAudioP99Ms: summary.ivrAudioMs.p99,
    serviceLevel: summary.erlangC.measuredServiceLevel,
    erlangServiceLevel: summary.erlangC.boundServiceLevel,
    lostRows: summary.rows.missingSipCallIds.length,
    silentRecordings: summary.recordings.silentSipCallIds.length + summary.recordings.missingSipCallIds.length,
  };
}

/** The start's load scaled to `arrivalsPerSecond`: agents in proportion (at least one), so occupancy stays the start's. */
export function scaledLoad(start: FloorLoad, arrivalsPerSecond: number): FloorLoad {
  return { arrivalsPerSecond, agents: Math.max(1, Math.round((start.agents * arrivalsPerSecond) / start.arrivalsPerSecond)) };
}

export interface LimitSearchOptions {
  start: FloorLoad;
  /** Runs spent bisecting once a good and a broken load are known (default 3). */
  bisectSteps?: number;
  /** No more agents than this (the phones the harness can register); the search ends there if nothing broke. */
  maxAgents?: number;
}

export interface LimitSearch {
  /** The load to run next; null when the search is over. */
  next: FloorLoad | null;
  phase: 'doubling' | 'halving' | 'bisecting' | 'done';
  /** The highest load that stayed within the bounds (below the lowest broken one). */
  lastGood: LimitStep | null;
  /** The lowest load that broke a bound. */
  firstBad: LimitStep | null;
  /** Why the search is where it is, for the report. */
  reason: string;
}

function done(lastGood: LimitStep | null, firstBad: LimitStep | null, reason: string): LimitSearch {
  return { next: null, phase: 'done', lastGood, firstBad, reason };
}

/**
 * The next load of the search from the runs so far (in any order). Doubling
 * from the start until a run breaks a bound (halving instead if the start
 * itself breaks), then bisecting the arrival rate between the highest good
 * and the lowest broken load.
 */
export function nextLoad(history: readonly LimitStep[], options: LimitSearchOptions): LimitSearch {
  const { start } = options;
  const bisectSteps = options.bisectSteps ?? 3;
  if (!(start.arrivalsPerSecond > 0) || !(start.agents >= 1)) throw new RangeError('the start load needs a positive arrival rate and at least one agent');
  if (history.length === 0) return { next: start, phase: 'doubling', lastGood: null, firstBad: null, reason: 'the starting load' };

  const rate = (s: LimitStep): number => s.load.arrivalsPerSecond;
  const bad = history.filter((s) => !s.verdict.ok).sort((a, b) => rate(a) - rate(b));
  const firstBad = bad[0] ?? null;
  const good = history.filter((s) => s.verdict.ok && (firstBad === null || rate(s) < rate(firstBad))).sort((a, b) => rate(b) - rate(a));
  const lastGood = good[0] ?? null;
  const tried = (load: FloorLoad): boolean => history.some((s) => s.load.arrivalsPerSecond === load.arrivalsPerSecond);

  if (firstBad === null) {
    const top = lastGood!;
    let next = scaledLoad(start, rate(top) * 2);
    if (options.maxAgents !== undefined && next.agents > options.maxAgents) {
      next = { arrivalsPerSecond: (start.arrivalsPerSecond * options.maxAgents) / start.agents, agents: options.maxAgents };
      if (next.arrivalsPerSecond <= rate(top)) return done(lastGood, null, `no bound broken up to ${options.maxAgents} agents, the most the harness can register`);
    }
    return { next, phase: 'doubling', lastGood, firstBad, reason: `no bound broken up to ${fmtRate(rate(top))} calls/s: doubling` };
  }
  if (lastGood === null) {
    if (bad.length > bisectSteps) return done(null, firstBad, `every load broke a bound, down to ${fmtRate(rate(firstBad))} calls/s`);
    const next = scaledLoad(start, rate(firstBad) / 2);
    return { next, phase: 'halving', lastGood, firstBad, reason: `${fmtRate(rate(firstBad))} calls/s broke a bound and nothing below it was good: halving` };
  }
  // Runs since the limit was first bracketed (a good and a broken load both known) are bisection steps.
  const bracketedAt = history.findIndex((_, i) => history.slice(0, i + 1).some((s) => s.verdict.ok) && history.slice(0, i + 1).some((s) => !s.verdict.ok));
  const bisected = history.length - 1 - bracketedAt;
  const bracket = `between ${fmtRate(rate(lastGood))} (good) and ${fmtRate(rate(firstBad))} calls/s (broken)`;
  if (bisected >= bisectSteps) return done(lastGood, firstBad, `the limit lies ${bracket} after ${bisected} bisection steps`);
  const next = scaledLoad(start, (rate(lastGood) + rate(firstBad)) / 2);
  if (tried(next)) return done(lastGood, firstBad, `the limit lies ${bracket}; the midpoint was already run`);
  return { next, phase: 'bisecting', lastGood, firstBad, reason: `the limit lies ${bracket}: bisecting` };
}

function fmtRate(callsPerSecond: number): string {
  return callsPerSecond >= 10 ? callsPerSecond.toFixed(1) : callsPerSecond.toPrecision(3);
}
