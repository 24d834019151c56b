import { AppError, isAppError } from '../errors/app-error';
import type { Logger } from '../logger';
import type { ComponentStatus } from '../platform/component-status';
import type { MediaEngine, MediaEngines } from './media-engine';
import { RtpengineCallSweeper, type MediaLostListener } from './rtpengine-call-sweeper';
import { nextPickable, RtpengineHealth, type RtpengineHealthChange, type RtpengineHealthState } from './rtpengine-health';
import { NgLoadMeter, type NgLoadSignal } from './ng-load-signal';
import { RtpengineNgClient, type NgCommand, type NgCommandSender, type NgParams, type NgReply } from './rtpengine-ng-client';

/** One rtpengine the pool puts calls on. */
export interface RtpengineEndpoint {
  /** Its ng address, `udp://host:port`: the engine's name in checkpoints, logs and status. */
  url: string;
  host: string;
  port: number;
  /** Its --recording-dir as this process sees it. */
  recordingDir: string;
}

/** What the pool needs of an engine's ng client: RtpengineNgClient, or a fake in unit tests. */
export interface PoolNgClient extends NgCommandSender {
  /** rtpengine's `ping`: true on `pong`, false on silence or an error (never throws). */
  ping(): Promise<boolean>;
  close(): void;
}

/** Options of RtpenginePool. */
export interface RtpenginePoolOptions {
  engines: readonly RtpengineEndpoint[];
  logger?: Logger;
  /** How often every engine is pinged, up or down (default 2 s): a stopped one stops getting calls within it. */
  probeIntervalMs?: number;
  /**
   * How long an engine may stay silent before its calls are ended as lost
   * (default 10 s): longer than a restart takes, so that a restarted engine's
   * calls are told apart by its list (NO_LONGER_HELD), shorter than anyone
   * waits on a silent line.
   */
  lostAfterMs?: number;
  /** Each ng command's timeout (default 2 s); a command that times out marks its engine down. */
  commandTimeoutMs?: number;
  /** The sweepers' period and settle time (RtpengineCallSweeperOptions; defaults 5 s each). */
  sweep?: { intervalMs?: number; settleMs?: number };
  /** Makes an engine's ng client (default: RtpengineNgClient). */
  connect?: (endpoint: RtpengineEndpoint, timeoutMs: number) => PoolNgClient;
  clock?: () => number;
  /** Prompt files pre-encoded in the caller's codec (issue 16); absent: prompts play from their PCM files. */
  promptVariants?: { fileFor(file: string, codec: string | null): string };
}

/** The component name of engine `index` of `count` (main's banner, /readyz, metrics): `rtpengine` alone, else numbered from 1. */
export function rtpengineComponentName(index: number, count: number): string {
  return count === 1 ? 'rtpengine' : `rtpengine ${index + 1}`;
}

/** Why the calls of an engine that stopped answering end (on their records, after "media lost: "). */
export function stoppedAnswering(url: string): string {
  return `rtpengine ${url} stopped answering`;
}

/** One engine of the pool as start-system and tests see it. */
export interface PooledRtpengine extends MediaEngine {
  /** Its component name (rtpengineComponentName). */
  readonly name: string;
  readonly state: RtpengineHealthState;
  /** This process's calls on the engine. */
  readonly sweeper: RtpengineCallSweeper;
  readonly tracker: RtpengineCallSweeper;
}

/**
 * An engine's ng client whose every answer or silence counts for the engine's
 * health and for the pool's load meter (the one place every command passes).
 */
class WatchedNg implements NgCommandSender {
  constructor(private readonly client: PoolNgClient, private readonly health: RtpengineHealth, private readonly load: NgLoadMeter) {}

  async command(name: NgCommand, params: NgParams): Promise<NgReply> {
    // The load meter is about the engines new calls go to: an engine set aside (down or gone) keeps getting its calls'
    // deletes and the sweeper's lists, and their silence must not shed calls the other engines would carry.
    const ticket = this.health.pickable ? this.load.sent() : null;
    try {
      const reply = await this.client.command(name, params);
      this.health.answered();
      if (ticket !== null) this.load.answered(ticket);
      return reply;
    } catch (err) {
      // Only silence counts against the engine: a refusal is an answer from an engine that is there.
      if (isAppError(err) && err.code === 'DEPENDENCY_DOWN') {
        this.health.failed(err.message);
        if (ticket !== null) this.load.timedOut(ticket);
      } else {
        this.health.answered();
        if (ticket !== null) this.load.answered(ticket);
      }
      throw err;
    }
  }
}

class PoolMember implements PooledRtpengine {
  readonly id: string;
  readonly recordingDir: string;
  readonly ng: NgCommandSender;
  readonly sweeper: RtpengineCallSweeper;
  readonly health: RtpengineHealth;
  readonly promptFile?: (file: string, codec: string | null) => string;

  constructor(readonly name: string, readonly endpoint: RtpengineEndpoint, readonly client: PoolNgClient, options: {
    lostAfterMs: number; clock: () => number; logger: Logger | undefined; sweep: { intervalMs?: number; settleMs?: number }; load: NgLoadMeter;
    onChange: (member: PoolMember, change: RtpengineHealthChange) => void;
    promptVariants: RtpenginePoolOptions['promptVariants'];
  }) {
    this.id = endpoint.url;
    const variants = options.promptVariants;
    if (variants) this.promptFile = (file, codec) => variants.fileFor(file, codec);
    this.recordingDir = endpoint.recordingDir;
    this.health = new RtpengineHealth({ lostAfterMs: options.lostAfterMs, clock: options.clock, onChange: (change) => options.onChange(this, change) });
    this.ng = new WatchedNg(client, this.health, options.load);
    this.sweeper = new RtpengineCallSweeper({
      ng: this.ng, clock: options.clock, ...options.sweep,
      ...(options.logger ? { logger: options.logger.child({ module: 'rtpengine-sweeper', rtpengine: endpoint.url }) } : {}),
    });
  }

  get tracker(): RtpengineCallSweeper {
    return this.sweeper;
  }

  get state(): RtpengineHealthState {
    return this.health.state;
  }

  async probe(): Promise<void> {
    if (await this.client.ping()) this.health.answered();
    else this.health.failed('ping unanswered');
  }
}

/**
 * The rtpengines of this process (issue 14: several, calls spread over
 * them). Each engine has its own ng client, its own sweeper (which knows only
 * the calls on that engine) and its own health, from a ping every
 * `probeIntervalMs` and from every command's answer or silence. A new call
 * goes to the next engine that answers, round robin (`pick`); a call stays on
 * its engine for its whole life. An engine silent for `lostAfterMs` is gone:
 * its calls, and only its calls, are reported lost, with the reason. It is
 * still pinged, and takes calls again once it answers.
 */
export class RtpenginePool implements MediaEngines {
  private readonly members: PoolMember[];
  private readonly logger: Logger | undefined;
  private readonly probeIntervalMs: number;
  private readonly loadMeter: NgLoadMeter;
  private last = -1;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private stopped = true;

  constructor(options: RtpenginePoolOptions) {
    if (options.engines.length === 0) throw new AppError('VALIDATION_FAILED', 'an rtpengine pool needs at least one rtpengine');
    this.logger = options.logger;
    this.probeIntervalMs = options.probeIntervalMs ?? 2_000;
    const timeoutMs = options.commandTimeoutMs ?? 2_000;
    const connect = options.connect ?? ((endpoint, timeout) => new RtpengineNgClient({ host: endpoint.host, port: endpoint.port, timeoutMs: timeout }));
    const clock = options.clock ?? Date.now;
    // The event loop's pauses are timed on the real clock only: a test's clock does not move with the loop.
    this.loadMeter = new NgLoadMeter({ clock, watchLoop: options.clock === undefined });
    this.members = options.engines.map((endpoint, index, all) => new PoolMember(rtpengineComponentName(index, all.length), endpoint, connect(endpoint, timeoutMs), {
      lostAfterMs: options.lostAfterMs ?? 10_000, clock, logger: options.logger, sweep: options.sweep ?? {}, load: this.loadMeter,
      onChange: (member, change) => this.healthChanged(member, change), promptVariants: options.promptVariants,
    }));
  }

  /**
   * The ng round trip and timeouts of every engine's commands together
   * (read-only): the hotline sheds new calls on it (issue 16). One figure for
   * the pool, since a new call goes to whichever engine is next.
   */
  get load(): NgLoadSignal {
    return this.loadMeter;
  }

  /** The engines, in configuration order. */
  get engines(): readonly PooledRtpengine[] {
    return this.members;
  }

  pick(): MediaEngine {
    const index = nextPickable(this.members.map((m) => m.health.pickable), this.last);
    if (index === null) {
      throw new AppError('DEPENDENCY_DOWN', `no rtpengine answers (${this.members.map((m) => `${m.id} ${m.state}`).join(', ')})`);
    }
    this.last = index;
    return this.members[index] as PoolMember;
  }

  engine(id: string | null): MediaEngine | null {
    if (id === null) return this.members[0] ?? null;
    return this.members.find((m) => m.id === id) ?? null;
  }

  /** Tells `listener` of each live call whose media is gone, on any engine, and why. Returns the remover. */
  onMediaLost(listener: MediaLostListener): () => void {
    const removers = this.members.map((m) => m.sweeper.onMediaLost(listener));
    return () => {
      for (const remove of removers) remove();
    };
  }

  /**
   * The call-ids every engine holds (their `list`). An engine that does not
   * answer is left out — a stopped one holds nothing — unless none answers,
   * which throws.
   */
  async listCalls(limit = 10_000): Promise<string[]> {
    const lists = await Promise.allSettled(this.members.map(async (m) => {
      const reply = await m.ng.command('list', { limit });
      return Array.isArray(reply.calls) ? reply.calls.filter((c): c is string => typeof c === 'string') : [];
    }));
    const answered = lists.flatMap((l) => (l.status === 'fulfilled' ? [l.value] : []));
    const firstFailure = lists.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (answered.length === 0 && firstFailure) throw firstFailure.reason;
    return answered.flat();
  }

  /** Each engine as a component of /readyz and the metrics. */
  status(): ComponentStatus[] {
    return this.members.map((m) => ({ name: m.name, state: m.health.pickable ? 'up' : 'down', required: false, detail: `${m.id}: ${m.state}` }));
  }

  /** Pings every engine once now (each ping bounded by the command timeout). */
  async probe(): Promise<void> {
    if (this.probing) return this.probing;
    this.probing = Promise.all(this.members.map((m) => m.probe())).then(() => undefined);
    try {
      await this.probing;
    } finally {
      this.probing = null;
    }
  }

  /** Finds which engines answer (one probe), then probes and sweeps in the background (timers that keep no process alive). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.loadMeter.start();
    await this.probe();
    for (const m of this.members) m.sweeper.start();
    this.schedule();
  }

  /** Stops probing and sweeping, waits for a probe under way, and closes every client. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.loadMeter.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.probing?.catch(() => undefined);
    for (const m of this.members) await m.sweeper.stop();
    for (const m of this.members) m.client.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    // The next probe is timed from the end of this one: a silent engine's ping takes the whole timeout.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probe().catch((err: unknown) => this.logger?.warn({ err }, 'probing the rtpengines failed')).finally(() => this.schedule());
    }, this.probeIntervalMs);
    this.timer.unref();
  }

  private healthChanged(member: PoolMember, change: RtpengineHealthChange): void {
    const log = { rtpengine: member.id, from: change.from, to: change.to, why: change.why };
    if (change.to === 'up') {
      this.logger?.info(log, 'rtpengine answers: it takes new calls');
    } else if (change.to === 'down') {
      this.logger?.warn(log, 'rtpengine does not answer: new calls go to the others while it is probed');
    } else {
      const lost = member.sweeper.loseAll(stoppedAnswering(member.id));
      this.logger?.error({ ...log, calls: lost }, 'rtpengine stopped answering: its calls have lost their media and end');
    }
  }
}
