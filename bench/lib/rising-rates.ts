/**
 * sipp at rising call rates against one target: each rate for a fixed time,
 * up to the first rate with any failed call, then bisection between the last
 * good and that one. A rate counts as sustained when every call succeeded and
 * sipp really created calls that fast.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fmt, log, rtdText, textTable } from './format';
import { distinctErrors } from './process-errors';
import { cpuLine, OTHERS, ProcessUsageSampler, type CpuFigures } from './process-usage';
import { lateNgReplyCount } from './rtpengine-ng';
import { runSipp, type Scenario, type SippOutcome } from './sipp';

export interface RateSettings {
  /** Seconds of new calls per rate. */
  seconds: number;
  /** Rates to try, ascending. */
  rates: number[];
  /** Bisection steps between the last good and the first failed rate. */
  refineSteps: number;
  /** How long each call lasts. */
  callMs: number;
  /** Component name of this process in the CPU figures. */
  rootComponent: string;
}

export interface RateRun {
  rate: number;
  outcome: SippOutcome;
  cpu: CpuFigures;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  ok: boolean;
  note: string;
  /** Unhandled rejections / uncaught exceptions in this process during the run. */
  crashes: string[];
  /** rtpengine ng replies that came after Switchboard had given up on them (2 s). */
  lateNgReplies: number;
  recordsWritten?: number;
  /** rtpengine sessions left behind by the run (Switchboard's calls had ended); the bench deletes them before the next run. */
  leakedSessions?: number;
}

export interface RisingRates {
  runs: RateRun[];
  sustained: number;
}

export async function rateRun(settings: RateSettings, label: string, target: string, rate: number, scenario: Scenario, afterRun?: (outcome: SippOutcome) => Promise<number>): Promise<RateRun> {
  const callSeconds = settings.callMs / 1000;
  const calls = Math.round(rate * settings.seconds);
  log(`${label}: ${rate} calls/s for ${settings.seconds} s (${calls} calls of ${callSeconds} s)…`);
  const sampler = new ProcessUsageSampler({ rootComponent: settings.rootComponent });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  sampler.start();
  const runStartedAt = Date.now();
  const lateBefore = lateNgReplyCount();
  const outcome = await runSipp({
    target, rate, calls, scenario,
    // Room for every call of the rate plus slow answers; the rate, not this, is what limits sipp.
    limit: Math.ceil(rate * (callSeconds + 15)),
    timeoutSeconds: settings.seconds + Math.ceil(callSeconds) + 45,
  });
  const cpu = sampler.stop();
  loop.disable();
  const failures = outcome.failed + outcome.unfinished;
  const underRate = outcome.achievedRate < rate * 0.95;
  const crashes = distinctErrors(runStartedAt);
  const ok = failures === 0 && outcome.created === calls && outcome.successful === calls && crashes.length === 0;
  const note = [
    crashes.length > 0 ? `${crashes.length} kind(s) of unhandled error in the process` : '',
    failures > 0 ? `failed ${outcome.failed}${outcome.unfinished ? `, unfinished ${outcome.unfinished}` : ''}${outcome.failReasons.length ? ` (${outcome.failReasons.join(', ')})` : ''}` : '',
    outcome.created < calls ? `only ${outcome.created}/${calls} calls created` : '',
    underRate ? `sipp reached only ${fmt(outcome.achievedRate, 1)} calls/s` : '',
  ].filter(Boolean).join('; ');
  const run: RateRun = { rate, outcome, cpu, loopDelayP99Ms: loop.percentile(99) / 1e6, loopDelayMaxMs: loop.max / 1e6, ok, note, crashes, lateNgReplies: lateNgReplyCount() - lateBefore };
  if (afterRun) run.recordsWritten = await afterRun(outcome);
  log(`  → ${outcome.successful} ok, ${outcome.failed} failed, ${outcome.unfinished} unfinished, ${fmt(outcome.achievedRate, 1)} calls/s created` +
    `${outcome.inviteTo200Ms !== null ? `, INVITE→200 mean ${rtdText(outcome.inviteTo200Ms)}` : ''}, retrans ${outcome.retransmissions}, max concurrent ${outcome.maxCurrent}` +
    `${run.recordsWritten !== undefined ? `, call rows ${run.recordsWritten}` : ''}${run.lateNgReplies ? `, late rtpengine replies ${run.lateNgReplies}` : ''}`);
  log(`    CPU: ${cpuLine(cpu)}; event loop p99 ${fmt(run.loopDelayP99Ms, 1)} ms, max ${fmt(run.loopDelayMaxMs, 0)} ms`);
  for (const c of crashes) log(`    unhandled: ${c}`);
  if (!ok && outcome.errorSample) log(`    sipp errors:\n${outcome.errorSample.split('\n').map((l) => `      ${l}`).join('\n')}`);
  return run;
}

/** Rising rates until the first with any failed call; then `refineSteps` bisections between the last good and that one. */
export async function risingRates(settings: RateSettings, label: string, target: string, scenario: Scenario, between: () => Promise<number | void>, afterRun?: (outcome: SippOutcome) => Promise<number>): Promise<RisingRates> {
  const runs: RateRun[] = [];
  let good: number | null = null;
  let bad: number | null = null;
  for (const rate of settings.rates) {
    const run = await rateRun(settings, label, target, rate, scenario, afterRun);
    runs.push(run);
    const leaked = await between();
    if (typeof leaked === 'number') run.leakedSessions = leaked;
    if (!run.ok) {
      bad = rate;
      break;
    }
    good = rate;
    // sipp (or the machine) could not create calls this fast: higher rates would say nothing more.
    if (run.outcome.achievedRate < rate * 0.95) break;
  }
  for (let step = 0; step < settings.refineSteps && bad !== null; step++) {
    const low = good ?? 0;
    const mid = Math.round((low + bad) / 2 / 10) * 10;
    if (mid <= low || mid >= bad) break;
    const run = await rateRun(settings, `${label} (refine)`, target, mid, scenario, afterRun);
    runs.push(run);
    const leaked = await between();
    if (typeof leaked === 'number') run.leakedSessions = leaked;
    if (run.ok) good = mid;
    else bad = mid;
  }
  return { runs, sustained: sustainedRate(runs) };
}

/** A rate counts as sustained when sipp really created calls that fast (within 5 %); else what it reached counts. */
export function sustainedRate(runs: RateRun[]): number {
  return runs.filter((r) => r.ok).reduce((best, r) => Math.max(best, r.outcome.achievedRate >= r.rate * 0.95 ? r.rate : r.outcome.achievedRate), 0);
}

/** Every run succeeded, so the sustained rate is only a lower bound. */
export const lowerBound = (runs: RateRun[] | undefined): boolean => !!runs && runs.length > 0 && runs.every((r) => r.ok);

/** "first failure at N/s" or "no failure up to N/s (the highest tried)". */
export function ceiling(runs: RateRun[] | undefined): string {
  if (!runs || runs.length === 0) return 'not measured';
  const failedAt = runs.find((r) => !r.ok);
  return failedAt ? `first failure at ${failedAt.rate}/s` : `no failure up to ${runs[runs.length - 1]?.rate ?? '?'}/s (the highest tried)`;
}

/** CPU ms a component spent per successful call of a run (NaN when it did not run). */
export function cpuMsPerCall(run: RateRun, component: string): number {
  const pct = run.cpu.average.get(component);
  return pct === undefined ? NaN : ((pct / 100) * run.cpu.seconds * 1000) / Math.max(1, run.outcome.successful);
}

/** CPU ms per successful call per component, at the highest rate without failure. */
export function costPerCall(runs: RateRun[] | undefined): string {
  const best = [...(runs ?? [])].filter((r) => r.ok).sort((x, y) => y.rate - x.rate)[0];
  if (!best) return 'n/a';
  const parts = [...best.cpu.average.entries()]
    .filter(([component, pct]) => component !== OTHERS && pct >= 1)
    .sort((x, y) => y[1] - x[1])
    .map(([component, pct]) => `${component.replace(/ \(bench \+ app\)/, '')} ${fmt(((pct / 100) * best.cpu.seconds * 1000) / Math.max(1, best.outcome.successful), 2)}`);
  return `${parts.join(', ')} (ms of CPU per call, at ${best.rate}/s)`;
}

export function rateTable(title: string, runs: RateRun[]): string {
  const head = ['rate/s', 'created/s', 'calls', 'ok', 'failed', 'unfin.', 'INVITE→200', 'retrans', 'max conc.', 'rows', 'leaked', 'late ng', 'node CPU', 'busiest child', 'rtpengine ms/call', 'not bench', 'result'];
  const body = runs.map((r) => {
    const others = [...r.cpu.average.entries()].filter(([component]) => !component.startsWith('node') && component !== OTHERS).sort((a, b) => b[1] - a[1])[0];
    return [
      fmt(r.rate), fmt(r.outcome.achievedRate, 1), fmt(r.outcome.created), fmt(r.outcome.successful), fmt(r.outcome.failed), fmt(r.outcome.unfinished),
      r.outcome.inviteTo200Ms !== null ? rtdText(r.outcome.inviteTo200Ms) : 'n/a',
      fmt(r.outcome.retransmissions), fmt(r.outcome.maxCurrent), r.recordsWritten !== undefined ? fmt(r.recordsWritten) : 'n/a', r.leakedSessions !== undefined ? fmt(r.leakedSessions) : 'n/a', r.recordsWritten !== undefined ? fmt(r.lateNgReplies) : 'n/a',
      `${fmt([...r.cpu.average.entries()].find(([c]) => c.startsWith('node'))?.[1] ?? NaN)}%`,
      others ? `${others[0]} ${fmt(others[1])}%` : '',
      fmt(cpuMsPerCall(r, 'rtpengine'), 2),
      `${fmt(r.cpu.average.get(OTHERS) ?? NaN)}%`,
      r.ok ? 'OK' : `FAIL ${r.note}`,
    ];
  });
  return textTable(title, head, body);
}
