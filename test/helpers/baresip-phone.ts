import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from '../../src/platform/managed-process';
import { freeMediaPort } from './sipp';

/**
 * A real desk phone speaking SIP over TLS: baresip (Debian baresip-core) —
 * sipp here is built without TLS. It registers with digest credentials,
 * answers every call by itself, sends a 440 Hz tone as its microphone and
 * writes what it hears to a WAV file.
 *
 * Facts of baresip 1.0.0 this relies on (checked here): TLS listens on the
 * `sip_listen` port + 1; it never verifies the server's certificate (there is
 * no `sip_verify_server` in 1.0.0), `sip_cafile` only adds to its trust store;
 * `net_interface` must be an address (not `lo`) or SDP names eth0; the
 * `sndfile` module records what is decoded (`*-dec.wav`); it ends a call when
 * its source file runs out, so the tone is longer than any test call.
 */
export interface BaresipPhone {
  /** Resolves when the registrar has answered 200 over TLS. */
  registered: Promise<void>;
  /** Every line baresip printed, ANSI colours removed. */
  log(): string;
  /** Waits for a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The WAV files of what the phone heard, one per call. */
  heardFiles(): string[];
  stop(): Promise<void>;
}

export function baresipPresent(): boolean {
  return findExecutable('baresip') !== null;
}

/** A UDP/TCP port P whose neighbour P+1 (baresip's TLS port) is free too. */
export async function freePortPair(): Promise<number> {
  const free = (port: number): Promise<boolean> => new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await free(port) && await free(port + 1)) return port;
  }
  throw new Error('no free port pair for baresip');
}

/**
 * The config lines of a test phone's audio: a sine of `toneHz` (a sox-made
 * WAV, about -10 dBFS) as its microphone — baresip ends a call when the
 * file runs out, so it lasts longer than any test call — and what it hears,
 * decoded, recorded to `heardDir` (the sndfile module's `*-dec.wav`); G.711
 * over four RTP ports from freeMediaPort, on `host`.
 */
export async function baresipAudioConfig(options: { dir: string; host: string; toneHz: number; toneSeconds: number }): Promise<{ lines: string[]; heardDir: string }> {
  const heardDir = path.join(options.dir, 'heard');
  mkdirSync(heardDir);
  const tone = path.join(options.dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', tone, 'synth', String(options.toneSeconds), 'sine', String(options.toneHz), 'vol', '0.3']);
  const rtpBase = await freeMediaPort();
  return {
    heardDir,
    lines: [
      `audio_source aufile,${tone}`,
      'audio_player aubridge,nil',
      'audio_alert aubridge,nil',
      'ausrc_format s16', 'auplay_format s16', 'auenc_format s16', 'audec_format s16',
      `rtp_ports ${rtpBase}-${rtpBase + 3}`,
      'rtcp_mux no',
      `net_interface ${options.host}`,
      'dns_server 127.0.0.1:53',
      'module_path /usr/lib/baresip/modules',
      'module g711.so', 'module aufile.so', 'module aubridge.so', 'module sndfile.so',
      'module_tmp uuid.so', 'module_tmp account.so',
      `snd_path ${heardDir}`,
    ],
  };
}

export async function startBaresipPhone(options: { user: string; password: string; realm: string; registrar: { host: string; tlsPort: number }; caFile: string }): Promise<BaresipPhone> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-baresip-'));
  const sipPort = await freePortPair();
  const audio = await baresipAudioConfig({ dir, host: '127.0.0.1', toneHz: 440, toneSeconds: 120 });
  writeFileSync(path.join(dir, 'config'), [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${sipPort}`,
    `sip_cafile ${options.caFile}`,
    ...audio.lines,
    '',
  ].join('\n'));
  const registrar = `sip:${options.registrar.host}:${options.registrar.tlsPort};transport=tls`;
  writeFileSync(path.join(dir, 'accounts'),
    `<sip:${options.user}@${options.realm};transport=tls>;auth_user=${options.user};auth_pass=${options.password};outbound="${registrar}";regint=300;answermode=auto;audio_codecs=PCMA,PCMU;ptime=20\n`);

  // -s: the SIP trace, so that a test can read how each request reached the phone.
  const child = spawn('baresip', ['-f', dir, '-s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onData = (chunk: Buffer): void => {
    // eslint-disable-next-line no-control-regex
    output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
    for (const waiter of [...waiters]) {
      const match = output.split('\n').find((line) => waiter.pattern.test(line));
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = (pattern: RegExp, timeoutMs = 20_000): Promise<string> => {
    const already = output.split('\n').find((line) => pattern.test(line));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baresip did not print ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      waiters.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line); } });
    });
  };
  return {
    registered: waitFor(/\{0\/TLS\/v4\} 200 OK/).then(() => undefined),
    log: () => output,
    waitFor,
    heardFiles: () => readdirSync(audio.heardDir).filter((f) => f.endsWith('-dec.wav')).map((f) => path.join(audio.heardDir, f)),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
