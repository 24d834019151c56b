/**
 * `npm run bench:floor` (issue 16): a call-centre floor simulated on this
 * machine with every real component — a private Postgres, Switchboard as its
 * own process (which starts Redis, rtpengine and drachtio-server), sipp
 * phones for the agents and sipp callers — and the figures of the run.
 * Prints figures; never fails on time. Everything it starts is stopped in a
 * `finally`; all traffic stays on 127.0.0.1.
 *
 *   npm run bench:floor -- --quick           the CI-sized run (50 agents, 2 min of arrivals, compression 10)
 *   npm run bench:floor -- --agents 250 --minutes 5
 *   npm run bench:floor -- --find-limit
 *
 * See floor-plan.ts USAGE for every option. `runFloor()` is what the E2E
 * test calls; `main()` prints.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from '../../src/platform/managed-process';
import { eventually } from '../../test/helpers/eventually';
import { cleanUp, cleanUpMark, cleanUpOnSignals, tempDir } from '../lib/cleanup';
import { fmt, log } from '../lib/format';
import { ProcessUsageSampler, componentOf } from '../lib/process-usage';
import { createFloorClients, createFloorStaff, setAgentsReady, startFloorPhones } from './floor-agents';
import { startCallers } from './floor-callers';
import { readAcdEvents, readCallRows, rtpengineSessionsLeft, WallboardSampler } from './floor-collect';
import { agentTime, fillInIvr, ivrStartDelays, logErrors, ringLatencies } from './floor-derive';
import { limitStep, limitVerdict, nextLoad, type FloorLoad, type LimitSearch, type LimitStep } from './floor-limit';
import { SILENT_RMS, summariseFloorRun, type FloorSummary } from './floor-metrics';
import { floorSettings, floorStaffing, loadDerivation, parseFloorArgs, planCalls, USAGE, type FloorOptions } from './floor-plan';
import { FLOOR_REPORT_FILES, floorHtmlReport, floorLimitReport, floorReportDir, floorTextReport } from './floor-report';
import type { FloorRun, ProcessSample } from './floor-run';
import { startFloorSystem } from './floor-system';
import { tonePcap } from './floor-tone';

/** Why a floor run cannot happen on this machine, or null. */
export function floorPrerequisites(): string | null {
  if (!findExecutable(process.env.DRACHTIO_BINARY ?? 'drachtio')) return 'no drachtio-server binary (`drachtio`) on PATH';
  if (!findExecutable('sipp')) return 'sipp is not installed (apt-get install sip-tester)';
  if (!findExecutable('rtpengine')) return 'rtpengine is not installed (apt-get install rtpengine-daemon)';
  return null;
}

/** Process command name → the component it is part of: the only `node` below the bench is Switchboard. */
function floorComponent(comm: string): string {
  if (comm === 'node' || comm === 'MainThread') return 'switchboard';
  return componentOf(comm);
}

/** One run of the floor at `options`' load; everything it started is stopped before it returns. */
export async function runFloor(options: FloorOptions, runTag = '1', progress: (line: string) => void = log): Promise<FloorRun> {
  const mark = cleanUpMark();
  try {
    const settings = floorSettings(options);
    const staffing = floorStaffing(options.agents);
    progress(`starting Postgres and Switchboard (its own process: Redis, rtpengine, drachtio-server)…`);
    const system = await startFloorSystem({ logLevel: process.env.FLOOR_LOG_LEVEL ?? 'warn', rtpPorts: { min: 20_000, max: 32_000 } });
    progress(`Switchboard up at ${system.baseUrl}; creating ${staffing.operators} operators, ${staffing.keyAccountManagers} key-account managers, ${staffing.finance} finance agents and the callers' clients through the API…`);
    const agents = await createFloorStaff(system, staffing, settings, runTag);
    const numbers = await createFloorClients(system, agents, runTag);
    const calls = planCalls(settings, numbers, runTag);

    const dir = tempDir('floor-sipp-');
    mkdirSync(dir, { recursive: true });
    const callerTone = path.join(dir, 'caller-440hz.pcap');
    const agentTone = path.join(dir, 'agent-660hz.pcap');
    writeFileSync(callerTone, tonePcap({ hz: 440, seconds: 900, ssrc: 0x440 }));
    writeFileSync(agentTone, tonePcap({ hz: 660, seconds: 900, ssrc: 0x660 }));
    const phoneCount = Math.ceil(agents.length / staffing.agentsPerPhone);
    progress(`registering ${agents.length} phones from ${phoneCount} sipp processes…`);
    const phones = await startFloorPhones({ system, agents, perPhone: staffing.agentsPerPhone, settings, dir, tonePcap: agentTone, callsPerPhone: Math.ceil((calls.length * 3) / phoneCount) + 100 });
    await setAgentsReady(system, agents);
    const agentIds = new Set(agents.map((a) => a.staffId));

    const usage = new ProcessUsageSampler({ rootComponent: 'bench', componentOf: floorComponent });
    const wallboard = new WallboardSampler(system, agentIds);
    const timeoutSeconds = Math.ceil(settings.arrivalSeconds + 120 + 1800 / settings.compression);
    progress(`${calls.length} callers due over ${fmt(settings.arrivalSeconds)} s (${settings.arrivalsPerSecond.toFixed(2)}/s of run time); all Ready, calling…`);
    usage.start();
    wallboard.start();
    const startedAtMs = Date.now();
    const callers = await startCallers({ target: system.sipTarget, calls, dir, tonePcap: callerTone, runTag, timeoutSeconds });
    const ticker = setInterval(() => {
      const lines = callers.logLines();
      progress(`  ${lines.filter((l) => l.what === 'invite').length} INVITEs sent, ${lines.filter((l) => l.what === 'ended').length} calls ended at the caller`);
    }, 30_000);
    const exit = await callers.done;
    clearInterval(ticker);
    progress(`callers done (sipp exit ${exit}); waiting for the rows and the agents' wrap-up…`);
    const sipCallIds = calls.map((c) => c.sipCallId);
    await eventually(async () => (await readCallRows(system.db, sipCallIds)).rows.length, (n) => n >= calls.length, 60_000, 1000);
    await eventually(() => readAcdEvents(system.db, startedAtMs), (events) => settledAgents(events, agentIds), 30_000, 1000);
    const endedAtMs = Date.now();
    const processes = toProcessSamples(usage);
    usage.stop();
    const snapshots = wallboard.stop();

    const { rows, ivr, ivrStarted } = await readCallRows(system.db, sipCallIds);
    keepSilentRecordings(rows);
    const events = await readAcdEvents(system.db, startedAtMs);
    const phoneLines = phones.logLines();
    const callerLines = callers.logLines();
    const sessionsLeft = await eventually(() => rtpengineSessionsLeft(system.ngPort), (n) => n === 0, 20_000, 500);
    const agentStatesAtEnd: Record<string, number> = {};
    const agentsNotReadyAtEnd: NonNullable<FloorRun['agentsNotReadyAtEnd']> = [];
    for (const agent of await system.api<Array<{ staffId: number; state: string; callId: string | null; since: number | null }>>('GET', '/api/agents')) {
      if (!agentIds.has(agent.staffId)) continue;
      agentStatesAtEnd[agent.state] = (agentStatesAtEnd[agent.state] ?? 0) + 1;
      if (agent.state !== 'ready') agentsNotReadyAtEnd.push({ staffId: agent.staffId, state: agent.state, callId: agent.callId ?? null, sinceMs: agent.since ?? null });
    }
    const due = new Map(calls.map((c) => [c.sipCallId, c.dueAtMs]));
    const inviteLagsMs = callerLines.filter((l) => l.what === 'invite').map((l) => l.atMs - callers.startedAtMs - (due.get(l.fields[0] ?? '') ?? 0));
    await phones.stop();
    await system.stop();
    return {
      settings, startedAtMs, endedAtMs, placed: calls, rows,
      ringLatenciesMs: ringLatencies(events, phoneLines),
      ivrAudioMs: ivrStartDelays(callerLines, ivrStarted),
      processes, snapshots: fillInIvr(snapshots, ivr),
      agentTime: agentTime(events, agentIds, startedAtMs, endedAtMs),
      rtpengineSessionsLeft: sessionsLeft ?? -1,
      logErrors: logErrors(readFileSync(system.logFile, 'utf8')),
      agentStatesAtEnd, agentsNotReadyAtEnd, refusedSipCallIds: callerLines.filter((l) => l.what === 'refused').map((l) => l.fields[0] ?? ''), inviteLagsMs, agentRoles: Object.fromEntries(agents.map((a) => [String(a.staffId), a.role])), phoneProcesses: phones.processes, callerSippErrors: callers.errors(),
      ivrAudioSource: "caller's INVITE (sipp log) → Switchboard's ivr_started_at (call row): the IVR's first prompt is sent right after; sipp cannot timestamp RTP it receives",
    };
  } finally {
    await cleanUp(mark);
  }
}

/** A recording of an answered call with a silent channel is a defect to look at: it is copied out before the run's directory goes. */
function keepSilentRecordings(rows: readonly FloorRun['rows'][number][]): void {
  const dir = path.resolve(__dirname, '..', '..', 'artifacts', 'floor', 'silent-recordings');
  for (const row of rows) {
    if (row.outcome !== 'answered' || !row.recording || Math.min(row.recording.callerRms, row.recording.agentRms) >= SILENT_RMS) continue;
    const file = path.resolve(__dirname, '..', '..', row.recording.path);
    if (!existsSync(file)) continue;
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, path.join(dir, `${row.sipCallId.replace(/[^\w.-]/g, '_')}.wav`));
  }
}

/** Every floor agent's last state event says ready (the ACD ended their wrap-up), or there are no events yet to go by. */
function settledAgents(events: ReadonlyArray<{ type: string; agentId: number | null; data: Record<string, unknown> }>, agents: ReadonlySet<number>): boolean {
  const last = new Map<number, string>();
  for (const e of events) if (e.type === 'agent_state' && e.agentId !== null && agents.has(e.agentId)) last.set(e.agentId, String(e.data.to));
  return [...last.values()].every((s) => s === 'ready');
}

function toProcessSamples(usage: ProcessUsageSampler): ProcessSample[] {
  return usage.series().map((p) => ({ atMs: p.atMs, component: p.component, cpuPercent: p.cpuPercent, rssBytes: p.rssBytes }));
}

/** The most agents --find-limit registers phones for (about 50 sipp phone processes). */
const MAX_AGENTS = 1250;

/** What the harness adds to the report: counts at a glance, where each kind of caller went, how the arrivals kept to schedule, the agents at the end. */
export function floorLines(run: FloorRun, summary: FloorSummary): string[] {
  const lags = [...(run.inviteLagsMs ?? [])].sort((a, b) => a - b);
  const out = [
    `placed ${run.placed.length} calls; rows ${summary.rows.written} (missing ${summary.rows.missingSipCallIds.length}, duplicated ${summary.rows.duplicates.length}); recordings ${summary.recordings.present} of ${summary.recordings.answered} answered, ${summary.recordings.nonSilent} with sound on both channels; outcomes ${JSON.stringify(summary.calls.all.byOutcome)}`,
    `by caller kind (queue→who answered, or queue:outcome): ${routesByKind(run)}`,
    `INVITEs against the Poisson schedule: median ${fmt(lags[Math.floor(lags.length / 2)] ?? NaN)} ms late, max ${fmt(lags[lags.length - 1] ?? NaN)} ms (${lags.length} sent)`,
    `refused by the overload control (503, no row by design): ${run.refusedSipCallIds?.length ?? 0}${run.refusedSipCallIds?.length ? ` (${run.refusedSipCallIds.slice(0, 5).join(', ')}…)` : ''}; rows missing otherwise: ${summary.rows.missingSipCallIds.length}`,
    `phones: ${run.phoneProcesses ?? '?'} sipp processes; agents at the end: ${JSON.stringify(run.agentStatesAtEnd ?? {})}; rtpengine sessions left ${run.rtpengineSessionsLeft}; Switchboard log errors ${summary.logErrors.total}`,
    ...(run.agentsNotReadyAtEnd ?? []).map((a) => `    agent ${a.staffId} (${run.agentRoles?.[String(a.staffId)] ?? '?'}) still ${a.state} with call ${a.callId ?? '–'} since ${a.sinceMs ? new Date(a.sinceMs).toISOString() : '?'}`),
    ...run.logErrors.slice(0, 10).map((e) => `    ${e.count}× ${e.message}`),
    `IVR figure: ${run.ivrAudioSource ?? ''}`,
  ];
  if (process.env.FLOOR_SHOW_REASONS) {
    const rowOf = new Map(run.rows.map((r) => [r.sipCallId, r]));
    for (const call of run.placed.filter((c) => c.kind === 'key' || c.kind === 'debtor' || c.kind === 'unknown').slice(0, 12)) {
      out.push(`    ${call.kind} ${call.callerNumber} digits ${call.digits}: ${rowOf.get(call.sipCallId)?.routingReason ?? '(no row)'}`);
    }
  }
  if (run.callerSippErrors) out.push(`caller sipp errors (first lines):\n${run.callerSippErrors}`);
  return out;
}

/** Where each kind of caller ended up: "market 40 (operators→operator 38, operators:abandoned_queue 2)" (queue → who answered), so that the routing of the mix can be checked. */
export function routesByKind(run: FloorRun): string {
  const rowOf = new Map(run.rows.map((r) => [r.sipCallId, r]));
  const byKind = new Map<string, Map<string, number>>();
  for (const call of run.placed) {
    const row = rowOf.get(call.sipCallId);
    const answeredBy = row?.agentId ? run.agentRoles?.[row.agentId] : undefined;
    const where = !row ? '(no row)' : answeredBy ? `${row.queue ?? 'direct'}→${answeredBy}` : `${row.queue ?? 'direct'}:${row.outcome}`;
    const counts = byKind.get(call.kind) ?? new Map<string, number>();
    counts.set(where, (counts.get(where) ?? 0) + 1);
    byKind.set(call.kind, counts);
  }
  return [...byKind.entries()]
    .map(([kind, counts]) => `${kind} ${[...counts.values()].reduce((a, b) => a + b, 0)} (${[...counts.entries()].map(([w, n]) => `${w} ${n}`).join(', ')})`)
    .join('; ');
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  let options: FloorOptions;
  try {
    options = parseFloorArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  const missing = floorPrerequisites();
  if (missing) {
    console.log(`The floor benchmark cannot run here: ${missing}.`);
    return;
  }
  console.log(`Floor benchmark${options.quick ? ' (quick)' : ''}${options.findLimit ? ', searching the limit' : ''} — ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}; seed ${options.seed}`);
  for (const line of loadDerivation(options)) console.log(line);
  const reportDir = path.resolve(__dirname, '..', '..', floorReportDir(new Date()));
  mkdirSync(reportDir, { recursive: true });
  const start: FloorLoad = { arrivalsPerSecond: options.ratePerSecond * options.compression, agents: options.agents };
  const history: LimitStep[] = [];
  let search: LimitSearch | undefined;
  let load: FloorLoad | null = start;
  for (let n = 1; load; n++) {
    // FloorLoad counts arrivals per second of the run; the options per real second.
    const runOptions: FloorOptions = { ...options, agents: load.agents, ratePerSecond: load.arrivalsPerSecond / options.compression };
    const run = await runFloor(runOptions, String(n));
    const summary = summariseFloorRun(run);
    const verdict = limitVerdict(summary, run);
    history.push(limitStep(load, summary, verdict));
    const title = `FLOOR RUN ${n}: ${runOptions.agents} agents, ${runOptions.ratePerSecond.toFixed(3)} calls/s real (${load.arrivalsPerSecond.toFixed(2)}/s of the run), compression ${options.compression}`;
    const text = [title, '', floorTextReport(summary, run, verdict), '', 'harness:', ...floorLines(run, summary).map((l) => `  ${l}`)].join('\n');
    console.log(['', '='.repeat(100), text, '='.repeat(100)].join('\n'));
    const suffix = options.findLimit ? `-run${n}` : '';
    const file = (name: string): string => path.join(reportDir, suffix ? name.replace(/(\.\w+)$/, `${suffix}$1`) : name);
    writeFileSync(file(FLOOR_REPORT_FILES.text), `${text}\n`);
    writeFileSync(file(FLOOR_REPORT_FILES.summary), JSON.stringify(summary, null, 2));
    writeFileSync(file('floor-run.json'), JSON.stringify(run));
    if (options.findLimit) search = nextLoad(history, { start, maxAgents: MAX_AGENTS });
    writeFileSync(file(FLOOR_REPORT_FILES.html), floorHtmlReport(summary, run, { verdict, ...(options.findLimit ? { limitHistory: history, limitSearch: search } : {}) }));
    load = options.findLimit && search ? search.next : null;
  }
  if (options.findLimit) {
    const limit = floorLimitReport(history, search);
    writeFileSync(path.join(reportDir, FLOOR_REPORT_FILES.limit), `${limit}\n`);
    console.log(`\n${limit}`);
  }
  console.log(`\nreports: ${path.relative(process.cwd(), reportDir)}/`);
}

if (require.main === module) {
  cleanUpOnSignals();
  main()
    .catch((err: unknown) => {
      console.error('floor bench failed:', err);
      process.exitCode = 1;
    })
    .finally(async () => {
      await cleanUp(0);
      setTimeout(() => process.exit(), 500).unref();
    });
}

export { USAGE };
