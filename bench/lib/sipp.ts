/**
 * Running sipp with a scenario (built-in or XML) and reading what it measured
 * from its statistics file (-trace_stat) and error file (-trace_err).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freeTcpPort } from '../../src/platform/managed-process';
import { tempDir, trackChild, untrackChild } from './cleanup';

export const LOOPBACK = '127.0.0.1';

export type Scenario = { builtin: 'uac'; callMs: number } | { xml: string };

export interface StatRow {
  /** Seconds since sipp started. */
  t: number;
  created: number;
  current: number;
  successful: number;
  failed: number;
}

export interface SippOutcome {
  exitCode: number | null;
  created: number;
  successful: number;
  failed: number;
  /** Created but neither successful nor failed when sipp stopped (global timeout). */
  unfinished: number;
  /** Calls created per second while sipp was creating them. */
  achievedRate: number;
  wallSeconds: number;
  /** Mean INVITE → 200 time (ms), when the scenario measures it (ResponseTime1). */
  inviteTo200Ms: number | null;
  retransmissions: number;
  maxCurrent: number;
  /** sipp's Failed…(C) counters that are not zero, as "Name=count". */
  failReasons: string[];
  /** The most frequent distinct lines of sipp's error file. */
  errorSample: string;
  rows: StatRow[];
  /** The last statistics line by column name (every counter sipp wrote), for figures not picked out above. */
  last: Map<string, string>;
  /** Directory sipp ran in (scenario, stat and error files; removed at clean-up). */
  dir: string;
}

export interface SippRun {
  /** host:port to send to. */
  target: string;
  rate: number;
  calls: number;
  /** Most calls in progress at once (-l). */
  limit: number;
  scenario: Scenario;
  timeoutSeconds: number;
  /** Extra sipp arguments, e.g. response-time partitions (-rtd, -rtt_freq). */
  extraArgs?: string[];
}

/** sipp's "hh:mm:ss:uuuuuu" as milliseconds. */
export function sippDurationMs(value: string | undefined): number {
  const parts = (value ?? '').split(':').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return NaN;
  const [h = 0, m = 0, s = 0, us = 0] = parts;
  return (h * 3600 + m * 60 + s) * 1000 + us / 1000;
}

/** "date\ttime\tepoch" → epoch seconds. */
export function sippEpoch(value: string | undefined): number {
  return Number((value ?? '').split('\t')[2]);
}

export function parseStats(file: string): { header: string[]; lines: string[][] } {
  if (!existsSync(file)) return { header: [], lines: [] };
  const text = readFileSync(file, 'utf8').trim().split('\n');
  return { header: (text[0] ?? '').split(';'), lines: text.slice(1).map((l) => l.split(';')) };
}

/** The most frequent distinct errors of sipp's error file, call-ids and long numbers blanked. */
export function summariseSippErrors(errorFile: string, top = 4): string {
  if (!existsSync(errorFile)) return '';
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
  return [...distinct.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, n]) => `${n}× ${k.slice(0, 160)}`).join('\n');
}

/** Runs sipp to the end (or its global timeout) from 127.0.0.1 on free ports; never throws for failed calls. */
export async function runSipp(options: SippRun): Promise<SippOutcome> {
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
    ...(options.extraArgs ?? []),
  );
  const started = Date.now();
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
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
  untrackChild(child);
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
  let errorSample = summariseSippErrors(errorFile);
  if (rows.length === 0) errorSample = `sipp wrote no statistics (exit ${exitCode}):\n${tail.slice(-1500)}`;
  return {
    exitCode, created, successful, failed, unfinished: Math.max(0, created - successful - failed),
    achievedRate: created > 0 && creationSeconds > 0 ? created / creationSeconds : NaN,
    wallSeconds, inviteTo200Ms: Number.isFinite(rtd) ? rtd : null,
    retransmissions: num(last, 'Retransmissions(C)'),
    maxCurrent: rows.reduce((m, r) => Math.max(m, r.current), 0),
    failReasons, errorSample, rows,
    last: new Map(header.map((name, i) => [name, last?.[i] ?? ''])),
    dir,
  };
}
