import dgram from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import { findExecutable, startManagedProcess, stopChild, ServiceStartError, type RunningService } from '../platform/managed-process';

export interface RtpengineProcessOptions {
  binary: string;
  ngPort: number;
  interface: string;
  portMin: number;
  portMax: number;
  /** Where `pcap` recordings go (design §7: the recording daemon needs the kernel module). */
  recordingDir: string;
  /** Where rtpengine sends one JSON datagram per RFC 2833 digit. */
  dtmfLogPort: number;
  logger?: Logger;
}

/** The ng protocol's own liveness check: `ping` answered by `pong` (bencoded, behind a cookie). */
export function pingRtpengine(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const cookie = randomBytes(6).toString('hex');
    const finish = (alive: boolean): void => {
      clearTimeout(timer);
      socket.close();
      resolve(alive);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(false));
    socket.on('message', (message) => finish(message.toString().startsWith(`${cookie} `) && message.toString().includes('4:pong')));
    socket.send(`${cookie} d7:command4:pinge`, port, host);
  });
}

/**
 * Starts rtpengine in userspace (`--table=-1`, no kernel module), ignoring any
 * system config file so that only these settings apply.
 */
export async function startRtpengine(options: RtpengineProcessOptions): Promise<RunningService> {
  const binary = findExecutable(options.binary);
  if (!binary) {
    throw new ServiceStartError(`rtpengine is not installed: apt-get install rtpengine-daemon, or set RTPENGINE_URL`);
  }
  mkdirSync(options.recordingDir, { recursive: true });
  const child = await startManagedProcess({
    name: 'rtpengine',
    command: binary,
    args: [
      '--config-file=none',
      '--table=-1',
      '--foreground',
      '--log-stderr',
      '--log-level=5',
      `--interface=${options.interface}`,
      `--listen-ng=127.0.0.1:${options.ngPort}`,
      `--port-min=${options.portMin}`,
      `--port-max=${options.portMax}`,
      '--recording-method=pcap',
      `--recording-dir=${options.recordingDir}`,
      `--dtmf-log-dest=127.0.0.1:${options.dtmfLogPort}`,
      // One media-player thread (default: one per CPU): rtpengine's CPU per IVR call fell from 4.4 to 2.7-3.0 ms with the
      // greeting played to 200 calls/s (bench:sip media baseline, issue 16); --num-threads and --poller-per-thread changed nothing.
      '--media-num-threads=1',
    ],
    ready: () => pingRtpengine('127.0.0.1', options.ngPort),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { name: 'rtpengine', url: `udp://127.0.0.1:${options.ngPort}`, stop: () => stopChild(child, 'SIGTERM') };
}
