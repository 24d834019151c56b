import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Acd, readAllAcdEvents } from '../../../src/acd';
import { freeTcpPort, type RunningService } from '../../../src/platform/managed-process';
import { startRedisServer } from '../../../src/runtime/redis-server';
import { eventually, quietPeriod } from '../../helpers/eventually';
import { operator } from './acd-harness';

/**
 * Redis goes away for longer than the heartbeat TTL and comes back with its
 * append-only file (issue 14). Every process's heartbeat lapsed alike, so the
 * first housekeeping run back used to reap them all: the waiting caller lost,
 * the talking agent sent to wrap-up and offered a new call mid-conversation.
 * Now nobody is reaped: both processes heartbeat again first, and the calls
 * and agents are where they were.
 */
describe('two ACD processes through a Redis outage longer than the heartbeat TTL', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-acd-outage-'));
  let port: number;
  let server: RunningService | null = null;
  const clients: Redis[] = [];
  const acds: Acd[] = [];
  const settings = { heartbeatIntervalMs: 200, heartbeatTtlMs: 1000, tickIntervalMs: 50 };

  const startRedis = async (): Promise<void> => {
    server = await startRedisServer({ port, dataDir: root, appendOnly: true });
  };
  /** A process's ACD, connected as the app connects (commands fail at once while Redis is away; it reconnects). */
  const processAcd = async (nodeId: string): Promise<Acd> => {
    const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    await new Promise((resolve) => redis.once('ready', resolve));
    clients.push(redis);
    const acd = new Acd({ redis, nodeId, settings, clock: { now: () => Date.now() } });
    acds.push(acd);
    return acd;
  };

  beforeAll(async () => {
    port = await freeTcpPort();
    await startRedis();
  });
  afterAll(async () => {
    try {
      for (const acd of acds) await acd.stop({ leave: false }).catch(() => undefined);
      for (const client of clients) client.disconnect();
    } finally {
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reaps nobody when it returns: the waiting caller still waits, the talking agent is still on the call', async () => {
    const a = await processAcd('proc-a');
    const b = await processAcd('proc-b');
    await a.defineQueue({ id: 'sales', wrapUpMs: 60_000 });
    await a.upsertAgent(operator('anna'));
    await a.enqueue({ callId: 'talking', queueId: 'sales' });
    await a.transition('anna', 'ready');
    await a.markOffered('talking', 'anna');
    await a.answer('talking', 'anna');
    await b.enqueue({ callId: 'waiting', queueId: 'sales' });
    await a.start();
    await b.start();

    await server!.stop();
    await quietPeriod(2500, 'Redis stays away well past the 1 s heartbeat TTL');
    await startRedis();

    // Both heartbeat again; then a TTL and more pass with housekeeping running four times a heartbeat.
    const control = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    clients.push(control);
    const alive = async (): Promise<number> => (await control.exists(a.keys.get('node', 'proc-a'), a.keys.get('node', 'proc-b')));
    await expect(eventually(alive, (n) => n === 2, 10_000)).resolves.toBe(2);
    await quietPeriod(2000, 'housekeeping runs for twice the TTL after both are back');

    expect((await a.getCall('talking'))?.state).toBe('connected');
    expect((await a.getAgent('anna'))?.state).toBe('on_call');
    expect((await b.getCall('waiting'))?.state).toBe('waiting');
    expect(await b.waitingCalls('sales')).toEqual(['waiting']);
    const died = (await readAllAcdEvents(control, a.keys)).filter((e) => e.type === 'node_died');
    expect(died).toEqual([]);
  }, 60_000);
});
