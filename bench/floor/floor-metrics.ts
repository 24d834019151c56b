/**
 * The figures of one `bench:floor` run (issue 16), pure: no I/O, a FloorRun in, a FloorSummary out.
 *
 *   summariseFloorRun(run, options?) → FloorSummary
 *
 * Conventions the harness fills FloorRun by (floor-run.ts), relied on here:
 * - Row, snapshot and sample times (`startedAtMs`, `atMs`, …) are instants on
 *   the same clock as `run.startedAtMs`; only `PlacedCall.dueAtMs` is an offset.
 * - `FloorCallRow.answeredAtMs` is the *agent's* answer (calls.agent_answered_at),
 *   not the IVR's; `queuedAtMs` the entry into the ACD queue.
 * - Recording RMS is in 16-bit sample units (full scale 32767); see SILENT_RMS.
 *
 * Operator-queue calls are the rows that entered one of `operatorQueues`
 * (default the seeds' `operators` and `regional`, the queues the logged-in
 * operators serve). Their service level, ASA and AHT are the product's own
 * (src/reports/queue-metrics.ts): the rows are added up into a QueueAggregate
 * and its functions give both service-level definitions, so the bench cannot
 * drift from what the reports show. T is serviceLevelSeconds ÷ compression in
 * the run; SL, ASA and AHT are given in run ms and scaled back to real time
 * (× compression). Ring latency and IVR audio are the machine's real latencies
 * and are never scaled. The queueing-theory predictions (Erlang C, and Erlang A
 * when callers have a patience) are in floor-erlang-comparison.ts.
 */
import {
  ABANDON_OUTCOMES, CALLBACK_OUTCOMES, EMPTY_QUEUE_AGGREGATE, SHORT_ABANDON_MS, averageHandleTimeMs, averageSpeedOfAnswerMs,
  serviceLevelOfAnsweredAndAbandonedAfterSl, serviceLevelOfOffered, type QueueAggregate,
} from '../../src/reports/queue-metrics';
import { compareWithErlang, type ErlangComparison } from './floor-erlang-comparison';
import type { CallerKind, FloorCallRow, FloorRun, ProcessSample } from './floor-run';
import { describe, maxOf, type Distribution } from './percentiles';

/** The seeds' queues the operators answer (src/db/demo-seed.ts); `regional` overflows into `operators`. */
export const OPERATOR_QUEUES: readonly string[] = ['operators', 'regional'];

/**
 * Callers any operator may answer: the ones queueing theory is compared on. Key
 * clients and debtors are routed to their own managers and to finance first
 * (design §1) and may sit in the operators' queue waiting for those few people —
 * on the first --quick run key callers waited up to 220 s for two key-account
 * managers while operators were free; counted in, they moved the service level
 * 3 points from the model for a reason that is routing, not load. New callers
 * (`unknown`) go to a department head, and to the operators when none is in.
 */
export const OPERATOR_CALLER_KINDS: readonly CallerKind[] = ['market', 'retail', 'regional', 'unknown'];

/**
 * A recording channel quieter than this RMS (16-bit sample units) is silent. PCMA
 * carrying digital silence decodes to ±8 (A-law's smallest step), line noise of
 * −60 dBFS is RMS 33, while sipp's speech/tone audio sits around −20 to −30 dBFS
 * (RMS 1,000–3,300). 100 (≈ −50 dBFS) is far from both: no real audio falls below
 * it and no silence rises above it.
 */
export const SILENT_RMS = 100;

/** A `component` name for machine-wide samples, if the harness takes them; otherwise the machine is the sum of the processes. */
export const MACHINE_COMPONENT = 'machine';

export type { ErlangComparison };

export interface FloorMetricsOptions {
  operatorQueues?: readonly string[];
  operatorCallerKinds?: readonly CallerKind[];
  silentRms?: number;
}

/** A duration as the run measured it and scaled back to real time (× compression); null when there is nothing to measure. */
export interface ScaledMs {
  runMs: number | null;
  realMs: number | null;
}

export interface OutcomeCounts {
  /** Operator queues: calls offered (entered the queue). All calls: calls placed. */
  calls: number;
  answered: number;
  abandoned: number;
  /** Neither answered nor abandoned (overflowed, callback, failed, voicemail, no row...). */
  other: number;
  /** calls.outcome → count ('(no row)' for a placed call without a row). */
  byOutcome: Record<string, number>;
}

export interface ComponentUsage {
  component: string;
  samples: number;
  /** Percent of one core (200 = both cores of a 2-core machine). */
  cpuMeanPercent: number | null;
  cpuP95Percent: number | null;
  cpuMaxPercent: number | null;
  rssMaxBytes: number | null;
}

export interface FloorSummary {
  compression: number;
  /** T: in the run and real. */
  serviceLevelThreshold: ScaledMs;
  /** How long callers arrived, run ms. */
  arrivalWindowMs: number;
  operatorQueues: readonly string[];
  calls: { operatorQueue: OutcomeCounts; all: OutcomeCounts };
  /** The operator queues' counters as the product's reports add them up (times in run ms). */
  operatorAggregate: QueueAggregate;
  serviceLevel: { definitionA: number | null; definitionB: number | null };
  asa: ScaledMs;
  /** Talk + wrap-up per answered operator-queue call. */
  aht: ScaledMs;
  /** Abandoned ÷ offered (operator queues). */
  abandonRate: number | null;
  occupancy: {
    /** (talking + ringing + wrap-up) ÷ logged in, over the whole run. */
    busyShare: number | null;
    /** talking ÷ logged in over the whole run: what the seeds' "55–66 % of an hour talking" means. */
    talkShare: number | null;
    /** Mean talking agents ÷ the floor's agents (floorAgentCount) over the snapshots of the arrival window (the drain after it excluded). */
    talkShareWhileArriving: number | null;
  };
  /** Erlang C from the settings and from the run, Erlang A when callers have a patience, and which one the SL bound uses (floor-erlang-comparison.ts). */
  erlangC: ErlangComparison;
  /** Agents talking during the arrival window (snapshots). */
  concurrency: { talkingMean: number | null; talkingPeak: number | null; inIvrPeak: number | null; waitingPeak: number | null };
  /** Real machine latencies, ms, never scaled. */
  ringLatencyMs: Distribution;
  ivrAudioMs: Distribution;
  cpu: ComponentUsage[];
  /** All processes together (or the harness's machine samples), percent of one core. */
  machineCpu: ComponentUsage;
  /** missingSipCallIds leaves out callers the overload control refused (503, no row by design): they are refusedSipCallIds. */
  rows: { placed: number; written: number; missingSipCallIds: string[]; refusedSipCallIds: string[]; duplicates: Array<{ sipCallId: string; rows: number }>; unknownSipCallIds: string[] };
  recordings: { answered: number; present: number; nonSilent: number; missingSipCallIds: string[]; silentSipCallIds: string[]; silentRms: number };
  rtpengineSessionsLeft: number;
  logErrors: { total: number; distinct: number };
}

function scaled(runMs: number | null, compression: number): ScaledMs {
  return { runMs, realMs: runMs === null ? null : runMs * compression };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The first row of each placed call (duplicates are reported, not counted twice). */
function rowsByCall(run: FloorRun): { first: Map<string, FloorCallRow>; counts: Map<string, number> } {
  const first = new Map<string, FloorCallRow>();
  const counts = new Map<string, number>();
  for (const row of run.rows) {
    counts.set(row.sipCallId, (counts.get(row.sipCallId) ?? 0) + 1);
    if (!first.has(row.sipCallId)) first.set(row.sipCallId, row);
  }
  return { first, counts };
}

function rowAccounting(run: FloorRun, counts: Map<string, number>): FloorSummary['rows'] {
  const placedIds = new Set(run.placed.map((p) => p.sipCallId));
  const refused = new Set(run.refusedSipCallIds ?? []);
  const withoutRow = run.placed.filter((p) => !counts.has(p.sipCallId)).map((p) => p.sipCallId);
  return {
    placed: run.placed.length,
    written: run.placed.filter((p) => counts.has(p.sipCallId)).length,
    missingSipCallIds: withoutRow.filter((id) => !refused.has(id)),
    refusedSipCallIds: withoutRow.filter((id) => refused.has(id)),
    duplicates: [...counts].filter(([, n]) => n > 1).map(([sipCallId, n]) => ({ sipCallId, rows: n })),
    unknownSipCallIds: [...counts.keys()].filter((id) => !placedIds.has(id)),
  };
}

function isAbandon(outcome: string): boolean {
  return (ABANDON_OUTCOMES as readonly string[]).includes(outcome);
}

/** The operator queues' rows added up the way the product's queue report adds up calls. */
function operatorAggregate(rows: readonly FloorCallRow[], run: FloorRun, thresholdMs: number, allAnswered: number): QueueAggregate {
  const a: QueueAggregate = { ...EMPTY_QUEUE_AGGREGATE };
  const shortAbandonMs = SHORT_ABANDON_MS / run.settings.compression;
  for (const row of rows) {
    if (row.queuedAtMs === null) continue;
    a.offered++;
    const waitEnd = row.answeredAtMs ?? row.endedAtMs;
    const waitMs = waitEnd === null ? 0 : Math.max(0, waitEnd - row.queuedAtMs);
    a.longestWaitMs = Math.max(a.longestWaitMs, waitMs);
    if (row.answeredAtMs !== null) {
      a.answered++;
      a.answerWaitMs += waitMs;
      if (waitMs <= thresholdMs) a.answeredWithinSl++;
      if (row.endedAtMs !== null) a.talkMs += Math.max(0, row.endedAtMs - row.answeredAtMs);
    } else if (isAbandon(row.outcome)) {
      a.abandoned++;
      if (waitMs < shortAbandonMs) a.shortAbandoned++;
      if (waitMs > thresholdMs) a.abandonedAfterSl++;
    }
    if (row.outcome === 'overflowed') a.overflowed++;
    if ((CALLBACK_OUTCOMES as readonly string[]).includes(row.outcome)) a.callbacksRequested++;
  }
  a.wrapUpMs = wrapUpShare(run, a.answered, allAnswered);
  return a;
}

/**
 * The wrap-up of `answered` calls. Wrap-up is agent time, not a call field, and
 * agentTime covers every agent of the floor — key-account managers and finance
 * too, whose calls are not the operator queues' — so it is shared out evenly
 * over all answered calls (one wrap-up each).
 */
function wrapUpShare(run: FloorRun, answered: number, allAnswered: number): number {
  return allAnswered > 0 ? (run.agentTime.wrapUpMs * answered) / allAnswered : 0;
}

/** The agents agentTime and the snapshots count: every role of the floor when the harness lists them, else the operators. */
export function floorAgentCount(run: FloorRun): number {
  const roles = run.agentRoles ? Object.keys(run.agentRoles).length : 0;
  return roles > 0 ? roles : run.settings.agents;
}

function operatorCounts(rows: readonly FloorCallRow[]): OutcomeCounts {
  const counts: OutcomeCounts = { calls: 0, answered: 0, abandoned: 0, other: 0, byOutcome: {} };
  for (const row of rows) {
    if (row.queuedAtMs === null) continue;
    counts.calls++;
    increment(counts.byOutcome, row.outcome);
    if (row.answeredAtMs !== null) counts.answered++;
    else if (isAbandon(row.outcome)) counts.abandoned++;
    else counts.other++;
  }
  return counts;
}

function allCounts(run: FloorRun, first: Map<string, FloorCallRow>): OutcomeCounts {
  const counts: OutcomeCounts = { calls: run.placed.length, answered: 0, abandoned: 0, other: 0, byOutcome: {} };
  for (const placed of run.placed) {
    const row = first.get(placed.sipCallId);
    increment(counts.byOutcome, row ? row.outcome : '(no row)');
    // Abandoned anywhere: in the IVR as well as in a queue or while ringing.
    if (row?.answeredAtMs != null) counts.answered++;
    else if (row?.outcome.startsWith('abandoned')) counts.abandoned++;
    else counts.other++;
  }
  return counts;
}

function usage(component: string, samples: readonly ProcessSample[]): ComponentUsage {
  const cpu = describe(samples.map((s) => s.cpuPercent));
  return {
    component,
    samples: samples.length,
    cpuMeanPercent: cpu.mean,
    cpuP95Percent: cpu.p95,
    cpuMaxPercent: cpu.max,
    rssMaxBytes: maxOf(samples.map((s) => s.rssBytes)),
  };
}

/** Samples grouped by component, each in time order. */
export function samplesByComponent(processes: readonly ProcessSample[]): Map<string, ProcessSample[]> {
  const groups = new Map<string, ProcessSample[]>();
  for (const s of processes) {
    const group = groups.get(s.component);
    if (group) group.push(s);
    else groups.set(s.component, [s]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.atMs - b.atMs);
  return groups;
}

/**
 * The machine's CPU over time, percent of one core: the harness's `machine`
 * samples when it took them, otherwise at every sample instant the sum of each
 * process's latest sample at or before it (processes are sampled one after the
 * other, not at the same millisecond).
 */
export function machineCpuSeries(processes: readonly ProcessSample[]): ProcessSample[] {
  const groups = samplesByComponent(processes);
  const machine = groups.get(MACHINE_COMPONENT);
  if (machine) return machine;
  const instants = [...new Set(processes.map((s) => s.atMs))].sort((a, b) => a - b);
  const cursor = new Map<string, number>();
  return instants.map((atMs) => {
    let cpuPercent = 0;
    let rssBytes = 0;
    for (const [component, group] of groups) {
      let i = cursor.get(component) ?? -1;
      while (i + 1 < group.length && group[i + 1]!.atMs <= atMs) i++;
      cursor.set(component, i);
      const latest = group[i];
      if (latest) { cpuPercent += latest.cpuPercent; rssBytes += latest.rssBytes; }
    }
    return { atMs, component: MACHINE_COMPONENT, cpuPercent, rssBytes };
  });
}

function occupancyOf(run: FloorRun, arrivalEndMs: number): FloorSummary['occupancy'] {
  const t = run.agentTime;
  const logged = t.loggedInMs > 0 ? t.loggedInMs : null;
  const arriving = run.snapshots.filter((s) => s.atMs >= run.startedAtMs && s.atMs <= arrivalEndMs);
  const meanTalking = arriving.length > 0 ? arriving.reduce((sum, s) => sum + s.talking, 0) / arriving.length : null;
  return {
    busyShare: logged === null ? null : (t.talkingMs + t.ringingMs + t.wrapUpMs) / logged,
    talkShare: logged === null ? null : t.talkingMs / logged,
    talkShareWhileArriving: meanTalking === null || floorAgentCount(run) <= 0 ? null : meanTalking / floorAgentCount(run),
  };
}

function concurrencyOf(run: FloorRun, arrivalEndMs: number): FloorSummary['concurrency'] {
  const arriving = run.snapshots.filter((s) => s.atMs >= run.startedAtMs && s.atMs <= arrivalEndMs);
  if (arriving.length === 0) return { talkingMean: null, talkingPeak: null, inIvrPeak: null, waitingPeak: null };
  return {
    talkingMean: arriving.reduce((sum, s) => sum + s.talking, 0) / arriving.length,
    talkingPeak: maxOf(arriving.map((s) => s.talking)),
    inIvrPeak: maxOf(arriving.map((s) => s.inIvr)),
    waitingPeak: maxOf(arriving.map((s) => s.waiting)),
  };
}

export function summariseFloorRun(run: FloorRun, options: FloorMetricsOptions = {}): FloorSummary {
  const operatorQueues = options.operatorQueues ?? OPERATOR_QUEUES;
  const silentRms = options.silentRms ?? SILENT_RMS;
  const c = run.settings.compression;
  if (!(c > 0)) throw new RangeError(`compression must be positive, got ${c}`);
  const thresholdMs = (run.settings.serviceLevelSeconds * 1000) / c;
  const arrivalWindowMs = run.settings.arrivalSeconds * 1000;
  const arrivalEndMs = run.startedAtMs + arrivalWindowMs;

  const { first, counts } = rowsByCall(run);
  const placedRows = run.placed.map((p) => first.get(p.sipCallId)).filter((r): r is FloorCallRow => r !== undefined);
  const operatorRows = placedRows.filter((r) => r.queue !== null && operatorQueues.includes(r.queue));
  const allAnswered = placedRows.filter((r) => r.answeredAtMs !== null).length;
  const aggregate = operatorAggregate(operatorRows, run, thresholdMs, allAnswered);
  const definitionA = serviceLevelOfOffered(aggregate);
  const definitionB = serviceLevelOfAnsweredAndAbandonedAfterSl(aggregate);
  // Everyone waits (no patience, or nobody has one): every offered call should be answered, definition A.
  const patient = run.settings.patienceMeanSeconds === null || run.settings.impatientShare === 0;
  // Queueing theory is compared on the calls any operator may answer.
  const kinds = options.operatorCallerKinds ?? OPERATOR_CALLER_KINDS;
  const kindOf = new Map(run.placed.map((p) => [p.sipCallId, p.kind]));
  const modelRows = operatorRows.filter((r) => kinds.includes(kindOf.get(r.sipCallId) ?? 'unknown'));
  const model = operatorAggregate(modelRows, run, thresholdMs, allAnswered);

  const answeredRows = placedRows.filter((r) => r.answeredAtMs !== null);
  const silent = answeredRows.filter((r) => r.recording !== null && Math.min(r.recording.callerRms, r.recording.agentRms) < silentRms);
  const withRecording = answeredRows.filter((r) => r.recording !== null);

  const groups = samplesByComponent(run.processes.filter((s) => s.component !== MACHINE_COMPONENT));
  const errorsTotal = run.logErrors.reduce((sum, e) => sum + e.count, 0);

  return {
    compression: c,
    serviceLevelThreshold: scaled(thresholdMs, c),
    arrivalWindowMs,
    operatorQueues,
    calls: { operatorQueue: operatorCounts(operatorRows), all: allCounts(run, first) },
    operatorAggregate: aggregate,
    serviceLevel: { definitionA, definitionB },
    asa: scaled(averageSpeedOfAnswerMs(aggregate), c),
    aht: scaled(averageHandleTimeMs(aggregate), c),
    abandonRate: aggregate.offered > 0 ? aggregate.abandoned / aggregate.offered : null,
    occupancy: occupancyOf(run, arrivalEndMs),
    erlangC: compareWithErlang(run, {
      offered: model.offered, answered: model.answered, abandoned: model.abandoned, talkMs: model.talkMs, allAnswered,
      measuredServiceLevel: patient ? serviceLevelOfOffered(model) : serviceLevelOfAnsweredAndAbandonedAfterSl(model),
      comparedDefinition: patient ? 'A' : 'B',
      measuredCalls: patient ? model.offered : model.answered + model.abandonedAfterSl,
      excludedCalls: aggregate.offered - model.offered,
    }, kinds, arrivalWindowMs),
    concurrency: concurrencyOf(run, arrivalEndMs),
    ringLatencyMs: describe(run.ringLatenciesMs),
    ivrAudioMs: describe(run.ivrAudioMs),
    cpu: [...groups].map(([component, samples]) => usage(component, samples)).sort((a, b) => a.component.localeCompare(b.component)),
    machineCpu: usage(MACHINE_COMPONENT, machineCpuSeries(run.processes)),
    rows: rowAccounting(run, counts),
    recordings: {
      answered: answeredRows.length,
      present: withRecording.length,
      nonSilent: withRecording.length - silent.length,
      missingSipCallIds: answeredRows.filter((r) => r.recording === null).map((r) => r.sipCallId),
      silentSipCallIds: silent.map((r) => r.sipCallId),
      silentRms,
    },
    rtpengineSessionsLeft: run.rtpengineSessionsLeft,
    logErrors: { total: errorsTotal, distinct: run.logErrors.length },
  };
}
