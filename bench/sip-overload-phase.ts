/**
 * The overload phase of bench:sip (issue 16): Switchboard offered twice the
 * rate it sustained, for the same seconds. Its overload control must refuse
 * the excess at once (503 + Retry-After, before any media) so that every
 * admitted call succeeds. Reports admitted vs refused, failures among the
 * admitted (target 0), and how fast the 503 came (sipp's response time of
 * the 503, p50/p99; target within 20 ms).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { refusableCallerScenario } from '../test/helpers/sipp-scenario';
import { fmt, log } from './lib/format';
import { cpuLine, ProcessUsageSampler, type UsageTotals } from './lib/process-usage';
import { runSipp, type SippOutcome } from './lib/sipp';

/** The 503's target: refused within this many ms (issue 16). */
export const REFUSAL_TARGET_MS = 20;

export interface OverloadFigures {
  rate: number;
  /** The rate was BENCH_OVERLOAD_RATE, not twice the sustained one. */
  givenRate: boolean;
  seconds: number;
  outcome: SippOutcome;
  admitted: number;
  refused: number;
  /** Admitted calls that failed or did not finish (target 0). */
  admittedFailures: number;
  refusalMs: Percentiles | null;
  answerMs: Percentiles | null;
  cpu: UsageTotals;
  recordsWritten: number;
}

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of sipp's per-call response times (whole ms). */
export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
  return { count: sorted.length, p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1] as number };
}

/** sipp's -trace_rtt file: "Date_ms;response_time_ms;rtd_name" per measured response. */
function responseTimes(dir: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('_rtt.csv')) : undefined;
  if (!file) return out;
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n').slice(1)) {
    const [, ms, name] = line.split(';');
    if (name === undefined || ms === undefined) continue;
    const list = out.get(name.trim()) ?? [];
    list.push(Number(ms));
    out.set(name.trim(), list);
  }
  return out;
}

export async function overloadPhase(ctx: {
  target: string;
  caller: string;
  sustained: number;
  /** Calls/s to offer; null: twice `sustained`. */
  rate: number | null;
  seconds: number;
  callMs: number;
  rootComponent: string;
  recordsAfter: (outcome: SippOutcome) => Promise<number>;
  drain: () => Promise<number>;
}): Promise<OverloadFigures> {
  const rate = ctx.rate ?? Math.max(10, Math.round(ctx.sustained * 2));
  const calls = Math.round(rate * ctx.seconds);
  log(`overload: ${rate} calls/s (${ctx.rate === null ? '2×' : 'BENCH_OVERLOAD_RATE; sustained'} ${fmt(ctx.sustained)}) for ${ctx.seconds} s, ${calls} calls of ${ctx.callMs / 1000} s; each admitted or refused with 503…`);
  const refusable = refusableCallerScenario({
    from: ctx.caller, to: 'hotline', steps: [{ pauseMs: ctx.callMs }, { hangUp: true }], refusal: { status: 503, reason: 'Service Unavailable \\(overloaded' },
  });
  // Only the overload control's 503 counts as a refusal: a 503 for anything else (rtpengine timing out on an admitted call)
  // fails sipp's check, so it counts among the admitted calls that failed.
  // The 503's own response time (sipp times every rtd from the call's start, i.e. its INVITE).
  const marker = '<recv response="503" optional="true" next="refused">';
  if (!refusable.includes(marker)) throw new Error('refusableCallerScenario no longer has the expected shape: update bench/sip-overload-phase.ts');
  const xml = refusable.replace(marker, '<recv response="503" optional="true" next="refused" rtd="refused">');
  const sampler = new ProcessUsageSampler({ rootComponent: ctx.rootComponent });
  sampler.start();
  const outcome = await runSipp({
    target: ctx.target, rate, calls, scenario: { xml },
    limit: Math.ceil(rate * (ctx.callMs / 1000 + 15)),
    timeoutSeconds: ctx.seconds + Math.ceil(ctx.callMs / 1000) + 45,
    extraArgs: ['-trace_rtt', '-rtt_freq', '1'],
  });
  const cpu = sampler.stop();
  const times = responseTimes(outcome.dir);
  const refusalTimes = times.get('refused') ?? [];
  const refused = refusalTimes.length;
  const admitted = outcome.created - refused;
  const admittedFailures = outcome.failed + outcome.unfinished;
  const recordsWritten = await ctx.recordsAfter(outcome);
  await ctx.drain();
  const figures: OverloadFigures = {
    rate, givenRate: ctx.rate !== null, seconds: ctx.seconds, outcome, admitted, refused, admittedFailures,
    refusalMs: percentiles(refusalTimes), answerMs: percentiles(times.get('1') ?? []), cpu, recordsWritten,
  };
  log(`  → ${admitted} admitted, ${refused} refused (503), ${admittedFailures} admitted calls failed; 503 after p50 ${figures.refusalMs?.p50 ?? '–'} ms, p99 ${figures.refusalMs?.p99 ?? '–'} ms; call rows ${recordsWritten}`);
  log(`    CPU: ${cpuLine(cpu)}`);
  if (admittedFailures > 0 && outcome.errorSample) log(`    sipp errors:\n${outcome.errorSample.split('\n').map((l) => `      ${l}`).join('\n')}`);
  return figures;
}

/** The phase's lines in the report. */
export function overloadReport(o: OverloadFigures): string[] {
  const ms = (p: Percentiles | null): string => (p ? `p50 ${fmt(p.p50)} ms, p99 ${fmt(p.p99)} ms, max ${fmt(p.max)} ms (${fmt(p.count)} calls)` : 'n/a');
  return [
    `4. Overload — ${fmt(o.rate)} calls/s offered (${o.givenRate ? 'BENCH_OVERLOAD_RATE' : '2× Switchboard\'s sustained rate'}) for ${o.seconds} s, callers as in 2`,
    `  offered ${fmt(o.outcome.created)} (sipp reached ${fmt(o.outcome.achievedRate, 1)} calls/s): admitted ${fmt(o.admitted)} (${fmt((o.admitted / Math.max(1, o.outcome.created)) * 100, 1)} %), refused with 503 ${fmt(o.refused)}`,
    `  failures among admitted calls:          ${fmt(o.admittedFailures)} (target 0)${o.outcome.failReasons.length ? ` — ${o.outcome.failReasons.join(', ')}` : ''}; call rows written ${fmt(o.recordsWritten)}`,
    `  503 response time:                      ${ms(o.refusalMs)}; target p99 ≤ ${REFUSAL_TARGET_MS} ms → ${o.refusalMs ? (o.refusalMs.p99 <= REFUSAL_TARGET_MS ? 'MET' : 'NOT MET') : 'not measured'}`,
    `  INVITE → 200 of admitted calls:         ${ms(o.answerMs)}`,
    `  CPU: ${cpuLine(o.cpu)}`,
  ];
}
