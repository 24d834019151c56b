import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { existsSync, accessSync, constants } from 'node:fs';
import type { Logger } from '../logger';

/** A real component this process started: stopping it is the caller's job, in a `finally`. */
export interface RunningService {
  readonly name: string;
  /** How clients reach it, e.g. redis://127.0.0.1:6380. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  spawnOptions?: SpawnOptions;
  logger?: Logger;
  /** Resolves once the service answers; rejected or timed-out means start failed. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
}

export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
}

/** The last lines a child wrote, kept so that a failed start can say why. */
class OutputTail {
  private lines: string[] = [];
  push(chunk: Buffer): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (this.lines.length > 30) this.lines = this.lines.slice(-30);
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The services this process started and that still run. They are detached
 * (a group of their own), so nothing else ends them with us: when this
 * process exits without stopping them — a shutdown watchdog, process.exit
 * after a fatal error — they are killed here rather than left running as
 * orphans holding their ports and data directories.
 */
const liveChildren = new Set<ChildProcess>();
let killOnExitInstalled = false;

function killLiveChildrenOnExit(): void {
  if (killOnExitInstalled) return;
  killOnExitInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

/**
 * Starts a long-running binary, waits until `ready()` answers true, and returns
 * a handle whose stop() sends `stopSignal`, then SIGKILL if it lingers.
 */
export async function startManagedProcess(options: ManagedProcessOptions): Promise<ChildProcess> {
  const tail = new OutputTail();
  // A process group of its own: Ctrl-C in a terminal reaches Switchboard only, which then stops services in order.
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options.spawnOptions });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let spawnError: Error | null = null;
  killLiveChildrenOnExit();
  liveChildren.add(child);
  child.on('error', (err) => {
    spawnError = err;
  });
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    liveChildren.delete(child);
    if (options.logger && code !== 0 && signal === null) {
      options.logger.warn({ service: options.name, code, output: tail.toString() }, 'service exited');
    }
  });
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20000);
  while (Date.now() < deadline) {
    if (spawnError) throw new ServiceStartError(`${options.name}: cannot run ${options.command}: ${(spawnError as Error).message}`);
    if (exited) {
      const { code, signal } = exited as { code: number | null; signal: NodeJS.Signals | null };
      throw new ServiceStartError(`${options.name} exited during start (code ${code}, signal ${signal}):\n${tail.toString()}`);
    }
    if (await options.ready().catch(() => false)) return child;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new ServiceStartError(`${options.name} did not become ready in time:\n${tail.toString()}`);
}

/** Stops a child politely, then firmly. Safe to call twice. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ports this process has already handed out. The OS gives a closed listener's
 * port to the next bind(0) again at random (a fresh-clone CI run got the same
 * port for two of one system's listeners), so a port is never handed out twice.
 */
const portsHandedOut = new Set<number>();

/**
 * A port `pick` gives (the OS's choice) that passes `usable` and that this
 * process has not handed out before; it is then handed out.
 */
async function portNotHandedOut(what: string, pick: () => Promise<number>, usable: (port: number) => Promise<boolean>): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const port = await pick();
    if (!portsHandedOut.has(port) && (await usable(port))) {
      portsHandedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free ${what} port that this process has not handed out already (1000 tries)`);
}

function osPickedTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether nothing holds `port` on loopback for UDP. */
function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on loopback, free for UDP too and different from every port
 * this process got from here before (the OS picks; a tiny race with other
 * processes remains and is acceptable for local starts). SIP listens on both
 * (drachtio-server, sipp phones), and rtpengines and browsers hold UDP ports
 * in the same range: a fresh-clone CI run's sipp phone could not bind its
 * UDP port (exit 254) on a port that was free for TCP.
 */
export function freeTcpPort(): Promise<number> {
  return portNotHandedOut('TCP', osPickedTcpPort, udpPortFree);
}

function osPickedUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const picked = socket.address().port;
      socket.close(() => resolve(picked));
    });
  });
}

/**
 * A free UDP port on loopback, different from every port this process got
 * from here (or from freeTcpPort) before: for a process that must be told
 * its receiving port, e.g. a GStreamer udpsrc (the conference mixer). A tiny
 * race with other processes remains.
 */
export function freeUdpPort(): Promise<number> {
  return portNotHandedOut('UDP', osPickedUdpPort, () => Promise.resolve(true));
}

/** True when something accepts TCP connections at host:port. */
export function tcpPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Finds an executable by name on PATH (or accepts an absolute path). */
export function findExecutable(name: string): string | null {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(':').map((dir) => `${dir}/${name}`);
  for (const candidate of candidates) {
    try {
      if (existsSync(candidate)) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not executable: keep looking
    }
  }
  return null;
}
