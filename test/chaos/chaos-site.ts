import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import pg from 'pg';
import { startPostgresServer } from '../../src/db/postgres-server';
import { RtpengineNgClient } from '../../src/media/rtpengine-ng-client';
import { startRtpengine } from '../../src/media/rtpengine-process';
import { freeTcpPort, type RunningService } from '../../src/platform/managed-process';
import { startRedisServer } from '../../src/runtime/redis-server';
import { startDrachtioServer } from '../../src/sip/drachtio-process';
import { connectRedis } from '../../src/runtime/redis-connection';
import { startRedisSentinel, type SentinelSetup } from '../helpers/redis-sentinel';
import { eventually } from '../helpers/eventually';

const DRACHTIO_SECRET = 'chaos-secret';
const REPO = path.resolve(__dirname, '..', '..');

/** One Switchboard process of the site, run as `npm start` runs it (src/main.ts), with every component external. */
export interface AppProcess {
  readonly name: string;
  /** Its ACD node id, from its banner: what its calls' checkpoints are kept under. */
  readonly nodeId: string;
  readonly baseUrl: string;
  readonly pid: number;
  /** Everything it printed (banner and warn/error log lines). */
  output(): string;
  get running(): boolean;
  /** SIGKILL: no drain, no clean-up, as a crash or an OOM kill. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait (the normal stop, with its drain). */
  stop(): Promise<void>;
}

/**
 * A call-centre site for fault tests (issue 14): one Postgres, one Redis
 * (AOF), one rtpengine and one drachtio-server, each started here on fixed
 * ports so that a test can stop, freeze or restart it, and two Switchboard
 * processes sharing them, each started from src/main.ts in its own OS
 * process so that one can be SIGKILLed.
 */
export class ChaosSite {
  readonly root: string;
  readonly ports: Record<'pg' | 'redis' | 'ng' | 'ng2' | 'dtmf' | 'drachtio' | 'sip' | 'http1' | 'http2', number>;
  readonly rtpBase: number;
  readonly recordingDir: string;
  postgres: (RunningService & { dataDir: string }) | null = null;
  redis: RunningService | null = null;
  /** Set instead of `redis` on a Sentinel site. */
  sentinel: SentinelSetup | null = null;
  rtpengine: RunningService | null = null;
  /** The second engine, on a two-engine site. */
  rtpengine2: RunningService | null = null;
  drachtio: RunningService | null = null;
  readonly apps: AppProcess[] = [];
  /** The test's own connections (not the apps'). */
  db!: pg.Pool;
  redisClient!: Redis;
  private frozen: number[] = [];

  private constructor(root: string, ports: ChaosSite['ports']) {
    this.root = root;
    this.ports = ports;
    this.rtpBase = 44000 + Math.floor(Math.random() * 40) * 100;
    this.recordingDir = path.join(root, 'recordings-raw');
  }

  /**
   * With `redis: 'sentinel'` the site's Redis is a primary, a replica and three sentinels (test/helpers/redis-sentinel.ts);
   * with `rtpengines: 2` the processes spread calls over two rtpengines (RTPENGINE_URLS).
   */
  static async start(options: { redis?: 'single' | 'sentinel'; rtpengines?: 1 | 2 } = {}): Promise<ChaosSite> {
    const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-chaos-'));
    chmodSync(root, 0o755);
    const ports = {} as ChaosSite['ports'];
    for (const name of ['pg', 'redis', 'ng', 'ng2', 'dtmf', 'drachtio', 'sip', 'http1', 'http2'] as const) ports[name] = await freeTcpPort();
    const site = new ChaosSite(root, ports);
    try {
      await site.startPostgres();
      if (options.redis === 'sentinel') site.sentinel = await startRedisSentinel();
      else await site.startRedis();
      await site.startRtpengine();
      if (options.rtpengines === 2) await site.startSecondRtpengine();
      await site.startDrachtio();
      site.db = new pg.Pool({ connectionString: site.postgres!.url, max: 3 });
      site.db.on('error', () => undefined);
      site.redisClient = site.sentinel
        ? connectRedis(site.sentinel.target, { maxRetriesPerRequest: 1 })
        : new Redis(site.redis!.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
      site.redisClient.on('error', () => undefined);
      // One after the other: the first one migrates and seeds the demo data, the second finds it done.
      site.apps.push(await site.startApp('app-1', ports.http1));
      site.apps.push(await site.startApp('app-2', ports.http2));
    } catch (err) {
      await site.close();
      throw err;
    }
    return site;
  }

  get sipTarget(): string {
    return `127.0.0.1:${this.ports.sip}`;
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startPostgresServer({ dataDir: path.join(this.root, 'pg'), port: this.ports.pg, fast: true });
  }

  async stopPostgres(): Promise<void> {
    await this.postgres?.stop();
    this.postgres = null;
  }

  /** SIGSTOP on the postmaster and every process it started: a stuck disk or a paused VM. */
  freezePostgres(): void {
    if (!this.postgres) throw new Error('Postgres is not running');
    const postmaster = Number(readFileSync(path.join(this.postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    this.frozen = [postmaster, ...children];
    for (const pid of this.frozen) process.kill(pid, 'SIGSTOP');
  }

  thawPostgres(): void {
    for (const pid of this.frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Gone meanwhile: nothing to thaw.
      }
    }
    this.frozen = [];
  }

  async startRedis(): Promise<void> {
    // AOF everysec, as the local stack runs it: a restart loses at most the last second.
    this.redis = await startRedisServer({ port: this.ports.redis, dataDir: path.join(this.root, 'redis'), appendOnly: true });
  }

  async stopRedis(): Promise<void> {
    await this.redis?.stop();
    this.redis = null;
  }

  async startRtpengine(): Promise<void> {
    mkdirSync(this.recordingDir, { recursive: true });
    this.rtpengine = await startRtpengine({
      binary: 'rtpengine', ngPort: this.ports.ng, interface: '127.0.0.1', portMin: this.rtpBase, portMax: this.rtpBase + 99,
      dtmfLogPort: this.ports.dtmf, recordingDir: this.recordingDir,
    });
  }

  /** The second engine of a two-engine site: its own ports, ng port and capture folder; DTMF to the same port. */
  async startSecondRtpengine(): Promise<void> {
    mkdirSync(`${this.recordingDir}-2`, { recursive: true });
    this.rtpengine2 = await startRtpengine({
      binary: 'rtpengine', ngPort: this.ports.ng2, interface: '127.0.0.1', portMin: this.rtpBase + 100, portMax: this.rtpBase + 199,
      dtmfLogPort: this.ports.dtmf, recordingDir: `${this.recordingDir}-2`,
    });
  }

  async stopSecondRtpengine(): Promise<void> {
    await this.rtpengine2?.stop();
    this.rtpengine2 = null;
  }

  async stopRtpengine(): Promise<void> {
    await this.rtpengine?.stop();
    this.rtpengine = null;
  }

  async startDrachtio(): Promise<void> {
    this.drachtio = await startDrachtioServer({
      binary: 'drachtio', adminPort: this.ports.drachtio, secret: DRACHTIO_SECRET,
      listen: { addresses: ['127.0.0.1'], sipPort: this.ports.sip, wsPort: null, tls: null },
      workDir: path.join(this.root, 'drachtio'),
    });
  }

  async stopDrachtio(): Promise<void> {
    await this.drachtio?.stop();
    this.drachtio = null;
  }

  /** The call-ids rtpengine (the first, or the one whose ng port is given) holds now. */
  async mediaSessions(ngPort = this.ports.ng): Promise<string[]> {
    const ng = new RtpengineNgClient({ host: '127.0.0.1', port: ngPort, timeoutMs: 2000 });
    try {
      const reply = await ng.command('list', { limit: 10_000 });
      return Array.isArray(reply.calls) ? reply.calls.map(String) : [];
    } finally {
      ng.close();
    }
  }

  /**
   * Our own Redis connection is ready: right after Redis comes back (a fault)
   * it reconnects on ioredis's back-off, up to 2 s later, and without an
   * offline queue a read meanwhile throws instead of waiting.
   */
  private async redisReady(timeoutMs = 20_000): Promise<void> {
    const client = this.redisClient;
    if (client.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          onReady = resolve;
          client.once('ready', onReady);
        }),
        new Promise<void>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`the test's Redis connection is not ready after ${timeoutMs} ms (status ${client.status})`)), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
      if (onReady) client.removeListener('ready', onReady);
    }
  }

  /** The lifecycle state of every live call, by our call id, from the processes' checkpoints. */
  async liveCallStates(): Promise<Map<string, string>> {
    await this.redisReady();
    const out = new Map<string, string>();
    for (const node of await this.redisClient.smembers('sb:calls:live:nodes')) {
      for (const [callId, raw] of Object.entries(await this.redisClient.hgetall(`sb:calls:live:node:${node}`))) {
        out.set(callId, (JSON.parse(raw) as { snapshot: { state: string } }).snapshot.state);
      }
    }
    return out;
  }

  /** Which of our call ids each process keeps a checkpoint for now (its live calls). */
  async liveCallsByNode(): Promise<Map<string, string[]>> {
    await this.redisReady();
    const out = new Map<string, string[]>();
    for (const app of this.apps) out.set(app.nodeId, await this.redisClient.hkeys(`sb:calls:live:node:${app.nodeId}`));
    return out;
  }

  /** Replaces `app` (gone after a fault) by a new process under the same name and port; its output is kept for the logs. */
  async restartApp(app: AppProcess): Promise<AppProcess> {
    this.logs.set(app.name, `${this.logs.get(app.name) ?? ''}${app.output()}\n---- restarted ----\n`);
    const next = await this.startApp(app.name, Number(new URL(app.baseUrl).port));
    this.apps.splice(this.apps.indexOf(app), 1, next);
    return next;
  }

  async startApp(name: string, port: number): Promise<AppProcess> {
    const dataDir = path.join(this.root, name);
    mkdirSync(dataDir, { recursive: true });
    let output = '';
    // node itself with tsx's loader, not the tsx command: that one runs the program in a child process of its own,
    // and a SIGKILL would end only the wrapper.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        NODE_ENV: 'development', DEMO_ALWAYS_OPEN: 'true', LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn', SWITCHBOARD_DATA_DIR: dataDir,
        HOST: '127.0.0.1', PORT: String(port), TLS: 'false', PUBLIC_ADDRESS: '127.0.0.1',
        DATABASE_URL: this.postgres!.url,
        ...(this.sentinel
          ? { REDIS_URL: '', REDIS_SENTINELS: this.sentinel.sentinels.join(','), REDIS_SENTINEL_NAME: this.sentinel.name }
          : { REDIS_URL: this.redis!.url, REDIS_SENTINELS: '' }),
        ...(this.rtpengine2
          ? {
            RTPENGINE_URL: '', RTPENGINE_RECORDING_DIR: '',
            RTPENGINE_URLS: `udp://127.0.0.1:${this.ports.ng},udp://127.0.0.1:${this.ports.ng2}`, RTPENGINE_RECORDING_DIRS: `${this.recordingDir},${this.recordingDir}-2`,
          }
          : { RTPENGINE_URL: `udp://127.0.0.1:${this.ports.ng}`, RTPENGINE_RECORDING_DIR: this.recordingDir, RTPENGINE_URLS: '', RTPENGINE_RECORDING_DIRS: '' }),
        RTPENGINE_DTMF_LOG_PORT: String(this.ports.dtmf),
        DRACHTIO_HOST: '127.0.0.1', DRACHTIO_PORT: String(this.ports.drachtio), DRACHTIO_SECRET,
        // Faults are found fast here: legs are probed every 2 s, and a stop drains for 1 s.
        CALL_KEEPALIVE_SECONDS: '2', SHUTDOWN_DRAIN_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const up = await Promise.race([
      eventually(() => output, (o) => o.includes('Press Ctrl-C to stop.'), 120_000, 100).then(() => true, () => false),
      exited.then(() => false),
    ]);
    if (!up) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start:\n${output}`);
    }
    const nodeId = /ACD node {4}(\S+)/.exec(output)?.[1];
    if (!nodeId) throw new Error(`${name} printed no ACD node:\n${output}`);
    const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
    return {
      name, nodeId, baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!,
      output: () => output,
      get running() {
        return !gone();
      },
      kill: async () => {
        if (gone()) return;
        child.kill('SIGKILL');
        await exited;
      },
      stop: async () => {
        if (gone()) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }

  /** Every process's output, for a failed scenario's story (artifacts/chaos-<app>.log). */
  private readonly logs = new Map<string, string>();

  /** Stops everything, newest first; each step runs even when one before it failed. */
  async close(): Promise<void> {
    this.thawPostgres();
    const dir = path.join(REPO, 'artifacts');
    mkdirSync(dir, { recursive: true });
    for (const app of this.apps) this.logs.set(app.name, `${this.logs.get(app.name) ?? ''}${app.output()}`);
    const site = this.sentinel ? 'sentinel-site' : 'site';
    for (const [name, text] of this.logs) writeFileSync(path.join(dir, `chaos-${site}-${name}.log`), text);
    const steps: Array<() => unknown> = [
      ...this.apps.map((app) => () => app.kill()),
      () => this.db?.end(),
      () => this.redisClient?.disconnect(),
      () => this.stopDrachtio(), () => this.stopSecondRtpengine(), () => this.stopRtpengine(), () => this.stopRedis(), () => this.sentinel?.stop(), () => this.stopPostgres(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch {
        // The rest must still stop.
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}
