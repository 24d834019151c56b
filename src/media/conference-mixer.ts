import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logger';
import { freeUdpPort, ServiceStartError, startManagedProcess, stopChild } from '../platform/managed-process';

/**
 * A conference mixer for barge (issue 18): rtpengine 10.5 forwards streams
 * but cannot mix them (docs/call-monitoring.md), so a GStreamer pipeline
 * (`gst-launch-1.0`, Debian gstreamer1.0-tools + -plugins-base + -plugins-good)
 * mixes plain RTP PCMA 8 kHz on loopback: every named input is received on a
 * UDP port of its own, every output is the mix of a listed subset of the
 * inputs ("mix-minus": nobody is sent their own voice) sent to host:port.
 * rtpengine transcodes between the parties' codecs and PCMA.
 */

/** One output of the mixer: the mix of `inputs` (input names), sent as RTP to host:port. */
export interface MixerOutput {
  name: string;
  inputs: readonly string[];
  host: string;
  port: number;
}

/** What the pipeline receives (input name → local UDP port) and sends. */
export interface MixerPlan {
  inputs: ReadonlyArray<{ name: string; port: number }>;
  outputs: readonly MixerOutput[];
}

/** What the audio is: PCMA, 8 kHz, one channel, 20 ms packets (RFC 3551 §4.5.14, the prompts' format, design §7). */
const RTP_CAPS = 'caps=application/x-rtp,media=audio,clock-rate=8000,encoding-name=PCMA,payload=8';
const RAW_CAPS = 'audio/x-raw,rate=8000,channels=1';
const PACKET_NS = 20_000_000;
/** How long the jitter buffer holds packets to reorder them, in ms. */
const JITTER_MS = 40;
/** How long the mixer waits for a late input before mixing without it, in ns. */
const MIX_LATENCY_NS = 40_000_000;

/** The GStreamer element each Debian package brings, to name the package when one is missing. */
const PACKAGE_OF_ELEMENT: Readonly<Record<string, string>> = {
  audiomixer: 'gstreamer1.0-plugins-base', audiotestsrc: 'gstreamer1.0-plugins-base', audioconvert: 'gstreamer1.0-plugins-base',
  audioresample: 'gstreamer1.0-plugins-base', udpsrc: 'gstreamer1.0-plugins-good', udpsink: 'gstreamer1.0-plugins-good',
  rtpjitterbuffer: 'gstreamer1.0-plugins-good', rtppcmadepay: 'gstreamer1.0-plugins-good', rtppcmapay: 'gstreamer1.0-plugins-good',
  alawdec: 'gstreamer1.0-plugins-good', alawenc: 'gstreamer1.0-plugins-good',
};

const NAME = /^[a-z][a-z0-9_]*$/i;

/**
 * The `gst-launch-1.0` arguments (after `-q`) of the pipeline for `plan`. Pure.
 *
 * Each input: udpsrc → jitter buffer → depayload → A-law decode → tee. Each
 * output: an audiomixer fed by a live silent source plus a queue from each of
 * its inputs' tees → A-law encode → 20 ms RTP → udpsink. The silent live
 * source drives the mixer's clock (live mode: it mixes what arrived within
 * its latency), so the output flows from the start and an input that never
 * sends (a party on mute, a subscription not yet answered) never stalls it.
 * Not `ignore-inactive-pads`: with it GStreamer 1.22's audiomixer ended the
 * pipeline at start-up (EOS, gst-launch exit 0) in 4 to 5 starts out of 25.
 */
export function mixerPipeline(plan: MixerPlan): string[] {
  const inputNames = new Set<string>();
  for (const input of plan.inputs) {
    if (!NAME.test(input.name) || inputNames.has(input.name)) throw new Error(`mixer input name must be unique and [a-z0-9_]: "${input.name}"`);
    if (!validPort(input.port)) throw new Error(`mixer input ${input.name}: bad port ${input.port}`);
    inputNames.add(input.name);
  }
  const outputNames = new Set<string>();
  for (const output of plan.outputs) {
    if (!NAME.test(output.name) || outputNames.has(output.name)) throw new Error(`mixer output name must be unique and [a-z0-9_]: "${output.name}"`);
    if (!validPort(output.port) || !/^[0-9a-z.:-]+$/i.test(output.host)) throw new Error(`mixer output ${output.name}: bad destination ${output.host}:${output.port}`);
    const unknown = output.inputs.filter((name) => !inputNames.has(name));
    if (unknown.length > 0) throw new Error(`mixer output ${output.name} mixes unknown inputs: ${unknown.join(', ')}`);
    outputNames.add(output.name);
  }
  const args: string[] = [];
  for (const input of plan.inputs) {
    args.push(
      'udpsrc', 'address=127.0.0.1', `port=${input.port}`, 'reuse=false', RTP_CAPS, '!',
      'rtpjitterbuffer', `latency=${JITTER_MS}`, '!', 'rtppcmadepay', '!', 'alawdec', '!', 'audioconvert', '!', 'audioresample', '!',
      'tee', `name=in_${input.name}`,
    );
  }
  for (const output of plan.outputs) {
    const mixer = `mix_${output.name}`;
    args.push(
      'audiomixer', `name=${mixer}`, `latency=${MIX_LATENCY_NS}`, '!', RAW_CAPS, '!',
      'alawenc', '!', 'rtppcmapay', 'pt=8', `min-ptime=${PACKET_NS}`, `max-ptime=${PACKET_NS}`, '!',
      'udpsink', `host=${output.host}`, `port=${output.port}`, 'sync=false', 'async=false',
      'audiotestsrc', 'wave=silence', 'is-live=true', 'samplesperbuffer=160', '!', RAW_CAPS, '!', `${mixer}.`,
    );
    for (const name of output.inputs) args.push(`in_${name}.`, '!', 'queue', '!', `${mixer}.`);
  }
  return args;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

/**
 * The Debian package to install when gst-launch-1.0's output says an
 * element is missing ("no element \"audiomixer\""), or null. Pure.
 */
export function missingGstreamerPackage(output: string): string | null {
  const element = /no element "([^"]+)"/.exec(output)?.[1];
  if (element === undefined) return null;
  return PACKAGE_OF_ELEMENT[element] ?? `the GStreamer plugin package with "${element}"`;
}

/**
 * The loopback UDP ports of `ports` that some socket has bound, read from
 * /proc/net/udp (Linux). Read, not probed by binding: a probe's own bind
 * could take the port just as udpsrc binds it, and gst-launch-1.0 then
 * exits.
 */
async function boundUdpPorts(ports: readonly number[]): Promise<Set<number>> {
  const table = await readFile('/proc/net/udp', 'utf8');
  const wanted = new Set(ports);
  const bound = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const local = line.trim().split(/\s+/)[1];
    const port = local === undefined ? NaN : parseInt(local.split(':')[1] ?? '', 16);
    if (wanted.has(port)) bound.add(port);
  }
  return bound;
}

export interface ConferenceMixerOptions {
  /** Input names ([a-z0-9_]); each gets a UDP port of its own on 127.0.0.1. */
  inputs: readonly string[];
  outputs: readonly MixerOutput[];
  logger?: Logger;
  /** The gst-launch-1.0 binary (tests may point elsewhere). */
  command?: string;
}

/** A running mixer process. stop() it in a `finally`. */
export class ConferenceMixer {
  private stopped = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly ports: ReadonlyMap<string, number>,
    private readonly output: () => string,
  ) {}

  /**
   * Picks the inputs' ports, starts gst-launch-1.0 and waits until every
   * input port is bound. Missing GStreamer (the binary or a plugin) is a
   * DEPENDENCY_DOWN AppError naming the Debian package.
   */
  static async start(options: ConferenceMixerOptions): Promise<ConferenceMixer> {
    const ports = new Map<string, number>();
    for (const name of options.inputs) ports.set(name, await freeUdpPort());
    const args = ['-q', ...mixerPipeline({ inputs: [...ports].map(([name, port]) => ({ name, port })), outputs: options.outputs })];
    const command = options.command ?? 'gst-launch-1.0';
    let stderr = '';
    let child: ChildProcess;
    try {
      child = await startManagedProcess({
        name: 'conference-mixer', command, args, logger: options.logger, readyTimeoutMs: 10000,
        ready: async () => (await boundUdpPorts([...ports.values()])).size === ports.size,
      });
    } catch (err) {
      if (err instanceof ServiceStartError) {
        const missing = /cannot run/.test(err.message) ? 'gstreamer1.0-tools' : missingGstreamerPackage(err.message);
        if (missing) {
          throw new AppError('DEPENDENCY_DOWN', `the conference mixer needs GStreamer: install the Debian package ${missing} (${err.message.split('\n')[0]})`, [], { cause: err });
        }
      }
      throw err;
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const mixer = new ConferenceMixer(child, ports, () => stderr);
    child.once('exit', (code, signal) => {
      if (!mixer.stopped) options.logger?.warn({ code, signal, stderr }, 'conference mixer exited by itself');
    });
    options.logger?.debug({ pid: child.pid, inputs: Object.fromEntries(ports) }, 'conference mixer started');
    return mixer;
  }

  /** The loopback UDP port input `name` is received on: where rtpengine must send that party. */
  inputPort(name: string): number {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`the mixer has no input "${name}"`);
    return port;
  }

  /** The process id (tests check that it is gone after stop). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process wrote to stderr last (a few kB), for a report when it failed. */
  get stderr(): string {
    return this.output();
  }

  /** SIGINT (gst-launch stops its pipeline), SIGKILL if it lingers. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    await stopChild(this.child, 'SIGINT', 2000);
  }
}
