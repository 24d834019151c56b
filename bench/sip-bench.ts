/**
 * SIP benchmark (design §6, issue 5 `npm run bench:sip`). Prints figures; it
 * never fails on time. Everything it starts (drachtio-server, Postgres, the
 * whole Switchboard system, sipp) is stopped in a `finally`; all SIP and RTP
 * traffic stays on 127.0.0.1.
 *
 *   1. Baseline: a trivial answer-only drachtio-srf app (200 + static SDP, no
 *      media) on a drachtio-server of its own, driven by sipp's built-in `uac`
 *      scenario at rising call rates; highest rate with zero failed calls.
 *   2. Switchboard: the whole system in this process (private Postgres, demo
 *      data, the published hotline flow), sipp callers into the IVR (INVITE
 *      PCMA + telephone-event, a few seconds hearing the greeting, BYE) at the
 *      same rising rates; highest rate with zero failed calls, ratio to 1.
 *   3. RSS of this process (Switchboard runs in it) while 2,000 calls sit in
 *      the IVR at once.
 *
 *   npx tsx bench/sip-bench.ts
 *
 * Environment (all optional):
 *   BENCH_SECONDS      seconds of new calls per rate (default 60, as issue 5 asks)
 *   BENCH_RATES        comma-separated calls/s to try (default 50,100,200,400,700,1000)
 *   BENCH_REFINE       extra bisection steps between the last good and the first failed rate (default 1)
 *   BENCH_CALL_MS      how long each call lasts in the rate runs (default 3000)
 *   BENCH_HOLD_CALLS   concurrent calls for the RSS figure (default 2000)
 *   BENCH_HOLD_RATE    calls/s while filling up to BENCH_HOLD_CALLS (default: Switchboard's sustained rate, 50..200)
 *   BENCH_RTP_MIN/MAX  rtpengine media port range (default 20000-32000, below the ephemeral range)
 *   BENCH_LOG_LEVEL    Switchboard's log level (default warn; the log goes to a temp file, summarised at the end)
 *   BENCH_SKIP         comma-separated phases to skip: baseline, switchboard, rss
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import pino from 'pino';
import { Client as NgClient } from 'rtpengine-client';
import { loadConfig } from '../src/config/load-config';
import { startPostgresServer } from '../src/db/postgres-server';
import type { Logger } from '../src/logger';
import { findExecutable, freeTcpPort, type RunningService } from '../src/platform/managed-process';
import { startSystem, type RunningSystem } from '../src/runtime/start-system';
import { startDrachtioServer } from '../src/sip/drachtio-process';
import { SipConnection } from '../src/sip/sip-connection';
import { SEND_BYE, callerScenario } from '../test/helpers/sipp';

// ---------------------------------------------------------------- settings

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}; got ${JSON.stringify(raw)}`);
  return Math.floor(value);
}

const SECONDS = envInt('BENCH_SECONDS', 60);
const RATES = (process.env.BENCH_RATES ?? '50,100,200,400,700,1000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isFinite(n) && n > 0)
  .sort((a, b) => a - b);
const REFINE_STEPS = envInt('BENCH_REFINE', 1, 0);
const CALL_MS = envInt('BENCH_CALL_MS', 3000);
const HOLD_CALLS = envInt('BENCH_HOLD_CALLS', 2000);
const HOLD_RATE_ENV = process.env.BENCH_HOLD_RATE ? envInt('BENCH_HOLD_RATE', 100) : null;
const RTP_MIN = envInt('BENCH_RTP_MIN', 20000, 1024);
const RTP_MAX = envInt('BENCH_RTP_MAX', 32000, 1025);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const LOOPBACK = '127.0.0.1';
const CALLER = '+74951000001';
const TARGET_RATE = 100;
const TARGET_RATIO = 0.5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const mb = (bytes: number): string => `${fmt(bytes / 1024 / 1024, 0)} MB`;
const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------------------------------------------------------------- idle RSS needs a full GC first

v8.setFlagsFromString('--expose-gc');
const fullGc = vm.runInNewContext('gc') as () => void;

/** RSS after a full collection and a moment for the allocator to give pages back. */
async function idleRss(): Promise<number> {
  fullGc();
  await sleep(500);
  fullGc();
  return process.memoryUsage().rss;
}

// ---------------------------------------------------------------- late rtpengine replies

/**
 * rtpengine-client console.logs every ng reply that arrives after its request
 * timed out (lib/BaseClient.js _onParsedMessage). Under overload that is
 * thousands of lines: counted here instead of printed.
 */
let lateNgReplies = 0;
const consoleLog = console.log.bind(console);
console.log = (...args: unknown[]): void => {
  if (typeof args[1] === 'string' && args[1].startsWith('received a response from rtpengine with unknown msg id')) {
    lateNgReplies++;
    return;
  }
  consoleLog(...args);
};

// ---------------------------------------------------------------- clean-up

/** Everything started, newest last; run in reverse by the outer `finally`. */
const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
const children = new Set<ChildProcess>();

async function cleanUp(downTo = 0): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  while (cleanups.length > downTo) {
    const step = cleanups.pop()!;
    try {
      await step.run();
    } catch (err) {
      console.error(`clean-up of ${step.name} failed: ${(err as Error).message}`);
    }
  }
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push({ name: `temp dir ${dir}`, run: () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

// ---------------------------------------------------------------- errors nobody caught

/**
 * Switchboard runs in this process. An unhandled rejection or uncaught
 * exception from it would end the bench before its `finally` (and, in
 * production, end Switchboard): it is recorded here, counted against the run
 * in progress, and reported.
 */
const processErrors: Array<{ at: number; text: string }> = [];

function recordProcessError(kind: string, reason: unknown): void {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  const code = (err as Error & { code?: unknown }).code;
  const where = (err.stack ?? '').split('\n').slice(1).find((l) => l.includes('/src/') || l.includes('/bench/'))?.trim() ?? (err.stack ?? '').split('\n')[1]?.trim() ?? '';
  processErrors.push({ at: Date.now(), text: `${kind}: ${err.message}${typeof code === 'string' ? ` (${code})` : ''}${where ? ` ${where}` : ''}` });
  if (processErrors.length <= 3) log(`!! ${kind} in this process (would crash Switchboard): ${err.message}${typeof code === 'string' ? ` (${code})` : ''}`);
}

function distinctErrors(since: number): string[] {
  const counts = new Map<string, number>();
  for (const e of processErrors) if (e.at >= since) counts.set(e.text, (counts.get(e.text) ?? 0) + 1);
  return [...counts.entries()].map(([text, n]) => `${n}× ${text}`);
}

// ---------------------------------------------------------------- CPU of everything this process started

interface ProcStat {
  comm: string;
  ppid: number;
  ticks: number;
}

const CLK_TCK = 100;

function readProcs(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // After "(comm) ": state ppid ... utime(14) stime(15) counted from pid=1.
      out.set(Number(entry), { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

/** This process and all its descendants (Postgres backends are grandchildren). */
function ownTree(): Map<number, ProcStat> {
  const all = readProcs();
  const mine = new Map<number, ProcStat>();
  const self = all.get(process.pid);
  if (self) mine.set(process.pid, { ...self, comm: 'node (bench + app)' });
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of all) {
      if (!mine.has(pid) && mine.has(stat.ppid)) {
        mine.set(pid, stat);
        grew = true;
      }
    }
  }
  return mine;
}

interface CpuFigures {
  /** Average % of one core over the run, per process name (200 % = both cores). */
  average: Map<string, number>;
  /** Wall time the figures cover. */
  seconds: number;
  /** Highest one-second % per process name. */
  peak: Map<string, number>;
}

/** Busy jiffies of the whole machine (all cores), from /proc/stat. */
function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

const OTHERS = 'other processes on the machine';

class CpuSampler {
  private machineFirst = 0;
  private machinePrev = 0;
  private first = new Map<number, ProcStat>();
  private last = new Map<number, ProcStat>();
  private prevAt = 0;
  private startedAt = 0;
  private readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.first = ownTree();
    this.last = this.first;
    this.machineFirst = this.machinePrev = machineBusyTicks();
    this.startedAt = this.prevAt = Date.now();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  private sample(): void {
    const now = ownTree();
    const at = Date.now();
    const perComm = new Map<string, number>();
    for (const [pid, stat] of now) {
      const before = this.last.get(pid)?.ticks ?? (this.first.has(pid) ? this.first.get(pid)!.ticks : 0);
      perComm.set(stat.comm, (perComm.get(stat.comm) ?? 0) + Math.max(0, stat.ticks - before));
      if (!this.first.has(pid)) this.first.set(pid, { ...stat, ticks: 0 });
    }
    const machine = machineBusyTicks();
    const ownTicks = [...perComm.values()].reduce((a, b) => a + b, 0);
    perComm.set(OTHERS, Math.max(0, machine - this.machinePrev - ownTicks));
    this.machinePrev = machine;
    const seconds = (at - this.prevAt) / 1000;
    if (seconds > 0.2) {
      for (const [comm, ticks] of perComm) this.peak.set(comm, Math.max(this.peak.get(comm) ?? 0, (ticks / CLK_TCK / seconds) * 100));
    }
    // Keep processes that ended: their last reading still counts.
    const merged = new Map(this.last);
    for (const [pid, stat] of now) merged.set(pid, stat);
    this.last = merged;
    this.prevAt = at;
  }

  stop(): CpuFigures {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const seconds = (Date.now() - this.startedAt) / 1000;
    const average = new Map<string, number>();
    for (const [pid, stat] of this.last) {
      const used = stat.ticks - (this.first.get(pid)?.ticks ?? 0);
      average.set(stat.comm, (average.get(stat.comm) ?? 0) + ((used / CLK_TCK) / seconds) * 100);
    }
    const ownTotal = [...average.values()].reduce((a, b) => a + b, 0);
    const machineTotal = (((this.machinePrev - this.machineFirst) / CLK_TCK) / seconds) * 100;
    average.set(OTHERS, Math.max(0, machineTotal - ownTotal));
    return { average, peak: this.peak, seconds };
  }
}

function cpuLine(cpu: CpuFigures): string {
  return [...cpu.average.entries()]
    .filter(([, pct]) => pct >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([comm, pct]) => `${comm} ${fmt(pct)}% (peak ${fmt(cpu.peak.get(comm) ?? 0)}%)`)
    .join(', ');
}

// ---------------------------------------------------------------- sipp

type Scenario = { builtin: 'uac'; callMs: number } | { xml: string };

interface SippOutcome {
  exitCode: number | null;
  created: number;
  successful: number;
  failed: number;
  /** Created but neither successful nor failed when sipp stopped (global timeout). */
  unfinished: number;
  /** Calls created per second while sipp was creating them. */
  achievedRate: number;
  wallSeconds: number;
  /** Mean INVITE → 200 time (ms), when the scenario measures it. */
  inviteTo200Ms: number | null;
  retransmissions: number;
  maxCurrent: number;
  failReasons: string[];
  errorSample: string;
  rows: StatRow[];
}

interface StatRow {
  t: number;
  created: number;
  current: number;
  successful: number;
  failed: number;
}

/** sipp's "hh:mm:ss:uuuuuu" as milliseconds. */
function sippDurationMs(value: string | undefined): number {
  const parts = (value ?? '').split(':').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return NaN;
  const [h = 0, m = 0, s = 0, us = 0] = parts;
  return (h * 3600 + m * 60 + s) * 1000 + us / 1000;
}

/** "date\ttime\tepoch" → epoch seconds. */
function sippEpoch(value: string | undefined): number {
  return Number((value ?? '').split('\t')[2]);
}

function parseStats(file: string): { header: string[]; lines: string[][] } {
  if (!existsSync(file)) return { header: [], lines: [] };
  const text = readFileSync(file, 'utf8').trim().split('\n');
  return { header: (text[0] ?? '').split(';'), lines: text.slice(1).map((l) => l.split(';')) };
}

async function runSipp(options: { target: string; rate: number; calls: number; limit: number; scenario: Scenario; timeoutSeconds: number }): Promise<SippOutcome> {
  const dir = tempDir('sip-bench-sipp-');
  const statFile = path.join(dir, 'stat.csv');
  const errorFile = path.join(dir, 'errors.log');
  const args = [options.target];
  if ('builtin' in options.scenario) args.push('-sn', options.scenario.builtin, '-d', String(options.scenario.callMs));
  else {
    writeFileSync(path.join(dir, 'scenario.xml'), options.scenario.xml);
    args.push('-sf', path.join(dir, 'scenario.xml'));
  }
  args.push(
    '-i', LOOPBACK, '-p', String(await freeTcpPort()), '-mp', String(await freeTcpPort()),
    '-r', String(options.rate), '-rp', '1000', '-m', String(options.calls), '-l', String(options.limit),
    // A call whose answer does not come within 10 s is a failed call, not a 64 s INVITE retransmission tail.
    '-recv_timeout', '10000',
    '-timeout', `${options.timeoutSeconds}s`, '-nostdin',
    '-trace_stat', '-stf', statFile, '-fd', '1',
    '-trace_err', '-error_file', errorFile,
  );
  const started = Date.now();
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const hardKill = setTimeout(() => child.kill('SIGKILL'), (options.timeoutSeconds + 20) * 1000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
  clearTimeout(hardKill);
  children.delete(child);
  const wallSeconds = (Date.now() - started) / 1000;

  const { header, lines } = parseStats(statFile);
  const col = (line: string[] | undefined, name: string): string | undefined => (line ? line[header.indexOf(name)] : undefined);
  const num = (line: string[] | undefined, name: string): number => Number(col(line, name) ?? 0) || 0;
  const startEpoch = sippEpoch(col(lines[0], 'StartTime'));
  const rows: StatRow[] = lines.map((l) => ({
    t: sippEpoch(col(l, 'CurrentTime')) - startEpoch,
    created: num(l, 'OutgoingCall(C)'),
    current: num(l, 'CurrentCall'),
    successful: num(l, 'SuccessfulCall(C)'),
    failed: num(l, 'FailedCall(C)'),
  }));
  const last = lines[lines.length - 1];
  const created = num(last, 'OutgoingCall(C)');
  const successful = num(last, 'SuccessfulCall(C)');
  const failed = num(last, 'FailedCall(C)');
  // When were all calls created? Interpolated between the one-second rows.
  let creationSeconds = NaN;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.created >= created && created > 0) {
      const prev = rows[i - 1];
      creationSeconds = prev && row.created > prev.created ? prev.t + ((created - prev.created) / (row.created - prev.created)) * (row.t - prev.t) : row.t;
      break;
    }
  }
  const failReasons = header
    .map((name, i) => ({ name, value: Number(last?.[i] ?? 0) }))
    .filter((f) => /^Failed.+\(C\)$/.test(f.name) && f.name !== 'FailedCall(C)' && f.value > 0)
    .map((f) => `${f.name.replace(/^Failed|\(C\)$/g, '')}=${f.value}`);
  const rtd = sippDurationMs(col(last, 'ResponseTime1(C)'));
  let errorSample = '';
  if (existsSync(errorFile)) {
    const distinct = new Map<string, number>();
    // Each error starts with a time-stamped line; the SIP message it quotes follows on the next lines.
    for (const line of readFileSync(errorFile, 'utf8').split('\n')) {
      if (!/^\d{4}-\d\d-\d\d\s/.test(line)) continue;
      const key = line
        .replace(/^\d{4}-\d\d-\d\d\s+[\d:.]+\s+[\d.]+:\s*/, '')
        .replace(/Call-Id '[^']*'/gi, "Call-Id '…'")
        .replace(/\d{4,}/g, 'N')
        .trim();
      if (key) distinct.set(key, (distinct.get(key) ?? 0) + 1);
    }
    errorSample = [...distinct.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${n}× ${k.slice(0, 160)}`).join('\n');
  }
  if (rows.length === 0) errorSample = `sipp wrote no statistics (exit ${exitCode}):\n${tail.slice(-1500)}`;
  return {
    exitCode, created, successful, failed, unfinished: Math.max(0, created - successful - failed),
    achievedRate: created > 0 && creationSeconds > 0 ? created / creationSeconds : NaN,
    wallSeconds, inviteTo200Ms: Number.isFinite(rtd) ? rtd : null,
    retransmissions: num(last, 'Retransmissions(C)'),
    maxCurrent: rows.reduce((m, r) => Math.max(m, r.current), 0),
    failReasons, errorSample, rows,
  };
}

// ---------------------------------------------------------------- rising rates

/** sipp measures response times in whole milliseconds. */
const rtdText = (ms: number): string => (ms < 1 ? '< 1 ms' : `${fmt(ms, 0)} ms`);

interface RateRun {
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

async function rateRun(label: string, target: string, rate: number, scenario: Scenario, afterRun?: (outcome: SippOutcome) => Promise<number>): Promise<RateRun> {
  const callSeconds = CALL_MS / 1000;
  const calls = Math.round(rate * SECONDS);
  log(`${label}: ${rate} calls/s for ${SECONDS} s (${calls} calls of ${callSeconds} s)…`);
  const sampler = new CpuSampler();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  sampler.start();
  const runStartedAt = Date.now();
  const lateBefore = lateNgReplies;
  const outcome = await runSipp({
    target, rate, calls, scenario,
    // Room for every call of the rate plus slow answers; the rate, not this, is what limits sipp.
    limit: Math.ceil(rate * (callSeconds + 15)),
    timeoutSeconds: SECONDS + Math.ceil(callSeconds) + 45,
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
  const run: RateRun = { rate, outcome, cpu, loopDelayP99Ms: loop.percentile(99) / 1e6, loopDelayMaxMs: loop.max / 1e6, ok, note, crashes, lateNgReplies: lateNgReplies - lateBefore };
  if (afterRun) run.recordsWritten = await afterRun(outcome);
  log(`  → ${outcome.successful} ok, ${outcome.failed} failed, ${outcome.unfinished} unfinished, ${fmt(outcome.achievedRate, 1)} calls/s created` +
    `${outcome.inviteTo200Ms !== null ? `, INVITE→200 mean ${rtdText(outcome.inviteTo200Ms)}` : ''}, retrans ${outcome.retransmissions}, max concurrent ${outcome.maxCurrent}` +
    `${run.recordsWritten !== undefined ? `, call rows ${run.recordsWritten}` : ''}${run.lateNgReplies ? `, late rtpengine replies ${run.lateNgReplies}` : ''}`);
  log(`    CPU: ${cpuLine(cpu)}; event loop p99 ${fmt(run.loopDelayP99Ms, 1)} ms, max ${fmt(run.loopDelayMaxMs, 0)} ms`);
  for (const c of crashes) log(`    unhandled: ${c}`);
  if (!ok && outcome.errorSample) log(`    sipp errors:\n${outcome.errorSample.split('\n').map((l) => `      ${l}`).join('\n')}`);
  return run;
}

/** Rising rates until the first with any failed call; then `REFINE_STEPS` bisections between the last good and that one. */
async function risingRates(label: string, target: string, scenario: Scenario, between: () => Promise<number | void>, afterRun?: (outcome: SippOutcome) => Promise<number>): Promise<{ runs: RateRun[]; sustained: number }> {
  const runs: RateRun[] = [];
  let good: number | null = null;
  let bad: number | null = null;
  for (const rate of RATES) {
    const run = await rateRun(label, target, rate, scenario, afterRun);
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
  for (let step = 0; step < REFINE_STEPS && bad !== null; step++) {
    const low = good ?? 0;
    const mid = Math.round((low + bad) / 2 / 10) * 10;
    if (mid <= low || mid >= bad) break;
    const run = await rateRun(`${label} (refine)`, target, mid, scenario, afterRun);
    runs.push(run);
    const leaked = await between();
    if (typeof leaked === 'number') run.leakedSessions = leaked;
    if (run.ok) good = mid;
    else bad = mid;
  }
  // A rate counts as sustained when sipp really created calls that fast (within 5 %); else what it reached counts.
  const sustained = runs.filter((r) => r.ok).reduce((best, r) => Math.max(best, r.outcome.achievedRate >= r.rate * 0.95 ? r.rate : r.outcome.achievedRate), 0);
  return { runs, sustained };
}

// ---------------------------------------------------------------- versions

function versionOf(command: string, args: string[], pick: (out: string) => string | undefined): Promise<string> {
  return new Promise((resolve) => {
    if (!findExecutable(command)) return resolve('not installed');
    execFile(command, args, { timeout: 5000 }, (_err, stdout, stderr) => resolve(pick(`${stdout}\n${stderr}`)?.trim() ?? 'unknown'));
  });
}

// ---------------------------------------------------------------- phase 1: baseline

const STATIC_SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');

interface DrachtioPlan {
  /** Start our own drachtio-server (binary on PATH), else use the one at DRACHTIO_HOST. */
  binary: string | null;
  external: { host: string; port: number; secret: string; sipPort: number } | null;
}

async function connectSrf(connection: SipConnection): Promise<void> {
  connection.connect();
  const deadline = Date.now() + 15000;
  while (connection.status().state !== 'up') {
    if (Date.now() > deadline) throw new Error(`drachtio-srf did not connect: ${connection.status().detail ?? 'no detail'}`);
    await sleep(100);
  }
}

async function baselinePhase(plan: DrachtioPlan, logger: Logger): Promise<{ runs: RateRun[]; sustained: number }> {
  let admin: { host: string; port: number; secret: string };
  let sipTarget: string;
  let drachtio: RunningService | null = null;
  if (plan.binary) {
    const workDir = tempDir('sip-bench-drachtio-');
    const adminPort = await freeTcpPort();
    const sipPort = await freeTcpPort();
    drachtio = await startDrachtioServer({ binary: plan.binary, adminPort, secret: 'bench', listen: { addresses: [LOOPBACK], sipPort, wsPort: await freeTcpPort(), tls: null }, workDir, logger });
    admin = { host: LOOPBACK, port: adminPort, secret: 'bench' };
    sipTarget = `${LOOPBACK}:${sipPort}`;
  } else {
    const ext = plan.external!;
    admin = { host: ext.host, port: ext.port, secret: ext.secret };
    sipTarget = `${LOOPBACK}:${ext.sipPort}`;
  }
  const connection = new SipConnection({ ...admin, logger });
  const dialogs = new Set<{ destroy(): unknown }>();
  let answerErrors = 0;
  try {
    connection.srf.invite((req, res) => {
      connection.srf
        .createUAS(req, res, { localSdp: STATIC_SDP })
        .then((dialog) => {
          dialogs.add(dialog);
          dialog.on('destroy', () => dialogs.delete(dialog));
        })
        .catch(() => {
          answerErrors++;
        });
    });
    await connectSrf(connection);
    log(`baseline: trivial drachtio-srf app connected to drachtio-server ${plan.binary ? '(own)' : '(DRACHTIO_HOST)'}; SIP at ${sipTarget}`);
    const result = await risingRates('baseline', sipTarget, { builtin: 'uac', callMs: CALL_MS }, async () => {
      // Let the last BYEs and transactions settle before the next rate.
      const deadline = Date.now() + 10000;
      while (dialogs.size > 0 && Date.now() < deadline) await sleep(200);
      await sleep(1000);
    });
    if (answerErrors > 0) log(`baseline: createUAS failed ${answerErrors} times`);
    return result;
  } finally {
    connection.disconnect();
    if (drachtio) await drachtio.stop();
  }
}

// ---------------------------------------------------------------- phase 2 and 3: Switchboard

/** A caller that waits in the IVR up to `holdMs` then hangs up; if Switchboard hangs up first, it answers the BYE (both are successful calls). */
function holdScenario(holdMs: number): string {
  const xml = callerScenario({ from: CALLER, to: 'hotline', steps: [{ awaitBye: true, timeoutMs: holdMs }] });
  const marker = `<recv request="BYE" timeout="${holdMs}"/>`;
  if (!xml.includes(marker) || !xml.includes('</scenario>')) throw new Error('callerScenario no longer has the expected shape: update holdScenario in bench/sip-bench.ts');
  const hangUp = `  <nop next="end"/>
  <label id="hangup"/>
${SEND_BYE}
  <label id="end"/>
`;
  return xml.replace(marker, `<recv request="BYE" timeout="${holdMs}" ontimeout="hangup"/>`).replace('</scenario>', `${hangUp}</scenario>`);
}

/** rtpengine's own count of the calls it holds (`statistics` → currentstatistics.sessionsown). */
async function rtpengineSessions(ng: NgClient, port: number): Promise<number | null> {
  try {
    const reply = (await (ng as unknown as { statistics(port: number, host: string): Promise<Record<string, unknown>> }).statistics(port, LOOPBACK)) as {
      statistics?: { currentstatistics?: { sessionsown?: number; sessionstotal?: number } };
    };
    const current = reply.statistics?.currentstatistics;
    const n = current?.sessionsown ?? current?.sessionstotal;
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

/** Deletes every session rtpengine holds (ng `list` in batches, then `delete` by call-id). Returns how many. */
async function purgeRtpengine(ng: NgClient, port: number): Promise<number> {
  const deleted = new Set<string>();
  for (let round = 0; round < 50; round++) {
    let ids: string[] = [];
    try {
      const reply = await ng.list(port, LOOPBACK, { limit: 200 });
      ids = Array.isArray(reply.calls) ? reply.calls.map((id) => (Buffer.isBuffer(id) ? id.toString() : String(id))) : [];
    } catch {
      break;
    }
    if (ids.length === 0 || ids.every((id) => deleted.has(id))) break;
    for (let i = 0; i < ids.length; i += 20) {
      const batch = ids.slice(i, i + 20);
      // Without delete-delay 0, rtpengine keeps a deleted call listed for 30 s.
      const results = await Promise.allSettled(batch.map((id) => ng.delete(port, LOOPBACK, { 'call-id': id, 'delete-delay': 0 })));
      results.forEach((r, j) => {
        if (r.status === 'fulfilled' && r.value.result === 'ok') deleted.add(batch[j]!);
      });
    }
  }
  return deleted.size;
}

interface RssFigures {
  idleAfterStart: number;
  idleBeforeHold: number;
  holdRate: number;
  holdSeconds: number;
  peakSessions: number | null;
  peakSippCurrent: number;
  peakAnswered: number;
  sampledPeak: number;
  leaked: number;
  rssAtPlateau: number;
  heapAtPlateau: number;
  rssMax: number;
  rssAfterDrain: number;
  outcome: SippOutcome;
  cpu: CpuFigures;
  reason: string;
  crashes: string[];
}

interface SwitchboardFigures {
  runs: RateRun[];
  sustained: number;
  rss: RssFigures | null;
  components: string;
  logSummary: string;
}

async function switchboardPhase(plan: DrachtioPlan, logLines: () => string): Promise<SwitchboardFigures> {
  const root = tempDir('sip-bench-system-');
  if (process.getuid?.() === 0) chmodSync(root, 0o755);
  log('switchboard: starting a private Postgres…');
  const postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: await freeTcpPort(), fast: true });
  cleanups.push({ name: 'postgres', run: () => postgres.stop() });
  // The bench's own pool reads call rows; startSystem runs the migrations and seeds the demo data.
  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  db.on('error', () => undefined);
  cleanups.push({ name: 'bench pool', run: () => db.end() });

  const ngPort = await freeTcpPort();
  const sipPort = plan.binary ? await freeTcpPort() : plan.external!.sipPort;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development', LOG_LEVEL: LOG_LEVEL, SWITCHBOARD_DATA_DIR: path.join(root, 'data'), HOST: LOOPBACK,
    PORT: String(await freeTcpPort()), DATABASE_URL: postgres.url, REDIS_PORT: String(await freeTcpPort()),
    RTPENGINE_NG_PORT: String(ngPort), RTPENGINE_DTMF_LOG_PORT: String(await freeTcpPort()),
    RTPENGINE_PORT_MIN: String(RTP_MIN), RTPENGINE_PORT_MAX: String(RTP_MAX),
    DRACHTIO_PORT: String(plan.binary ? await freeTcpPort() : plan.external!.port), DRACHTIO_SIP_PORT: String(sipPort), DRACHTIO_WS_PORT: String(await freeTcpPort()),
    ...(plan.binary ? {} : { DRACHTIO_HOST: plan.external!.host, DRACHTIO_SECRET: plan.external!.secret }),
  };
  const config = loadConfig({ env });
  log('switchboard: starting the system (migrations, demo data, Redis, rtpengine, drachtio-server, HTTP)…');
  const system: RunningSystem = await startSystem(config, systemLogger);
  cleanups.push({ name: 'switchboard system', run: () => system.stop() });
  const components = system.components.map((c) => `${c.name}: ${c.how}`).join(', ');
  log(`switchboard: up (${components})`);
  const calls = system.components.find((c) => c.name === 'calls');
  if (!calls || calls.how !== 'started') {
    throw new SkipPhase(`Switchboard cannot take calls here: ${calls?.where ?? 'no calls component'} (${system.components.map((c) => `${c.name}: ${c.where}`).join('; ')})`);
  }
  const ng = new NgClient({ timeout: 2000 });
  ng.on('error', () => undefined);
  cleanups.push({ name: 'ng client', run: () => ng.close() });
  const target = `${LOOPBACK}:${sipPort}`;

  // Settle: let the change feed, ACD sync etc. finish before measuring idle RSS.
  await sleep(3000);
  const idleAfterStart = await idleRss();

  let rowsBefore = 0;
  const countRows = async (): Promise<number> => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM calls')).rows[0]?.n ?? 0);
  /**
   * After a run every call has ended (its row is written). rtpengine sessions
   * still there then are leaked (a `delete` or an `offer` reply that timed out):
   * counted, then deleted by the bench so that the next run starts clean.
   */
  const drain = async (): Promise<number> => {
    const deadline = Date.now() + 10000;
    let sessions = await rtpengineSessions(ng, ngPort);
    while (sessions && Date.now() < deadline) {
      await sleep(500);
      sessions = await rtpengineSessions(ng, ngPort);
    }
    let leaked = 0;
    if (sessions) {
      leaked = await purgeRtpengine(ng, ngPort);
      log(`  ${leaked} rtpengine sessions outlived their calls (leaked); deleted by the bench, ${(await rtpengineSessions(ng, ngPort)) ?? '?'} left`);
    }
    await sleep(1500);
    return leaked;
  };
  const recordsAfter = async (outcome: SippOutcome): Promise<number> => {
    // Call rows are written when a call ends; give the writer a moment to catch up.
    const expected = rowsBefore + outcome.created;
    const deadline = Date.now() + 20000;
    let rows = await countRows();
    while (rows < expected && Date.now() < deadline) {
      await sleep(500);
      rows = await countRows();
    }
    const written = rows - rowsBefore;
    rowsBefore = rows;
    return written;
  };

  rowsBefore = await countRows();
  log(`switchboard: IVR callers (INVITE PCMA + telephone-event, ${CALL_MS / 1000} s in the IVR hearing the greeting, BYE) into ${target}`);
  const rates = await risingRates(
    'switchboard',
    target,
    { xml: callerScenario({ from: CALLER, to: 'hotline', steps: [{ pauseMs: CALL_MS }, { hangUp: true }] }) },
    drain,
    recordsAfter,
  );

  let rss: RssFigures | null = null;
  if (!SKIP.has('rss')) rss = await rssPhase({ target, ng, ngPort, idleAfterStart, sustained: rates.sustained, drain, recordsAfter, db });
  return { runs: rates.runs, sustained: rates.sustained, rss, components, logSummary: logLines() };
}

async function rssPhase(ctx: {
  target: string;
  ng: NgClient;
  ngPort: number;
  idleAfterStart: number;
  sustained: number;
  drain: () => Promise<number>;
  recordsAfter: (outcome: SippOutcome) => Promise<number>;
  db: pg.Pool;
}): Promise<RssFigures> {
  const holdRate = HOLD_RATE_ENV ?? Math.max(50, Math.min(200, Math.floor(ctx.sustained / 10) * 10 || 50));
  const fillSeconds = Math.ceil(HOLD_CALLS / holdRate);
  // Every call stays until the last one is in, plus a plateau of 15 s to sample.
  const holdMs = (fillSeconds + 15) * 1000;
  const idleBeforeHold = await idleRss();
  log(`rss: ${HOLD_CALLS} calls at ${holdRate} calls/s, each staying up to ${holdMs / 1000} s in the IVR (plateau after ~${fillSeconds} s)…`);
  const samples: Array<{ at: number; rss: number; heap: number; sessions: number | null }> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const sessions = await rtpengineSessions(ctx.ng, ctx.ngPort);
      const mem = process.memoryUsage();
      samples.push({ at: Date.now(), rss: mem.rss, heap: mem.heapUsed, sessions });
      await sleep(1000);
    }
  })();
  const cpuSampler = new CpuSampler();
  cpuSampler.start();
  const holdStartedAt = Date.now();
  let outcome: SippOutcome;
  try {
    outcome = await runSipp({ target: ctx.target, rate: holdRate, calls: HOLD_CALLS, limit: HOLD_CALLS, scenario: { xml: holdScenario(holdMs) }, timeoutSeconds: fillSeconds + holdMs / 1000 + 60 });
  } finally {
    sampling = false;
    await sampler;
  }
  const cpu = cpuSampler.stop();
  const crashes = distinctErrors(holdStartedAt);
  await ctx.recordsAfter(outcome);
  const leaked = await ctx.drain();
  const rssAfterDrain = await idleRss();

  // Concurrent calls = answered by Switchboard and not yet ended, from the call rows of this run.
  const { rows: intervals } = await ctx.db.query<{ a: number; e: number | null; side: string | null; outcome: string | null }>(
    `SELECT extract(epoch FROM answered_at) * 1000 AS a, extract(epoch FROM ended_at) * 1000 AS e, hangup_side AS side, outcome
       FROM calls WHERE started_at >= to_timestamp($1::double precision / 1000) AND answered_at IS NOT NULL`,
    [holdStartedAt],
  );
  const answered = intervals.map((r) => ({ a: Number(r.a), e: r.e === null ? Infinity : Number(r.e) }));
  const liveAt = (t: number): number => answered.filter((r) => r.a <= t && r.e > t).length;
  const edges = answered.flatMap((r) => [{ t: r.a, d: 1 }, { t: r.e, d: -1 }]).sort((x, y) => x.t - y.t || x.d - y.d);
  let live = 0;
  let peakAnswered = 0;
  for (const edge of edges) peakAnswered = Math.max(peakAnswered, (live += edge.d));
  const withLive = samples.map((s) => ({ ...s, live: liveAt(s.at) }));
  const withSessions = samples.filter((s) => s.sessions !== null);
  const peakSessions = withSessions.length > 0 ? Math.max(...withSessions.map((s) => s.sessions!)) : null;
  // The plateau: samples within 2 % of the most answered calls held; RSS is the highest seen there.
  const sampledPeak = withLive.reduce((m, s) => Math.max(m, s.live), 0);
  const plateau = withLive.filter((s) => s.live >= sampledPeak * 0.98 && s.live > 0);
  const top = plateau.reduce((best, s) => (s.rss > best.rss ? s : best), plateau[0] ?? { rss: NaN, heap: NaN, at: 0, sessions: null, live: 0 });
  const systemHangUps = intervals.filter((r) => r.side === 'system').length;
  const outcomes = new Map<string, number>();
  for (const r of intervals) outcomes.set(`${r.outcome ?? '?'}/${r.side ?? '?'}`, (outcomes.get(`${r.outcome ?? '?'}/${r.side ?? '?'}`) ?? 0) + 1);
  const reasons: string[] = [];
  if (peakAnswered < HOLD_CALLS) {
    reasons.push(`at most ${peakAnswered} of ${HOLD_CALLS} calls were answered and in progress at once`);
    if (outcome.failed + outcome.unfinished > 0) reasons.push(`${outcome.failed} calls failed, ${outcome.unfinished} unfinished (${outcome.failReasons.join(', ') || 'see sipp errors'})`);
    if (outcome.achievedRate < holdRate * 0.95) reasons.push(`calls were created at only ${fmt(outcome.achievedRate, 1)}/s`);
    if (systemHangUps > 0) reasons.push(`Switchboard hung up ${systemHangUps} answered calls itself`);
    const rtpengineBusy = cpu.peak.get('rtpengine') ?? 0;
    if (rtpengineBusy > 150) reasons.push(`rtpengine peaked at ${fmt(rtpengineBusy)}% CPU of the 200% the machine has (prompts played to every call in userspace)`);
  }
  if (crashes.length > 0) reasons.push(`unhandled errors in the process: ${crashes.join('; ')}`);
  log(`  → ${outcome.successful} ok, ${outcome.failed} failed, ${outcome.unfinished} unfinished; answered calls in progress at once: peak ${peakAnswered} (sampled ${sampledPeak}); rtpengine sessions peak ${peakSessions ?? '?'}; sipp concurrent peak ${outcome.maxCurrent}; RSS at plateau ${mb(top.rss)}`);
  log(`    answered calls by outcome/hang-up side: ${[...outcomes.entries()].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; leaked rtpengine sessions ${leaked}`);
  log(`    CPU: ${cpuLine(cpu)}`);
  if (outcome.errorSample && outcome.failed + outcome.unfinished > 0) log(`    sipp errors:\n${outcome.errorSample.split('\n').map((l) => `      ${l}`).join('\n')}`);
  return {
    idleAfterStart: ctx.idleAfterStart, idleBeforeHold, holdRate, holdSeconds: holdMs / 1000, peakSessions, peakSippCurrent: outcome.maxCurrent, peakAnswered, sampledPeak, leaked,
    rssAtPlateau: top.rss, heapAtPlateau: top.heap, rssMax: Math.max(...samples.map((s) => s.rss)), rssAfterDrain, outcome, cpu, reason: reasons.join('; '), crashes,
  };
}

class SkipPhase extends Error {}

// ---------------------------------------------------------------- Switchboard's log, to a file

let logFile = '';
let systemLogger: Logger;
let logDestination: ReturnType<typeof pino.destination> | null = null;

function summariseLog(): string {
  if (!logFile || !existsSync(logFile)) return '';
  try {
    logDestination?.flushSync();
  } catch {
    // not open yet: nothing written
  }
  const counts = new Map<string, number>();
  let total = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    total++;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
      const level = entry.level === 60 ? 'fatal' : entry.level === 50 ? 'error' : entry.level === 40 ? 'warn' : String(entry.level);
      const err = typeof entry.err === 'string' ? entry.err : entry.err && typeof entry.err === 'object' && 'message' in entry.err ? String(entry.err.message) : '';
      const key = `${level}: ${entry.msg ?? ''}${err ? ` — ${err.replace(/[0-9a-f-]{16,}/gi, '…').slice(0, 120)}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      counts.set(line.slice(0, 120), (counts.get(line.slice(0, 120)) ?? 0) + 1);
    }
  }
  if (total === 0) return `no ${LOG_LEVEL}+ lines`;
  return `${total} lines at ${LOG_LEVEL} or above; most frequent:\n${[...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `    ${fmt(n)}× ${k}`).join('\n')}`;
}

// ---------------------------------------------------------------- report

function rateTable(title: string, runs: RateRun[]): string {
  const head = ['rate/s', 'created/s', 'calls', 'ok', 'failed', 'unfin.', 'INVITE→200', 'retrans', 'max conc.', 'rows', 'leaked', 'late ng', 'node CPU', 'busiest child', 'not bench', 'result'];
  const body = runs.map((r) => {
    const others = [...r.cpu.average.entries()].filter(([comm]) => !comm.startsWith('node') && comm !== OTHERS).sort((a, b) => b[1] - a[1])[0];
    return [
      fmt(r.rate), fmt(r.outcome.achievedRate, 1), fmt(r.outcome.created), fmt(r.outcome.successful), fmt(r.outcome.failed), fmt(r.outcome.unfinished),
      r.outcome.inviteTo200Ms !== null ? rtdText(r.outcome.inviteTo200Ms) : 'n/a',
      fmt(r.outcome.retransmissions), fmt(r.outcome.maxCurrent), r.recordsWritten !== undefined ? fmt(r.recordsWritten) : 'n/a', r.leakedSessions !== undefined ? fmt(r.leakedSessions) : 'n/a', r.recordsWritten !== undefined ? fmt(r.lateNgReplies) : 'n/a',
      `${fmt([...r.cpu.average.entries()].find(([c]) => c.startsWith('node'))?.[1] ?? NaN)}%`,
      others ? `${others[0]} ${fmt(others[1])}%` : '',
      `${fmt(r.cpu.average.get(OTHERS) ?? NaN)}%`,
      r.ok ? 'OK' : `FAIL ${r.note}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (i === head.length - 1 ? 0 : row[i]!.length))));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]!))).join('  ');
  return [title, line(head), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  console.log(`SIP benchmark — ${SECONDS} s per rate, rates ${RATES.join(', ')} calls/s (+${REFINE_STEPS} refinement step), calls of ${CALL_MS / 1000} s; ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);

  const binary = findExecutable(process.env.DRACHTIO_BINARY ?? 'drachtio');
  const externalHost = process.env.DRACHTIO_HOST;
  if (!binary && !externalHost) {
    console.log('The SIP benchmark cannot run here: no drachtio-server binary (`drachtio`) on PATH and DRACHTIO_HOST is not set. Install drachtio-server or point DRACHTIO_HOST at a running one on this machine.');
    return;
  }
  if (!binary && externalHost && !['127.0.0.1', 'localhost', '::1'].includes(externalHost)) {
    console.log(`The SIP benchmark cannot run here: no drachtio-server binary, and DRACHTIO_HOST=${externalHost} is not on this machine (the benchmark sends traffic to 127.0.0.1 only).`);
    return;
  }
  if (!findExecutable('sipp')) {
    console.log('The SIP benchmark cannot run here: sipp is not installed (apt-get install sip-tester).');
    return;
  }
  if (RTP_MIN >= RTP_MAX) throw new Error('BENCH_RTP_MIN must be below BENCH_RTP_MAX');
  const plan: DrachtioPlan = {
    binary,
    external: binary ? null : { host: LOOPBACK, port: Number(process.env.DRACHTIO_PORT ?? 9022), secret: process.env.DRACHTIO_SECRET ?? 'cymru', sipPort: Number(process.env.DRACHTIO_SIP_PORT ?? 5060) },
  };

  const versions = {
    drachtio: binary ? await versionOf(binary, ['--version'], (o) => o.split('\n').find((l) => l.trim() !== '')) : `external at ${externalHost}`,
    rtpengine: await versionOf('rtpengine', ['--version'], (o) => o.split('\n').find((l) => /version/i.test(l))?.replace(/^\s*Version:\s*/i, '')),
    sipp: await versionOf('sipp', ['-v'], (o) => /SIPp v[^\s,]+/.exec(o)?.[0]),
    node: process.version,
  };

  const logDir = tempDir('sip-bench-log-');
  logFile = path.join(logDir, 'switchboard.log');
  logDestination = pino.destination({ dest: logFile, sync: false, mkdir: true });
  systemLogger = pino({ name: 'switchboard', level: LOG_LEVEL }, logDestination);
  const benchLogger = pino({ name: 'sip-bench', level: 'warn' }, logDestination);

  let baseline: { runs: RateRun[]; sustained: number } | null = null;
  let baselineError = '';
  let switchboard: SwitchboardFigures | null = null;
  let switchboardError = '';

  // Switchboard first, so that its idle RSS is not that of a process that has just answered tens of thousands of baseline calls.
  if (!SKIP.has('switchboard')) {
    const mark = cleanups.length;
    try {
      switchboard = await switchboardPhase(plan, summariseLog);
    } catch (err) {
      switchboardError = err instanceof SkipPhase ? err.message : `${(err as Error).message}`;
      log(`switchboard could not run: ${switchboardError}`);
    }
    // Everything it started is stopped before the baseline runs on the same cores.
    await cleanUp(mark);
  }
  if (!SKIP.has('baseline')) {
    try {
      baseline = await baselinePhase(plan, benchLogger);
    } catch (err) {
      baselineError = (err as Error).message;
      log(`baseline could not run: ${baselineError}`);
    }
  }
  const logSummary = switchboard?.logSummary ?? summariseLog();

  // ---- the report
  const out: string[] = [];
  out.push('', '='.repeat(100), 'SIP BENCHMARK RESULTS', '='.repeat(100));
  out.push(`versions: drachtio-server ${versions.drachtio}; rtpengine ${versions.rtpengine}; ${versions.sipp}; node ${versions.node}`);
  out.push(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average now ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}; sipp runs on the same machine`);
  out.push(`per rate: ${SECONDS} s of new calls, each call ${CALL_MS / 1000} s; "created/s" is the rate sipp really reached; "max conc." is sipp's peak of calls in progress;`);
  out.push('"rows" = call rows Switchboard wrote; "leaked" = rtpengine sessions left after all calls ended (deleted by the bench before the next run);');
  out.push('"late ng" = rtpengine replies that arrived after Switchboard\'s 2 s ng timeout (rtpengine overloaded);');
  out.push('CPU is % of one core averaged over the run (200 % = the whole machine); "not bench" = CPU used by processes this bench did not start');
  out.push('');
  if (baseline) out.push(rateTable('1. Baseline — trivial answer-only drachtio-srf app (sipp -sn uac):', baseline.runs), '');
  else out.push(`1. Baseline: not measured${baselineError ? ` (${baselineError})` : ' (skipped)'}`, '');
  if (switchboard) out.push(rateTable('2. Switchboard — callers into the IVR (greeting via rtpengine):', switchboard.runs), '');
  else out.push(`2. Switchboard: not measured${switchboardError ? ` (${switchboardError})` : ' (skipped)'}`, '');

  const lowerBound = (runs: RateRun[] | undefined): boolean => !!runs && runs.length > 0 && runs.every((r) => r.ok);
  const costPerCall = (runs: RateRun[] | undefined): string => {
    const best = [...(runs ?? [])].filter((r) => r.ok).sort((x, y) => y.rate - x.rate)[0];
    if (!best) return 'n/a';
    const parts = [...best.cpu.average.entries()]
      .filter(([comm, pct]) => comm !== OTHERS && pct >= 1)
      .sort((x, y) => y[1] - x[1])
      .map(([comm, pct]) => `${comm.replace(/ \(bench \+ app\)/, '')} ${fmt(((pct / 100) * best.cpu.seconds * 1000) / Math.max(1, best.outcome.successful), 2)}`);
    return `${parts.join(', ')} (ms of CPU per call, at ${best.rate}/s)`;
  };
  const b = baseline?.sustained ?? NaN;
  const s = switchboard?.sustained ?? NaN;
  const ratio = s / b;
  const rateMet = s >= TARGET_RATE;
  const ratioMet = ratio >= TARGET_RATIO;
  const ceiling = (runs: RateRun[] | undefined): string => {
    if (!runs || runs.length === 0) return 'not measured';
    const failedAt = runs.find((r) => !r.ok);
    return failedAt ? `first failure at ${failedAt.rate}/s` : `no failure up to ${runs[runs.length - 1]?.rate ?? '?'}/s (the highest tried)`;
  };
  out.push('Summary');
  const bMin = lowerBound(baseline?.runs) ? '≥ ' : '';
  out.push(`  baseline sustained (zero failures):     ${bMin}${fmt(b, 1)} calls/s  (${ceiling(baseline?.runs)})`);
  out.push(`  Switchboard sustained (zero failures):  ${lowerBound(switchboard?.runs) ? '≥ ' : ''}${fmt(s, 1)} calls/s  (${ceiling(switchboard?.runs)})`);
  out.push(`  ratio Switchboard / baseline:           ${Number.isFinite(ratio) ? `${bMin ? '≤ ' : ''}${fmt(ratio * 100, 1)} %` : 'n/a'}${bMin ? ' (the baseline had no failure at the highest rate tried, so it is a lower bound)' : ''}`);
  out.push(`  CPU cost, baseline:                     ${costPerCall(baseline?.runs)}`);
  out.push(`  CPU cost, Switchboard:                  ${costPerCall(switchboard?.runs)}`);
  out.push(`  target ≥ ${TARGET_RATE} calls/s:                  ${Number.isFinite(s) ? (rateMet ? 'MET' : 'NOT MET') : 'not measured'}`);
  out.push(`  target ≥ ${TARGET_RATIO * 100} % of baseline:               ${Number.isFinite(ratio) ? (ratioMet ? 'MET' : 'NOT MET') : 'not measured'}`);
  const rss = switchboard?.rss;
  if (rss) {
    const reached = rss.sampledPeak;
    out.push('', `3. Memory — process RSS (Switchboard runs in this process; the bench harness is a few MB of it)`);
    out.push(`  RSS idle, right after start:            ${mb(rss.idleAfterStart)}`);
    out.push(`  RSS idle, after the rate runs:          ${mb(rss.idleBeforeHold)}`);
    out.push(`  RSS at ${fmt(reached)} concurrent calls:${' '.repeat(Math.max(1, 17 - fmt(reached).length))}${mb(rss.rssAtPlateau)}  (heap used ${mb(rss.heapAtPlateau)}; max seen ${mb(rss.rssMax)})`);
    out.push(`  RSS after those calls ended:            ${mb(rss.rssAfterDrain)}`);
    out.push(`  hold run: ${HOLD_CALLS} calls at ${rss.holdRate}/s, up to ${rss.holdSeconds} s each; ${rss.outcome.successful} ok, ${rss.outcome.failed} failed, ${rss.outcome.unfinished} unfinished`);
    out.push(`  peak concurrent: ${rss.peakAnswered} answered calls in progress (from the call rows), rtpengine ${rss.peakSessions ?? '?'} sessions, sipp ${rss.peakSippCurrent} calls incl. those not yet answered; ${rss.leaked} rtpengine sessions leaked`);
    out.push(`  ${fmt(HOLD_CALLS)} concurrent calls: ${rss.peakAnswered >= HOLD_CALLS ? 'reached' : `NOT reached — ${rss.reason}`}`);
    out.push(`  CPU during the hold: ${cpuLine(rss.cpu)}`);
  } else if (switchboard) {
    out.push('', '3. Memory: skipped');
  }
  if (switchboard) out.push('', `Switchboard components: ${switchboard.components}`);
  const allErrors = distinctErrors(0);
  if (allErrors.length > 0) out.push(`Unhandled errors in this process (each would have crashed a real Switchboard process):\n${allErrors.map((e) => `    ${e}`).join('\n')}`);
  if (logSummary) out.push(`Switchboard log (${LOG_LEVEL}+): ${logSummary}`);
  out.push('', `Design §6 target: ≥ ${TARGET_RATE} calls/s into the IVR sustained with zero failures, and ≥ ${TARGET_RATIO * 100} % of the trivial app → ${Number.isFinite(ratio) ? (rateMet && ratioMet ? 'MET' : 'NOT MET') : 'not measured'}`);
  out.push(`(total bench time ${fmt((Date.now() - startedAt) / 1000)} s)`);
  console.log(out.join('\n'));
}

process.on('unhandledRejection', (reason) => recordProcessError('unhandled rejection', reason));
process.on('uncaughtException', (err) => recordProcessError('uncaught exception', err));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping everything the bench started…`);
    void cleanUp(0).finally(() => process.exit(130));
  });
}

main()
  .catch((err: unknown) => {
    console.error('sip bench failed:', err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp(0);
    // drachtio-srf, ioredis and pg keep sockets that are closed by now; do not wait for stray timers.
    setTimeout(() => process.exit(), 500).unref();
  });
