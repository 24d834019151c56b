/**
 * CPU and memory of the processes a bench started (this process and all its
 * descendants), grouped by component, read from /proc. Two views:
 *   - a time series, one point per component per interval: {atMs, component, cpuPercent, rssBytes};
 *   - totals over the whole interval between start() and stop(): average and
 *     peak CPU and peak RSS per component.
 * CPU is % of one core (200 % = both cores of a 2-core machine). CPU the rest
 * of the machine used meanwhile is reported as the component OTHERS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { fmt, sleep } from './format';

/** Kernel clock ticks per second (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;
/** Page size of the RSS field in /proc/<pid>/stat (4 KiB on x86-64 and arm64 Linux). */
const PAGE_BYTES = 4096;

/** CPU the machine spent on processes this bench did not start. */
export const OTHERS = 'other processes on the machine';

export interface ProcStat {
  comm: string;
  ppid: number;
  /** user + system CPU ticks since the process started. */
  ticks: number;
  rssBytes: number;
}

export interface UsageSample {
  /** Epoch milliseconds (Date.now()) at the end of the interval. */
  atMs: number;
  component: string;
  /** Average % of one core over the interval ending at `atMs`. */
  cpuPercent: number;
  /** Resident memory of the component's processes at `atMs` (0 for OTHERS). */
  rssBytes: number;
}

export interface UsageTotals {
  /** Average % of one core over the run, per component (200 % = both cores). */
  average: Map<string, number>;
  /** Highest one-interval % per component. */
  peak: Map<string, number>;
  /** Highest RSS seen per component (sum over its processes). */
  rssPeak: Map<string, number>;
  /** Wall time the figures cover. */
  seconds: number;
}

/** Figures the SIP bench prints; the same shape as the totals. */
export type CpuFigures = UsageTotals;

/** The component a process belongs to, from its command name. */
export function componentOf(comm: string): string {
  if (comm === 'drachtio') return 'drachtio-server';
  if (comm === 'redis-server') return 'redis';
  if (comm.startsWith('postgres')) return 'postgres';
  return comm;
}

function readProcs(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const fields = text.slice(close + 2).split(' ');
      // After "(comm) ": state(3) ppid(4) … utime(14) stime(15) … rss(24), numbered from pid=1.
      out.set(Number(entry), { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), rssBytes: Number(fields[21]) * PAGE_BYTES });
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

/** `rootPid` and all its descendants (Postgres backends are grandchildren); the root's comm becomes `rootLabel`. */
export function processTree(rootPid: number, rootLabel: string): Map<number, ProcStat> {
  const all = readProcs();
  const mine = new Map<number, ProcStat>();
  const self = all.get(rootPid);
  if (self) mine.set(rootPid, { ...self, comm: rootLabel });
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

/** Busy jiffies of the whole machine (all cores), from /proc/stat. */
function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

export interface SamplerOptions {
  /** Sampling interval (default 1000 ms). */
  intervalMs?: number;
  /** Root of the tree to measure (default this process). */
  rootPid?: number;
  /** Component name of the root process (default 'node'; the SIP bench says 'node (bench + app)', Switchboard runs in it). */
  rootComponent?: string;
  /** Process command name → component (default `componentOf`). */
  componentOf?: (comm: string) => string;
}

export class ProcessUsageSampler {
  private machineFirst = 0;
  private machinePrev = 0;
  private first = new Map<number, ProcStat>();
  private last = new Map<number, ProcStat>();
  private prevAt = 0;
  private startedAt = 0;
  private readonly peak = new Map<string, number>();
  private readonly rssPeak = new Map<string, number>();
  private readonly points: UsageSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly rootPid: number;
  private readonly rootComponent: string;
  private readonly component: (comm: string) => string;

  constructor(options: SamplerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.rootPid = options.rootPid ?? process.pid;
    this.rootComponent = options.rootComponent ?? 'node';
    this.component = options.componentOf ?? componentOf;
  }

  private tree(): Map<number, ProcStat> {
    const tree = processTree(this.rootPid, this.rootComponent);
    for (const [pid, stat] of tree) if (pid !== this.rootPid) tree.set(pid, { ...stat, comm: this.component(stat.comm) });
    return tree;
  }

  start(): void {
    this.first = this.tree();
    this.last = this.first;
    this.machineFirst = this.machinePrev = machineBusyTicks();
    this.startedAt = this.prevAt = Date.now();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    const now = this.tree();
    const at = Date.now();
    const perComponent = new Map<string, number>();
    const rss = new Map<string, number>();
    for (const [pid, stat] of now) {
      const before = this.last.get(pid)?.ticks ?? (this.first.has(pid) ? this.first.get(pid)!.ticks : 0);
      perComponent.set(stat.comm, (perComponent.get(stat.comm) ?? 0) + Math.max(0, stat.ticks - before));
      rss.set(stat.comm, (rss.get(stat.comm) ?? 0) + stat.rssBytes);
      if (!this.first.has(pid)) this.first.set(pid, { ...stat, ticks: 0 });
    }
    const machine = machineBusyTicks();
    const ownTicks = [...perComponent.values()].reduce((a, b) => a + b, 0);
    perComponent.set(OTHERS, Math.max(0, machine - this.machinePrev - ownTicks));
    this.machinePrev = machine;
    const seconds = (at - this.prevAt) / 1000;
    if (seconds > 0.2) {
      for (const [component, ticks] of perComponent) {
        const cpuPercent = (ticks / CLK_TCK / seconds) * 100;
        this.peak.set(component, Math.max(this.peak.get(component) ?? 0, cpuPercent));
        this.points.push({ atMs: at, component, cpuPercent, rssBytes: rss.get(component) ?? 0 });
      }
    }
    for (const [component, bytes] of rss) this.rssPeak.set(component, Math.max(this.rssPeak.get(component) ?? 0, bytes));
    // Keep processes that ended: their last reading still counts.
    const merged = new Map(this.last);
    for (const [pid, stat] of now) merged.set(pid, stat);
    this.last = merged;
    this.prevAt = at;
  }

  /** The time series so far (one point per component per interval). */
  series(): readonly UsageSample[] {
    return this.points;
  }

  /** Stops sampling and returns the totals over the whole interval since start(). */
  stop(): UsageTotals {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
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
    return { average, peak: this.peak, rssPeak: this.rssPeak, seconds };
  }
}

/** "name 12% (peak 30%), …" for components that used at least 1 %, busiest first. */
export function cpuLine(cpu: UsageTotals): string {
  return [...cpu.average.entries()]
    .filter(([, pct]) => pct >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([component, pct]) => `${component} ${fmt(pct)}% (peak ${fmt(cpu.peak.get(component) ?? 0)}%)`)
    .join(', ');
}

// ---------------------------------------------------------------- idle RSS of this process needs a full GC first

let fullGc: (() => void) | null = null;

/** RSS of this process after a full collection and a moment for the allocator to give pages back. */
export async function idleRss(): Promise<number> {
  if (!fullGc) {
    v8.setFlagsFromString('--expose-gc');
    fullGc = vm.runInNewContext('gc') as () => void;
  }
  fullGc();
  await sleep(500);
  fullGc();
  return process.memoryUsage().rss;
}
