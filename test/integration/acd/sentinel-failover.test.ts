import type Redis from 'ioredis';
import { Acd, readAllAcdEvents, type AcdEvent } from '../../../src/acd';
import { ACD_SCRIPT } from '../../../src/acd/lua/acd-script';
import { connectRedis, type RedisClientOptions } from '../../../src/runtime/redis-connection';
import { releaseInOrder } from '../../helpers/release';
import { eventually } from '../../helpers/eventually';
import { startRedisSentinel, type SentinelSetup } from '../../helpers/redis-sentinel';
import { operator } from './acd-harness';

/**
 * The Redis primary is lost and Sentinel promotes its replica (issue 14).
 * Three ACD processes connected as the app connects (the Redis factory,
 * Sentinel options) carry on on the new primary, and so do the app's other
 * kinds of client (fail-fast, subscriber): the waiting caller still
 * waits, the talking agent is still on the call and offered nothing else, an
 * agent who gets ready is matched to the caller, heartbeats go on and nobody
 * is reaped — although the failover outlasts the 1 s heartbeat TTL, so every
 * heartbeat key lapsed on the way (reap-guard.ts). Then one process dies, and
 * is reaped: housekeeping reaps again, so the others being left alone is the
 * guard's doing, not housekeeping that stopped.
 *
 * Twice: a primary that crashes (its connections close at once), and one
 * that hangs (they stay open and answer nothing until the sentinels'
 * +switch-master drops them, sentinel-primary-watch.ts; commands held on them
 * are sent again to the new primary, a housekeeping run judged before the
 * hang among them — before the guard's witness, that run reaped every process).
 *
 * Replication is asynchronous: what the primary acknowledged but had not yet
 * sent to the replica when it was lost is lost with it. So the test waits
 * for the replica (WAIT) after setting up the calls and agents, as a real
 * site loses only the last moments before a crash (README, Redis): here,
 * heartbeats and housekeeping between the WAIT and the loss, which are
 * written again anyway.
 */
describe('ACD processes through a Redis Sentinel failover', () => {
  let setup: SentinelSetup | null = null;
  let clients: Redis[] = [];
  let acds: Acd[] = [];
  const settings = { heartbeatIntervalMs: 200, heartbeatTtlMs: 1000, tickIntervalMs: 50 };

  const sentinel = (): SentinelSetup => {
    if (!setup) throw new Error('the Sentinel setup did not start: see beforeEach');
    return setup;
  };
  /** A connection through the factory; by default as start-system makes the ACD's (offline queue on, two retries per command). */
  const connect = (options: RedisClientOptions = { maxRetriesPerRequest: 2 }): Redis => keep(connectRedis(sentinel().target, options));
  const keep = (redis: Redis): Redis => {
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  const processAcd = (nodeId: string): Acd => {
    const acd = new Acd({ redis: connect(), nodeId, settings });
    acds.push(acd);
    return acd;
  };

  // Each failover uses up the setup's replica: a fresh setup per test.
  beforeEach(async () => {
    setup = await startRedisSentinel();
  }, 60_000);
  afterEach(async () => {
    const [running, connected, started] = [acds, clients, setup];
    [acds, clients, setup] = [[], [], null];
    await releaseInOrder([
      () => Promise.allSettled(running.map((acd) => acd.stop({ leave: false }))),
      ...connected.map((client) => () => client.disconnect()),
      () => started?.stop(),
    ]);
  });

  const carriesOnThrough = async (lose: (primaryPort: number) => Promise<void>): Promise<void> => {
    const { dataPorts } = sentinel();
    const a = processAcd('proc-a');
    const b = processAcd('proc-b');
    const c = processAcd('proc-c');
    const control = connect();
    // The app's other clients: the fail-fast one (/readyz, registrar) and a subscriber duplicated from it.
    const failFast = connect({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
    const subscriber = keep(failFast.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null }));
    const notices: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => notices.push(message));
    await subscriber.subscribe('sentinel-test:notices');

    await a.defineQueue({ id: 'sales', wrapUpMs: 60_000 });
    await a.upsertAgent(operator('anna'));
    await a.upsertAgent(operator('boris'));
    await a.enqueue({ callId: 'talking', queueId: 'sales' });
    expect((await a.transition('anna', 'ready')).reservations.map((r) => r.callId)).toEqual(['talking']);
    await a.markOffered('talking', 'anna');
    await a.answer('talking', 'anna');
    expect((await b.enqueue({ callId: 'waiting', queueId: 'sales' })).outcome).toBe('queued');
    await Promise.all([a.start(), b.start(), c.start()]);

    expect(await sentinel().primaryPort()).toBe(dataPorts[0]);
    const newPrimary = dataPorts[1];
    // Scripts are not replicated (Redis 7 replicates their effects): the new primary will answer NOSCRIPT first.
    expect(await sentinel().connectTo(newPrimary).script('EXISTS', ACD_SCRIPT.sha1)).toEqual([0]);
    // WAIT counts replicas that have everything up to this client's last write: write a marker, then wait for it.
    const primary = sentinel().connectTo(dataPorts[0]);
    await primary.set('sentinel-test:replicated', '1');
    expect(await primary.call('WAIT', '1', '5000')).toBe(1);

    await lose(dataPorts[0]);
    expect(await sentinel().promotedAfter(dataPorts[0])).toBe(newPrimary);

    // The ACD answers again, through a script the new primary had to be sent first.
    const waiting = await eventually(() => b.position('waiting').catch(() => null), (p) => p !== null, 30_000, 100);
    expect(waiting).toMatchObject({ state: 'waiting', queueId: 'sales', position: 1 });
    expect(await sentinel().connectTo(newPrimary).script('EXISTS', ACD_SCRIPT.sha1)).toEqual([1]);

    // Every process heartbeats again, on the new primary.
    const nodeKeys = ['proc-a', 'proc-b', 'proc-c'].map((id) => a.keys.get('node', id));
    const beats = (): Promise<(string | null)[]> => control.mget(...nodeKeys).catch(() => [null]);
    const before = await eventually(beats, (values) => values.length === 3 && values.every((v) => v !== null), 30_000);
    expect(before.every((v) => v !== null)).toBe(true);
    const after = await eventually(beats, (values) => values.every((v, i) => v !== null && Number(v) > Number(before[i])), 10_000);
    expect(after.map((v, i) => Number(v) > Number(before[i]))).toEqual([true, true, true]);

    // Nothing else was left behind: the fail-fast client answers, the subscriber hears what is published now.
    expect(await eventually(() => failFast.ping().catch(() => null), (reply) => reply === 'PONG', 30_000, 100)).toBe('PONG');
    const heard = await eventually(async () => {
      await control.publish('sentinel-test:notices', 'after the failover');
      return notices;
    }, (seen) => seen.includes('after the failover'), 30_000, 100);
    expect(heard).toContain('after the failover');

    // proc-c dies (no goodbye) and is reaped once its heartbeat lapses: housekeeping is reaping again.
    await c.stop({ leave: false });
    const reaped = (events: AcdEvent[]): string[] => events.flatMap((e) => (e.type === 'node_died' ? [e.deadNode] : []));
    const died = await eventually(async () => reaped(await readAllAcdEvents(control, a.keys)), (nodes) => nodes.includes('proc-c'), 30_000, 100);
    expect(died).toEqual(['proc-c']);

    expect(await b.getCall('waiting')).toMatchObject({ state: 'waiting', owner: 'proc-b', agentId: null });
    expect(await a.waitingCalls('sales')).toEqual(['waiting']);
    expect(await a.getCall('talking')).toMatchObject({ state: 'connected', agentId: 'anna' });
    expect(await a.getAgent('anna')).toMatchObject({ state: 'on_call', callId: 'talking' });

    // An agent getting ready after the failover is matched to the waiting caller; anna, on her call, is offered nothing.
    const reservations = (await b.transition('boris', 'ready')).reservations;
    expect(reservations.map((r) => ({ callId: r.callId, agentId: r.agentId, owner: r.owner }))).toEqual([{ callId: 'waiting', agentId: 'boris', owner: 'proc-b' }]);
    expect(await a.getAgent('anna')).toMatchObject({ state: 'on_call', callId: 'talking' });
    const offers = (await readAllAcdEvents(control, a.keys)).flatMap((e) => (e.type === 'call_reserved' ? [[e.callId, e.agentId]] : []));
    expect(offers).toEqual([['talking', 'anna'], ['waiting', 'boris']]);
  };

  it('the primary crashes (SIGKILL): the waiting caller, the talking agent and the processes carry on; an agent getting ready is matched', async () => {
    await carriesOnThrough((port) => sentinel().kill(port));
  }, 120_000);

  it('the primary hangs (SIGSTOP): the same, though its connections gave no error and commands held on them ran late', async () => {
    await carriesOnThrough((port) => sentinel().freeze(port));
  }, 120_000);
});
