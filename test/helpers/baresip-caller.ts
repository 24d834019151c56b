import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from '../../src/platform/managed-process';
import { baresipAudioConfig, freePortPair } from './baresip-phone';
import { eventually, quietPeriod } from './eventually';

/**
 * A caller whose ears a test can read: baresip (Debian baresip-core 1.0.0)
 * dials the hotline over plain UDP as a trunk's caller would (From the
 * given number, no registration), talks a sine tone, presses IVR keys when
 * told and records what it hears, decoded, to a WAV file (the `sndfile`
 * module's `*-dec.wav`). sipp, the other callers, cannot record what it
 * receives.
 *
 * It is driven over the `ctrl_tcp` module (netstring JSON commands, events
 * back on the same socket). Facts of baresip 1.0.0 this relies on (checked
 * here): `menu` must be loaded as `module_app` for its commands to exist;
 * `sndcode` (send DTMF, RFC 4733 telephone-event) exists only while a call
 * is up, and one command per key gives each key its own start and end;
 * `aufile` ends the call when its file runs out, so the tone lasts longer
 * than any test call; sndfile's file is read while still being written,
 * when its header's sizes may lag, so `heard()` reads the data chunk to the
 * end of the file.
 */

export type BaresipCallerStep = { pauseMs: number } | { digits: string };

export interface BaresipCaller {
  /** Resolves when the call is answered (CALL_ESTABLISHED); rejects if it closes first. */
  connected: Promise<void>;
  /** Resolves when every step has run (after `connected`); rejects if the call closes first. */
  stepsDone: Promise<void>;
  /** Resolves with baresip's reason when the call has closed, whoever ended it. */
  closed: Promise<string>;
  /** What the caller has heard so far: the decoded audio, 8 kHz mono (empty before the call's media starts). */
  heard(): Int16Array;
  /** Hangs up (BYE) and waits until the call has closed. */
  hangUp(): Promise<void>;
  /** Ends baresip and removes its files. */
  stop(): Promise<void>;
  /** baresip's output and the control socket's events, ANSI colours removed. */
  log(): string;
}

interface ControlMessage {
  event?: boolean;
  type?: string;
  param?: string;
  response?: boolean;
  ok?: boolean;
  data?: string;
  token?: string;
}

/** Reads netstrings (`<length>:<bytes>,`) as they arrive, possibly split or several to a chunk. */
function netstringReader(onMessage: (text: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const colon = buffered.indexOf(':');
      if (colon < 0) return;
      const length = Number(buffered.subarray(0, colon).toString());
      if (buffered.length < colon + 1 + length + 1) return;
      onMessage(buffered.subarray(colon + 1, colon + 1 + length).toString());
      buffered = buffered.subarray(colon + 1 + length + 1);
    }
  };
}

/** The samples of a 16-bit mono 8 kHz WAV whose header may not yet give the data's size (a file still being written). */
function samplesOfGrowingWav(wav: Buffer): Int16Array {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return new Int16Array(0);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      const format = { tag: wav.readUInt16LE(offset + 8), channels: wav.readUInt16LE(offset + 10), rate: wav.readUInt32LE(offset + 12), bits: wav.readUInt16LE(offset + 22) };
      if (format.tag !== 1 || format.channels !== 1 || format.rate !== 8000 || format.bits !== 16) throw new Error(`baresip recorded ${JSON.stringify(format)}, not 16-bit PCM mono at 8 kHz`);
    }
    if (id === 'data') {
      const start = offset + 8;
      const bytes = Math.floor((wav.length - start) / 2) * 2;
      return new Int16Array(wav.buffer.slice(wav.byteOffset + start, wav.byteOffset + start + bytes));
    }
    offset += 8 + size + (size % 2);
  }
  return new Int16Array(0);
}

/**
 * Dials `dialled` (default `hotline`) at `target` (host:port of the hotline's
 * UDP SIP) From `from`, sending a sine of `toneHz` (about -10 dBFS) as its
 * microphone; once answered, runs `steps` in order.
 */
export async function startBaresipCaller(options: { target: string; from: string; toneHz: number; dialled?: string; steps?: BaresipCallerStep[]; toneSeconds?: number }): Promise<BaresipCaller> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-baresip-caller-'));
  const sipPort = await freePortPair();
  const controlPort = await freeTcpPort();
  const host = options.target.split(':')[0]!;
  const audio = await baresipAudioConfig({ dir, host, toneHz: options.toneHz, toneSeconds: options.toneSeconds ?? 300 });
  writeFileSync(path.join(dir, 'config'), [
    'poll_method epoll',
    `sip_listen ${host}:${sipPort}`,
    ...audio.lines,
    `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
    'module ctrl_tcp.so',
    'module_app menu.so',
    '',
  ].join('\n'));
  // regint=0: no registration — the hotline takes a trunk's callers by their source address, as it takes sipp's.
  writeFileSync(path.join(dir, 'accounts'), `<sip:${options.from}@${host}>;regint=0;audio_codecs=PCMA;ptime=20\n`);

  let output = '';
  const note = (text: string): void => {
    // eslint-disable-next-line no-control-regex
    output += text.replace(/\x1b\[[0-9;]*m/g, '');
  };
  const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => note(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => note(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopProcess = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  };

  let established!: () => void;
  let closedWith!: (reason: string) => void;
  const connected = new Promise<void>((resolve) => { established = resolve; });
  const closed = new Promise<string>((resolve) => { closedWith = resolve; });
  const replies = new Map<string, (reply: ControlMessage) => void>();
  const control = await eventually(
    () => new Promise<net.Socket | null>((resolve) => {
      const socket = net.connect(controlPort, '127.0.0.1', () => resolve(socket));
      socket.once('error', () => resolve(null));
    }),
    (socket) => socket !== null, 10_000, 50,
  );
  if (!control) {
    await stopProcess();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`baresip's control socket did not open:\n${output}`);
  }
  control.on('error', () => undefined);
  control.on('data', netstringReader((text) => {
    note(`[ctrl] ${text}\n`);
    const message = JSON.parse(text) as ControlMessage;
    if (message.event && message.type === 'CALL_ESTABLISHED') established();
    if (message.event && message.type === 'CALL_CLOSED') closedWith(message.param ?? '');
    if (message.response && message.token) replies.get(message.token)?.(message);
  }));

  let tokens = 0;
  const command = (name: string, params = ''): Promise<void> => new Promise((resolve, reject) => {
    const token = `${name}-${++tokens}`;
    replies.set(token, (reply) => {
      replies.delete(token);
      if (reply.ok) resolve();
      else reject(new Error(`baresip refused ${name} ${params}: ${reply.data ?? ''}\n${output}`));
    });
    const json = JSON.stringify({ command: name, params, token });
    control.write(`${Buffer.byteLength(json)}:${json},`);
  });

  const closedEarly = closed.then((reason) => { throw new Error(`the call closed (${reason}) before it was answered:\n${output}`); });
  closedEarly.catch(() => undefined);
  const answered = Promise.race([connected, closedEarly]);
  const stepsDone = answered.then(async () => {
    let open = true;
    void closed.then(() => { open = false; });
    for (const step of options.steps ?? []) {
      if (!open) throw new Error(`the call closed before step ${JSON.stringify(step)}:\n${output}`);
      if ('pauseMs' in step) await quietPeriod(step.pauseMs, 'the caller\'s scripted pause (e.g. the IVR greeting before a key)');
      else for (const key of step.digits) await command('sndcode', key);
    }
  });
  stepsDone.catch(() => undefined);
  await command('dial', `sip:${options.dialled ?? 'hotline'}@${options.target}`);

  return {
    connected: answered,
    stepsDone,
    closed,
    heard() {
      const files = readdirSync(audio.heardDir).filter((f) => f.endsWith('-dec.wav')).map((f) => path.join(audio.heardDir, f));
      if (files.length === 0) return new Int16Array(0);
      const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
      return samplesOfGrowingWav(readFileSync(newest));
    },
    async hangUp() {
      await command('hangup');
      await closed;
    },
    async stop() {
      control.destroy();
      await stopProcess();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => output,
  };
}
