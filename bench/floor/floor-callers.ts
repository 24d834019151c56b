/**
 * The floor's callers (issue 16): one sipp UAC run places every planned
 * call. All calls are created at once (5,000/s) and each waits, in its
 * scenario, until its own due time from the injection file before sending
 * its INVITE, so arrivals follow the planned Poisson schedule rather than
 * sipp's even rate; the INVITE times sipp logged are checked against it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { trackChild, untrackChild } from '../lib/cleanup';
import { LOOPBACK } from '../lib/sipp';
import { freeMediaPort } from '../../test/helpers/sipp';
import { freeTcpPort } from '../../src/platform/managed-process';
import type { PlacedCall } from './floor-run';
import { callerCsv, callIdPattern } from './floor-plan';
import { floorCallerScenario, parseSippLog, type SippLogLine } from './floor-scenarios';

/** Calls created per second while sipp sets them all up (each then waits for its due time, less its creation offset). */
const CREATE_RATE = 5000;

export interface CallerRun {
  /** Epoch ms at which sipp was started: the run's time zero for due times. */
  startedAtMs: number;
  /** Resolves when sipp has finished every call (or was stopped). */
  done: Promise<number | null>;
  logLines(): SippLogLine[];
  /** sipp's own error log, the first lines. */
  errors(): string;
  stop(): void;
}

export async function startCallers(options: { target: string; calls: readonly PlacedCall[]; dir: string; tonePcap: string; runTag: string; timeoutSeconds: number }): Promise<CallerRun> {
  const scenarioFile = path.join(options.dir, 'caller.xml');
  const csv = path.join(options.dir, 'callers.csv');
  const logFile = path.join(options.dir, 'callers.log');
  const errorFile = path.join(options.dir, 'callers.err');
  writeFileSync(scenarioFile, floorCallerScenario(options.tonePcap));
  writeFileSync(csv, callerCsv(options.calls, CREATE_RATE));
  const n = String(Math.max(1, options.calls.length));
  const args = [
    options.target, '-sf', scenarioFile, '-inf', csv, '-cid_str', callIdPattern(options.runTag),
    '-m', n, '-l', n, '-r', String(CREATE_RATE), '-i', LOOPBACK, '-p', String(await freeTcpPort()), '-mp', String(await freeMediaPort()),
    '-nostdin', '-aa', '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', errorFile, '-timeout', `${options.timeoutSeconds}s`,
  ];
  const startedAtMs = Date.now();
  const child = spawn('sipp', args, { cwd: options.dir, stdio: 'ignore' });
  trackChild(child);
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    untrackChild(child);
    resolve(code);
  }));
  return {
    startedAtMs,
    done,
    logLines: () => (existsSync(logFile) ? parseSippLog(readFileSync(logFile, 'utf8')) : []),
    errors: () => (existsSync(errorFile) ? readFileSync(errorFile, 'utf8').split('\n').filter((l) => /Aborting|Dead call|failed/i.test(l) && !/Automatic response mode/.test(l)).slice(0, 10).join('\n') : ''),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
