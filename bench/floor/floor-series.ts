/**
 * Time series of a floor run for the report's charts, pure. x is seconds since
 * the run's start (run time: the machine's clock, not the compressed floor's).
 *
 *   rollingServiceLevel(run, summary, options?) → [s, %][]   definition A over a trailing window
 *   snapshotSeries(run, field)                  → [s, n][]   waiting, in IVR, talking…
 *   cpuSeries(run)                              → ChartSeries[] one per component, plus the machine
 */
import type { FloorSummary } from './floor-metrics';
import { MACHINE_COMPONENT, machineCpuSeries, samplesByComponent } from './floor-metrics';
import type { FloorRun, FloorSnapshot } from './floor-run';
import type { ChartSeries } from './floor-svg';

type Point = readonly [number, number];

export interface RollingOptions {
  /** Trailing window of queue entries, run ms; default 5 T or a twentieth of the run, whichever is longer. */
  windowMs?: number;
  /** Distance between points, run ms; default a fifth of the window. */
  stepMs?: number;
}

function sinceStart(run: FloorRun, atMs: number): number {
  return (atMs - run.startedAtMs) / 1000;
}

/**
 * Service level (definition A: answered within T ÷ offered, in percent) of the
 * operator-queue calls that entered the queue in the window ending at each
 * point; points with no call in their window are left out. Five T's of
 * queue entries keep the line readable without hiding a minute-long dip.
 */
export function rollingServiceLevel(run: FloorRun, summary: FloorSummary, options: RollingOptions = {}): Point[] {
  const thresholdMs = summary.serviceLevelThreshold.runMs ?? 0;
  const durationMs = Math.max(0, run.endedAtMs - run.startedAtMs);
  const windowMs = options.windowMs ?? Math.max(5 * thresholdMs, durationMs / 20, 1);
  const stepMs = options.stepMs ?? windowMs / 5;
  const seen = new Set<string>();
  const queued = run.rows.filter((r) => {
    if (r.queuedAtMs === null || r.queue === null || !summary.operatorQueues.includes(r.queue) || seen.has(r.sipCallId)) return false;
    seen.add(r.sipCallId);
    return true;
  });
  const points: Point[] = [];
  for (let t = run.startedAtMs + stepMs; t <= run.endedAtMs + 1e-9; t += stepMs) {
    const inWindow = queued.filter((r) => r.queuedAtMs! > t - windowMs && r.queuedAtMs! <= t);
    if (inWindow.length === 0) continue;
    const within = inWindow.filter((r) => r.answeredAtMs !== null && r.answeredAtMs - r.queuedAtMs! <= thresholdMs).length;
    points.push([sinceStart(run, t), (within / inWindow.length) * 100]);
  }
  return points;
}

export function snapshotSeries(run: FloorRun, field: keyof Omit<FloorSnapshot, 'atMs'>): Point[] {
  return [...run.snapshots].sort((a, b) => a.atMs - b.atMs).map((s) => [sinceStart(run, s.atMs), s[field]] as const);
}

/** CPU, percent of one core, per component and for the whole machine. */
export function cpuSeries(run: FloorRun): ChartSeries[] {
  const components = [...samplesByComponent(run.processes.filter((s) => s.component !== MACHINE_COMPONENT))]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, samples]) => ({ name, points: samples.map((s) => [sinceStart(run, s.atMs), s.cpuPercent] as const) }));
  const machine = machineCpuSeries(run.processes);
  return machine.length === 0 ? components : [...components, { name: 'machine', points: machine.map((s) => [sinceStart(run, s.atMs), s.cpuPercent] as const) }];
}
