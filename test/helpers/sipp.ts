import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from './eventually';
import { answerCall, KEEP_DIALOG, pause, phoneRefer, receiveRequest, refuseCall, replyOk, respond, scenario, sendBye } from './sipp-scenario';

/*
 * The scenarios themselves are composed from test/helpers/sipp-scenario.ts;
 * what tests import from here stays importable from here.
 */
export { AUDIO_PCAP, callerScenario, dtmfPcap, type CallerStep } from './sipp-scenario';

/** Our BYE on a call we placed (RFC 3261 §15.1.1), for scenarios built around callerScenario (bench/sip-bench.ts), and the 200 that answers it. */
/**
 * sipp's media ports (`-mp`) live above the kernel's ephemeral range
 * (32768-60999 here), where the ports freeTcpPort() hands out and the test
 * rtpengines' media ranges (20000-59999) are: a sipp picked from there could
 * find its RTP port taken ("Unable to bind audio RTP socket") by an
 * rtpengine of a test running alongside.
 */
const MEDIA_PORT_MIN = 61_000;
const MEDIA_PORT_MAX = 65_400;
/** sipp binds the port given and the next three (audio RTP/RTCP, video RTP/RTCP). */
const MEDIA_PORTS_TAKEN = 4;
let nextMediaPort = MEDIA_PORT_MIN + MEDIA_PORTS_TAKEN * Math.floor(Math.random() * ((MEDIA_PORT_MAX - MEDIA_PORT_MIN) / MEDIA_PORTS_TAKEN));

function udpPortFree(port: number, address?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, address, () => socket.close(() => resolve(true)));
  });
}

/**
 * Resolves once a sipp started on `address:port` listens there (its SIP port
 * is bound), so that a test triggers the call it answers only when it can
 * answer — not after a guessed pause.
 */
export async function sippListening(address: string, port: number, timeoutMs = 10_000): Promise<void> {
  const bound = await eventually(() => udpPortFree(port, address), (free) => !free, timeoutMs, 20);
  if (bound) throw new Error(`sipp did not start listening on ${address}:${port} within ${timeoutMs} ms`);
}

/** A `-mp` for sipp whose four UDP ports are free now, outside every range other test processes draw from. */
export async function freeMediaPort(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = nextMediaPort;
    nextMediaPort = nextMediaPort + MEDIA_PORTS_TAKEN > MEDIA_PORT_MAX ? MEDIA_PORT_MIN : nextMediaPort + MEDIA_PORTS_TAKEN;
    let free = true;
    for (let i = 0; i < MEDIA_PORTS_TAKEN && free; i++) free = await udpPortFree(port + i);
    if (free) return port;
  }
  throw new Error(`no free sipp media port in ${MEDIA_PORT_MIN}-${MEDIA_PORT_MAX}`);
}

export const SEND_BYE = sendBye(3);

export interface SippResult {
  exitCode: number | null;
  successful: number;
  failed: number;
  output: string;
  errors: string;
}

/**
 * Runs sipp once with a generated scenario against `target` (host:port),
 * from 127.0.0.1 on `localPort`/`mediaPort`. Resolves when sipp exits.
 */
export async function runSipp(options: { scenario: string; target: string; localPort: number; mediaPort: number; calls?: number; rate?: number; timeoutSeconds?: number; extraArgs?: string[] }): Promise<SippResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sipp-'));
  try {
    const file = path.join(dir, 'scenario.xml');
    writeFileSync(file, options.scenario);
    const args = [
      options.target, '-sf', file, '-m', String(options.calls ?? 1), '-r', String(options.rate ?? 1), '-l', String(options.calls ?? 1),
      '-i', '127.0.0.1', '-p', String(options.localPort), '-mp', String(options.mediaPort),
      '-timeout', `${options.timeoutSeconds ?? 60}s`, '-timeout_error', '-nostdin', '-trace_err', '-trace_stat', '-fd', '1',
      ...(options.extraArgs ?? []),
    ];
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const stat = readdirSync(dir).find((f) => f.endsWith('_.csv'));
    let successful = 0;
    let failed = 0;
    if (stat) {
      const lines = readFileSync(path.join(dir, stat), 'utf8').trim().split('\n');
      const header = (lines[0] ?? '').split(';');
      const last = (lines[lines.length - 1] ?? '').split(';');
      successful = Number(last[header.indexOf('SuccessfulCall(C)')] ?? 0);
      failed = Number(last[header.indexOf('FailedCall(C)')] ?? 0);
    }
    const errFile = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
    const errors = errFile && existsSync(path.join(dir, errFile)) ? readFileSync(path.join(dir, errFile), 'utf8') : '';
    return { exitCode, successful, failed, output, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A desk phone that is rung: `busy` answers 486, `ring` rings until
 * CANCELled. (An answering phone is sipp's built-in `uas` with -rtp_echo.)
 */
export function agentScenario(behaviour: 'busy' | 'ring'): string {
  if (behaviour === 'busy') return scenario(refuseCall('486 Busy Here'));
  return scenario(`${receiveRequest('INVITE')}
${respond('180 Ringing', { contact: true })}
${receiveRequest('CANCEL')}
${respond('200 OK')}
${respond('487 Request Terminated', { cseq: '[last_cseq_number] INVITE' })}
${receiveRequest('ACK')}`);
}

/** Starts sipp as a phone in the background; resolve `done` for its exit code. */
export function startSippPhone(options: {
  /** Scenario XML, or the word uas for sipp's built-in answering phone. */ scenario: string; port: number; mediaPort: number; timeoutSeconds?: number;
  /** Answers in-dialog INFO, NOTIFY, OPTIONS and UPDATE with 200 by itself (sipp -aa), as a real phone does. */ autoAnswer?: boolean;
}): { done: Promise<number | null>; stop: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-phone-'));
  const args = ['-i', '127.0.0.1', '-p', String(options.port), '-mp', String(options.mediaPort), '-m', '1', '-nostdin', '-timeout', `${options.timeoutSeconds ?? 60}s`, '-timeout_error'];
  if (options.autoAnswer) args.push('-aa');
  if (options.scenario === 'uas') args.push('-sn', 'uas', '-rtp_echo');
  else {
    writeFileSync(path.join(dir, 'phone.xml'), options.scenario);
    args.push('-sf', path.join(dir, 'phone.xml'));
  }
  const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))).finally(() => rmSync(dir, { recursive: true, force: true }));
  return { done, stop: () => child.kill('SIGKILL') };
}

/** REGISTERs a staff member's desk phone at 127.0.0.1:`port` (digest auth), as sipp. */
export async function registerPhone(options: { target: string; port: number; user: string; password: string }): Promise<number | null> {
  const fixture = path.resolve(__dirname, '..', 'fixtures', 'sipp', 'register.xml');
  const child = spawn('sipp', [options.target, '-sf', fixture, '-m', '1', '-i', '127.0.0.1', '-p', String(options.port), '-au', options.user, '-ap', options.password, '-key', 'user', options.user, '-key', 'contact_user', options.user, '-key', 'expires', '600', '-nostdin', '-timeout', '10s', '-timeout_error'], { cwd: os.tmpdir(), stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/**
 * A desk phone that answers, talks for `pauseMs`, then blind-transfers the
 * call with a REFER on its dialog (RFC 3515) to `referTo` (e.g.
 * `sip:queue-finance@127.0.0.1`): expects 202, answers the NOTIFY (sipfrag),
 * then expects the BYE that ends its leg.
 */
export function referringAgentScenario(options: { referTo: string; pauseMs: number }): string {
  return scenario(`${answerCall(KEEP_DIALOG)}
${pause(options.pauseMs)}
${phoneRefer(options.referTo, 101)}
${receiveRequest('NOTIFY')}
${replyOk()}
${receiveRequest('BYE')}
${replyOk()}`);
}
