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
 *   4. Overload (bench/sip-overload-phase.ts): twice Switchboard's sustained
 *      rate for the same seconds; admitted vs refused (503), failures among
 *      the admitted, the 503's response time.
 *   5. Media baseline (bench/media-baseline.ts): a trivial drachtio-srf app
 *      that anchors each caller in an rtpengine of its own and plays the
 *      same greeting, at the same rates with the same callers; Switchboard's
 *      rate is reported as a share of it too, since with media most of the
 *      cost is rtpengine's (issue 16).
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
 *   BENCH_SKIP         comma-separated phases to skip: baseline, media, switchboard, overload, rss
 *   BENCH_OVERLOAD_RATE calls/s offered in the overload phase (default: twice Switchboard's sustained rate; set, it runs even when no rate was sustained)
 *   OVERLOAD_*         passed to Switchboard (its overload control's limits, README)
 */
import { execFile } from 'node:child_process';
import { chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Client as NgClient } from 'rtpengine-client';
import { loadConfig } from '../src/config/load-config';
import { startPostgresServer } from '../src/db/postgres-server';
import type { Logger } from '../src/logger';
import { promptFilePath } from '../src/media/prompt-files';
import { findExecutable, freeTcpPort } from '../src/platform/managed-process';
import { startSystem, type RunningSystem } from '../src/runtime/start-system';
import { SEND_BYE, callerScenario } from '../test/helpers/sipp';
import { cleanUp, cleanUpMark, cleanUpOnSignals, onCleanUp, tempDir } from './lib/cleanup';
import { benchDrachtio, connectSrf, type DrachtioPlan } from './lib/drachtio';
import { envInt, envRates, envSet, fmt, log, mb, sleep } from './lib/format';
import { distinctErrors, recordProcessErrors } from './lib/process-errors';
import { cpuLine, idleRss, ProcessUsageSampler, type CpuFigures } from './lib/process-usage';
import { ceiling, costPerCall, lowerBound, rateTable, risingRates, type RateRun, type RateSettings, type RisingRates } from './lib/rising-rates';
import { countLateNgReplies, ngCommandCounts, ngCommandsPerCall, purgeRtpengine, rtpengineSessions } from './lib/rtpengine-ng';
import { LOOPBACK, runSipp, type Scenario, type SippOutcome } from './lib/sipp';
import { captureLog, type LogCapture } from './lib/switchboard-log';
import { mediaBaselinePhase, type MediaBaselineFigures } from './media-baseline';
import { overloadPhase, overloadReport, type OverloadFigures } from './sip-overload-phase';

// ---------------------------------------------------------------- settings

const SECONDS = envInt('BENCH_SECONDS', 60);
const RATES = envRates('BENCH_RATES', '50,100,200,400,700,1000');
const REFINE_STEPS = envInt('BENCH_REFINE', 1, 0);
const CALL_MS = envInt('BENCH_CALL_MS', 3000);
const HOLD_CALLS = envInt('BENCH_HOLD_CALLS', 2000);
const HOLD_RATE_ENV = process.env.BENCH_HOLD_RATE ? envInt('BENCH_HOLD_RATE', 100) : null;
const RTP_MIN = envInt('BENCH_RTP_MIN', 20000, 1024);
const RTP_MAX = envInt('BENCH_RTP_MAX', 32000, 1025);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const SKIP = envSet('BENCH_SKIP');
const OVERLOAD_RATE = process.env.BENCH_OVERLOAD_RATE ? envInt('BENCH_OVERLOAD_RATE', 0, 1) : null;
const CALLER = '+74951000001';
const TARGET_RATE = 100;
const TARGET_RATIO = 0.5;
/** Issue 16's targets, reported only: into the IVR with media, and as a share of the media baseline. */
const MEDIA_TARGET_RATE = 300;
const MEDIA_TARGET_RATIO = 0.8;
/**
 * What the hotline plays first to these callers: the default flow starts with
 * the `greeting` prompt, in its default language (ru) since the callers choose none.
 */
const GREETING_FILE = promptFilePath({ audioFile: 'ru/greeting.wav', source: 'default' }, '.');
/** The callers of the rate runs: INVITE PCMA + telephone-event, CALL_MS hearing the greeting, BYE. */
const IVR_CALLERS: Scenario = { xml: callerScenario({ from: CALLER, to: 'hotline', steps: [{ pauseMs: CALL_MS }, { hangUp: true }] }) };

const RATE_SETTINGS: RateSettings = { seconds: SECONDS, rates: RATES, refineSteps: REFINE_STEPS, callMs: CALL_MS, rootComponent: 'node (bench + app)' };

countLateNgReplies();

// ---------------------------------------------------------------- versions

function versionOf(command: string, args: string[], pick: (out: string) => string | undefined): Promise<string> {
  return new Promise((resolve) => {
    if (!findExecutable(command)) return resolve('not installed');
    execFile(command, args, { timeout: 5000 }, (_err, stdout, stderr) => resolve(pick(`${stdout}\n${stderr}`)?.trim() ?? 'unknown'));
  });
}

// ---------------------------------------------------------------- phase 1: baseline

const STATIC_SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');

async function baselinePhase(plan: DrachtioPlan, logger: Logger): Promise<RisingRates> {
  const drachtio = await benchDrachtio(plan, logger);
  const { connection, sipTarget } = drachtio;
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
    const result = await risingRates(RATE_SETTINGS, 'baseline', sipTarget, { builtin: 'uac', callMs: CALL_MS }, async () => {
      // Let the last BYEs and transactions settle before the next rate.
      const deadline = Date.now() + 10000;
      while (dialogs.size > 0 && Date.now() < deadline) await sleep(200);
      await sleep(1000);
    });
    if (answerErrors > 0) log(`baseline: createUAS failed ${answerErrors} times`);
    return result;
  } finally {
    await drachtio.stop();
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
  overload: OverloadFigures | null;
  rss: RssFigures | null;
  components: string;
  logSummary: string;
}

async function switchboardPhase(plan: DrachtioPlan, logs: LogCapture): Promise<SwitchboardFigures> {
  const root = tempDir('sip-bench-system-');
  if (process.getuid?.() === 0) chmodSync(root, 0o755);
  log('switchboard: starting a private Postgres…');
  const postgres = await startPostgresServer({ dataDir: path.join(root, 'pg'), port: await freeTcpPort(), fast: true });
  onCleanUp('postgres', () => postgres.stop());
  // The bench's own pool reads call rows; startSystem runs the migrations and seeds the demo data.
  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  db.on('error', () => undefined);
  onCleanUp('bench pool', () => db.end());

  const ngPort = await freeTcpPort();
  const sipPort = plan.binary ? await freeTcpPort() : plan.external!.sipPort;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development', LOG_LEVEL: LOG_LEVEL, SWITCHBOARD_DATA_DIR: path.join(root, 'data'), HOST: LOOPBACK,
    PORT: String(await freeTcpPort()), DATABASE_URL: postgres.url, REDIS_PORT: String(await freeTcpPort()),
    RTPENGINE_NG_PORT: String(ngPort), RTPENGINE_DTMF_LOG_PORT: String(await freeTcpPort()),
    RTPENGINE_PORT_MIN: String(RTP_MIN), RTPENGINE_PORT_MAX: String(RTP_MAX),
    DRACHTIO_PORT: String(plan.binary ? await freeTcpPort() : plan.external!.port), DRACHTIO_SIP_PORT: String(sipPort), DRACHTIO_WS_PORT: String(await freeTcpPort()),
    ...(plan.binary ? {} : { DRACHTIO_HOST: plan.external!.host, DRACHTIO_SECRET: plan.external!.secret }),
    // The overload control's limits (issue 16) as given to the bench, e.g. OVERLOAD_NG_LATENCY_MS=0 to measure without shedding.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('OVERLOAD_'))),
  };
  const config = loadConfig({ env });
  log('switchboard: starting the system (migrations, demo data, Redis, rtpengine, drachtio-server, HTTP)…');
  const system: RunningSystem = await startSystem(config, logs.systemLogger);
  onCleanUp('switchboard system', () => system.stop());
  const components = system.components.map((c) => `${c.name}: ${c.how}`).join(', ');
  log(`switchboard: up (${components})`);
  const calls = system.components.find((c) => c.name === 'calls');
  if (!calls || calls.how !== 'started') {
    throw new SkipPhase(`Switchboard cannot take calls here: ${calls?.where ?? 'no calls component'} (${system.components.map((c) => `${c.name}: ${c.where}`).join('; ')})`);
  }
  const ng = new NgClient({ timeout: 2000 });
  ng.on('error', () => undefined);
  onCleanUp('ng client', () => ng.close());
  const target = `${LOOPBACK}:${sipPort}`;

  // Settle: let the change feed, ACD sync etc. finish before measuring idle RSS.
  await sleep(3000);
  const idleAfterStart = await idleRss();

  let rowsBefore = 0;
  let ngBefore = new Map<string, number>();
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
    ngBefore = await ngCommandCounts(ng, ngPort);
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
    // What Switchboard asked of rtpengine per call (issue 16: fewer ng round trips per call).
    const counts = await ngCommandCounts(ng, ngPort);
    log(`  rtpengine ng commands per call: ${ngCommandsPerCall(ngBefore, counts, outcome.created) || 'n/a'}`);
    return written;
  };

  rowsBefore = await countRows();
  ngBefore = await ngCommandCounts(ng, ngPort);
  log(`switchboard: IVR callers (INVITE PCMA + telephone-event, ${CALL_MS / 1000} s in the IVR hearing the greeting, BYE) into ${target}`);
  const rates = await risingRates(
    RATE_SETTINGS,
    'switchboard',
    target,
    IVR_CALLERS,
    drain,
    recordsAfter,
  );

  let overload: OverloadFigures | null = null;
  if (!SKIP.has('overload') && (rates.sustained > 0 || OVERLOAD_RATE !== null)) {
    overload = await overloadPhase({ target, caller: CALLER, sustained: rates.sustained, rate: OVERLOAD_RATE, seconds: SECONDS, callMs: CALL_MS, rootComponent: RATE_SETTINGS.rootComponent, recordsAfter, drain });
  }
  let rss: RssFigures | null = null;
  if (!SKIP.has('rss')) rss = await rssPhase({ target, ng, ngPort, idleAfterStart, sustained: rates.sustained, drain, recordsAfter, db });
  return { runs: rates.runs, sustained: rates.sustained, overload, rss, components, logSummary: logs.summary() };
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
  const cpuSampler = new ProcessUsageSampler({ rootComponent: RATE_SETTINGS.rootComponent });
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

// ---------------------------------------------------------------- report

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

  const logs = captureLog(LOG_LEVEL);

  let baseline: { runs: RateRun[]; sustained: number } | null = null;
  let baselineError = '';
  let switchboard: SwitchboardFigures | null = null;
  let switchboardError = '';

  // Switchboard first, so that its idle RSS is not that of a process that has just answered tens of thousands of baseline calls.
  if (!SKIP.has('switchboard')) {
    const mark = cleanUpMark();
    try {
      switchboard = await switchboardPhase(plan, logs);
    } catch (err) {
      switchboardError = err instanceof SkipPhase ? err.message : `${(err as Error).message}`;
      log(`switchboard could not run: ${switchboardError}`);
    }
    // Everything it started is stopped before the baseline runs on the same cores.
    await cleanUp(mark);
  }
  if (!SKIP.has('baseline')) {
    try {
      baseline = await baselinePhase(plan, logs.benchLogger);
    } catch (err) {
      baselineError = (err as Error).message;
      log(`baseline could not run: ${baselineError}`);
    }
  }
  let media: MediaBaselineFigures | null = null;
  let mediaError = '';
  if (!SKIP.has('media')) {
    const mark = cleanUpMark();
    try {
      media = await mediaBaselinePhase({ plan, logger: logs.benchLogger, settings: RATE_SETTINGS, scenario: IVR_CALLERS, greetingFile: GREETING_FILE, rtpPorts: { min: RTP_MIN, max: RTP_MAX } });
    } catch (err) {
      mediaError = (err as Error).message;
      log(`media baseline could not run: ${mediaError}`);
    }
    await cleanUp(mark);
  }
  const logSummary = switchboard?.logSummary ?? logs.summary();

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
  if (media) out.push(rateTable('1b. Media baseline — trivial drachtio-srf app: rtpengine offer/answer, the same greeting played, delete on BYE (same callers as 2):', media.runs), '');
  else out.push(`1b. Media baseline: not measured${mediaError ? ` (${mediaError})` : ' (skipped)'}`, '');
  if (switchboard) out.push(rateTable('2. Switchboard — callers into the IVR (greeting via rtpengine):', switchboard.runs), '');
  else out.push(`2. Switchboard: not measured${switchboardError ? ` (${switchboardError})` : ' (skipped)'}`, '');

  const b = baseline?.sustained ?? NaN;
  const s = switchboard?.sustained ?? NaN;
  const ratio = s / b;
  const rateMet = s >= TARGET_RATE;
  const ratioMet = ratio >= TARGET_RATIO;
  out.push('Summary');
  const bMin = lowerBound(baseline?.runs) ? '≥ ' : '';
  out.push(`  baseline sustained (zero failures):     ${bMin}${fmt(b, 1)} calls/s  (${ceiling(baseline?.runs)})`);
  out.push(`  Switchboard sustained (zero failures):  ${lowerBound(switchboard?.runs) ? '≥ ' : ''}${fmt(s, 1)} calls/s  (${ceiling(switchboard?.runs)})`);
  out.push(`  ratio Switchboard / baseline:           ${Number.isFinite(ratio) ? `${bMin ? '≤ ' : ''}${fmt(ratio * 100, 1)} %` : 'n/a'}${bMin && Number.isFinite(ratio) ? ' (the baseline had no failure at the highest rate tried, so it is a lower bound)' : ''}`);
  const m = media?.sustained ?? NaN;
  const mediaRatio = s / m;
  const mMin = lowerBound(media?.runs) ? '≥ ' : '';
  out.push(`  media baseline sustained:               ${mMin}${fmt(m, 1)} calls/s  (${ceiling(media?.runs)})`);
  out.push(`  ratio Switchboard / media baseline:     ${Number.isFinite(mediaRatio) ? `${mMin ? '≤ ' : ''}${fmt(mediaRatio * 100, 1)} %` : 'n/a'}${mMin && Number.isFinite(mediaRatio) ? ' (the media baseline had no failure at the highest rate tried, so it is a lower bound)' : ''}`);
  out.push(`  CPU cost, baseline:                     ${costPerCall(baseline?.runs)}`);
  out.push(`  CPU cost, media baseline:               ${costPerCall(media?.runs)}`);
  out.push(`  CPU cost, Switchboard:                  ${costPerCall(switchboard?.runs)}`);
  out.push(`  target ≥ ${TARGET_RATE} calls/s:                  ${Number.isFinite(s) ? (rateMet ? 'MET' : 'NOT MET') : 'not measured'}`);
  out.push(`  target ≥ ${TARGET_RATIO * 100} % of baseline:               ${Number.isFinite(ratio) ? (ratioMet ? 'MET' : 'NOT MET') : 'not measured'}`);
  out.push(`  issue 16: ≥ ${MEDIA_TARGET_RATE} calls/s with media:        ${Number.isFinite(s) ? (s >= MEDIA_TARGET_RATE ? 'MET' : 'NOT MET') : 'not measured'}`);
  out.push(`  issue 16: ≥ ${MEDIA_TARGET_RATIO * 100} % of media baseline:       ${Number.isFinite(mediaRatio) ? (mediaRatio >= MEDIA_TARGET_RATIO ? 'MET' : 'NOT MET') : 'not measured'}`);
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
  if (switchboard?.overload) out.push('', ...overloadReport(switchboard.overload));
  else if (switchboard) out.push('', `4. Overload: ${SKIP.has('overload') ? 'skipped' : 'not run (no sustained rate)'}`);
  if (switchboard) out.push('', `Switchboard components: ${switchboard.components}`);
  const allErrors = distinctErrors(0);
  if (allErrors.length > 0) out.push(`Unhandled errors in this process (each would have crashed a real Switchboard process):\n${allErrors.map((e) => `    ${e}`).join('\n')}`);
  if (logSummary) out.push(`Switchboard log (${LOG_LEVEL}+): ${logSummary}`);
  out.push('', `Design §6 target: ≥ ${TARGET_RATE} calls/s into the IVR sustained with zero failures, and ≥ ${TARGET_RATIO * 100} % of the trivial app → ${Number.isFinite(ratio) ? (rateMet && ratioMet ? 'MET' : 'NOT MET') : 'not measured'}`);
  out.push(`(total bench time ${fmt((Date.now() - startedAt) / 1000)} s)`);
  console.log(out.join('\n'));
}

recordProcessErrors();
cleanUpOnSignals();

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