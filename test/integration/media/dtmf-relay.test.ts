import dgram from 'node:dgram';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import pino from 'pino';
import { DtmfListener } from '../../../src/media/dtmf-listener';
import { DTMF_RELAY_CHANNEL, DtmfRelayFeed } from '../../../src/media/dtmf-relay';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { startRedisServer } from '../../../src/runtime/redis-server';
import { eventually } from '../../helpers/eventually';
import type { DtmfProcessConfig, DtmfProcessMessage } from './fixtures/dtmf-process';

/**
 * rtpengine 10.5 sends its DTMF log to one UDP address (`--dtmf-log-dest`),
 * yet several Switchboard processes share one rtpengine (issue 14). Each
 * binds that port shared; Linux hands every datagram to one live socket, and
 * a digit for a call that socket's process does not hold crosses Redis to the
 * process that does.
 */

/** A datagram as rtpengine 10.5 writes it (daemon/dtmf.c, dtmf_json_print). */
const datagram = (callId: string, event: number): string =>
  JSON.stringify({ callid: callId, source_tag: 'caller', tags: ['ivr', 'caller'], type: 'DTMF', timestamp: 1795443407, source_ip: '127.0.0.1', event, duration: 60, volume: 10 });

/** Stands in for rtpengine, which connects one UDP socket to the log address at start-up and keeps it. */
async function rtpengineSender(port: number): Promise<{ send: (text: string) => void; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
  return { send: (text) => socket.send(text), close: () => socket.close() };
}

interface LogLine {
  msg: string;
  channel?: string;
}

/** One process's DTMF side, with a call it holds. */
interface AppDtmf {
  listener: DtmfListener;
  redis: Redis;
  warnings: LogLine[];
  callId: string;
  digits: string[];
  release: () => void;
}

describe('Switchboard processes sharing rtpengine\'s DTMF log port (issue 14)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-dtmf-relay-'));
  let redisPort: number;
  let redisServer: RunningService | null = null;
  const running: AppDtmf[] = [];

  const startRedis = async (): Promise<void> => {
    redisServer = await startRedisServer({ port: redisPort, dataDir: root, appendOnly: false });
  };

  /** Wired as call-services-factory.ts wires it, on a Redis client connected as start-system.ts connects. */
  const startApp = async (dtmfPort: number, callId: string): Promise<AppDtmf> => {
    const warnings: LogLine[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line) as LogLine) });
    const redis = new Redis({ host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    await new Promise((resolve) => redis.once('ready', resolve));
    const listener = await DtmfListener.start({ port: dtmfPort, relay: new DtmfRelayFeed(redis, logger), logger });
    const digits: string[] = [];
    const release = listener.subscribe(callId, (event) => digits.push(event.digit));
    const app = { listener, redis, warnings, callId, digits, release };
    running.push(app);
    return app;
  };

  /** Which app's socket the kernel hands datagrams to: a probe for a call nobody holds is counted as unrouted there only. */
  const receiverOf = async (apps: AppDtmf[], send: (text: string) => void): Promise<AppDtmf> => {
    const before = apps.map((app) => app.listener.stats.unrouted);
    send(datagram('probe-nobody-holds', 0));
    const after = await eventually(() => apps.map((app) => app.listener.stats.unrouted), (now) => now.some((n, i) => n > before[i]!), 5000, 5);
    const receivers = apps.filter((_, i) => after[i]! > before[i]!);
    expect(receivers).toHaveLength(1);
    return receivers[0]!;
  };

  beforeAll(async () => {
    redisPort = await freeTcpPort();
    await startRedis();
  });
  afterEach(async () => {
    for (const app of running.splice(0)) {
      app.release();
      expect(app.listener.subscriptions).toBe(0);
      await app.listener.close();
      app.redis.disconnect();
    }
  });
  afterAll(async () => {
    try {
      await redisServer?.stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('gives every process the digits of its own calls, whichever socket the kernel picks', async () => {
    const a = await startApp(0, 'call-a');
    const b = await startApp(a.listener.port, 'call-b');
    expect(b.listener.port).toBe(a.listener.port);
    const rtpengine = await rtpengineSender(a.listener.port);
    try {
      rtpengine.send(datagram('call-a', 1));
      rtpengine.send(datagram('call-b', 11));
      await eventually(() => a.digits.length + b.digits.length, (n) => n >= 2, 5000, 5);
      expect(a.digits).toEqual(['1']);
      expect(b.digits).toEqual(['#']);
      // One socket got both datagrams: the digit of the other process's call went through Redis.
      const receiver = await receiverOf([a, b], rtpengine.send);
      expect(receiver.listener.stats.unrouted).toBe(2);
    } finally {
      rtpengine.close();
    }
  });

  it('keeps delivering when the receiving process closes its socket', async () => {
    const a = await startApp(0, 'call-a');
    const b = await startApp(a.listener.port, 'call-b');
    const rtpengine = await rtpengineSender(a.listener.port);
    try {
      const receiver = await receiverOf([a, b], rtpengine.send);
      const survivor = receiver === a ? b : a;
      await receiver.listener.close();
      rtpengine.send(datagram(survivor.callId, 5));
      await eventually(() => survivor.digits.length, (n) => n >= 1, 5000, 5);
      expect(survivor.digits).toEqual(['5']);
      expect(await receiverOf([survivor], rtpengine.send)).toBe(survivor);
    } finally {
      rtpengine.close();
    }
  });

  it('survives a Redis outage: local digits still arrive, a relayed one is logged as lost, and relaying resumes', async () => {
    const a = await startApp(0, 'call-a');
    const b = await startApp(a.listener.port, 'call-b');
    const rtpengine = await rtpengineSender(a.listener.port);
    try {
      const receiver = await receiverOf([a, b], rtpengine.send);
      const other = receiver === a ? b : a;
      await redisServer!.stop();
      await eventually(() => receiver.redis.status, (status) => status !== 'ready', 5000, 10);

      rtpengine.send(datagram(receiver.callId, 3));
      rtpengine.send(datagram(other.callId, 4));
      await eventually(() => receiver.digits.length + receiver.warnings.length, (n) => n >= 2, 5000, 5);
      expect(receiver.digits).toEqual(['3']);
      expect(receiver.warnings).toEqual([expect.objectContaining({ channel: DTMF_RELAY_CHANNEL })]);

      await startRedis();
      // Both clients reconnect and the subscriber subscribes again by itself; a key pressed then gets through.
      const seen = await eventually(() => {
        rtpengine.send(datagram(other.callId, 6));
        return other.digits;
      }, (digits) => digits.includes('6'), 15_000, 300);
      // The press made during the outage is gone, not delivered late into whatever the IVR asks next.
      expect(seen.filter((digit) => digit !== '6')).toEqual([]);
    } finally {
      rtpengine.close();
    }
  });

  describe('as separate processes', () => {
    const FIXTURE = path.join(__dirname, 'fixtures', 'dtmf-process.ts');

    /** A real child process running fixtures/dtmf-process.ts under tsx. */
    class DtmfProcess {
      private readonly messages: DtmfProcessMessage[] = [];
      private stderr = '';
      private readonly child: ChildProcess;
      readonly exited: Promise<void>;

      constructor(config: DtmfProcessConfig) {
        this.child = fork(FIXTURE, [], {
          execArgv: ['--import', 'tsx'],
          env: { ...process.env, DTMF_PROCESS_CONFIG: JSON.stringify(config) },
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
        this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
        this.child.on('message', (message: DtmfProcessMessage) => this.messages.push(message));
        this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
      }

      private get gone(): boolean {
        return this.child.exitCode !== null || this.child.signalCode !== null;
      }

      /** The first message of `type` after the first `skip` of them, waiting for it. */
      async message<T extends DtmfProcessMessage['type']>(type: T, skip = 0): Promise<Extract<DtmfProcessMessage, { type: T }>> {
        const find = (): Extract<DtmfProcessMessage, { type: T }> | undefined =>
          this.messages.filter((m): m is Extract<DtmfProcessMessage, { type: T }> => m.type === type)[skip];
        const found = await eventually(find, (m) => m !== undefined || this.gone, 20_000, 10);
        if (!found) throw new Error(`no ${type} message (process ${this.gone ? 'exited' : 'silent'}):\n${this.stderr}`);
        return found;
      }

      async unrouted(): Promise<number> {
        const asked = this.messages.filter((m) => m.type === 'stats').length;
        this.child.send({ type: 'stats' });
        return (await this.message('stats', asked)).unrouted;
      }

      async kill(): Promise<void> {
        if (!this.gone) this.child.kill('SIGKILL');
        await this.exited;
      }
    }

    it('the survivor of a SIGKILL still gets the digits of its calls', async () => {
      const processes: DtmfProcess[] = [];
      let rtpengine: Awaited<ReturnType<typeof rtpengineSender>> | null = null;
      try {
        const first = new DtmfProcess({ dtmfPort: 0, redisPort, callIds: ['call-1'] });
        processes.push(first);
        const { port } = await first.message('ready');
        const second = new DtmfProcess({ dtmfPort: port, redisPort, callIds: ['call-2'] });
        processes.push(second);
        await second.message('ready');
        rtpengine = await rtpengineSender(port);

        rtpengine.send(datagram('call-1', 1));
        rtpengine.send(datagram('call-2', 2));
        expect(await first.message('digit')).toEqual({ type: 'digit', callId: 'call-1', digit: '1' });
        expect(await second.message('digit')).toEqual({ type: 'digit', callId: 'call-2', digit: '2' });

        rtpengine.send(datagram('probe-nobody-holds', 0));
        const counts = await eventually(() => Promise.all([first.unrouted(), second.unrouted()]), ([x, y]) => x + y >= 2, 10_000, 20);
        // Exactly one socket got the probe (and the other process's digit before it).
        expect(counts.filter((n) => n === 0)).toHaveLength(1);
        const [receiver, survivor] = counts[0] > 0 ? [first, second] : [second, first];
        const survivorCall = survivor === first ? 'call-1' : 'call-2';

        await receiver.kill();
        rtpengine.send(datagram(survivorCall, 7));
        expect(await survivor.message('digit', 1)).toEqual({ type: 'digit', callId: survivorCall, digit: '7' });
      } finally {
        rtpengine?.close();
        for (const child of processes) await child.kill();
      }
    });
  });
});
