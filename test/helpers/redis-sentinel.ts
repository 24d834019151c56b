import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { findExecutable, freeTcpPort, startManagedProcess, stopChild, type RunningService } from '../../src/platform/managed-process';
import { pingRedis, startRedisServer } from '../../src/runtime/redis-server';
import type { RedisTarget } from '../../src/runtime/redis-connection';
import { releaseInOrder } from './release';
import { eventually } from './eventually';

export interface SentinelSetupOptions {
  /** The primary's name in the sentinels' `sentinel monitor` (default mymaster). */
  name?: string;
  /** How long a primary stays silent before a sentinel thinks it down (default 1000 ms: a test waits seconds, not 30). */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

/** A running Sentinel setup: one primary, one replica, three sentinels with quorum 2, all on loopback. */
export interface SentinelSetup {
  readonly name: string;
  /** `127.0.0.1:<port>` of each sentinel, as REDIS_SENTINELS takes them. */
  readonly sentinels: string[];
  /** The config's `redis` section pointing at this setup (for connectRedis). */
  readonly target: RedisTarget;
  /** Ports of the data nodes: the first primary, then its replica. */
  readonly dataPorts: readonly [number, number];
  /** The primary's port as every sentinel names it now; null while they disagree. */
  primaryPort(): Promise<number | null>;
  /** A plain connection to one data node (closed by stop()). */
  connectTo(port: number): Redis;
  /** SIGKILL to a data node: a crash, no shutdown, no last save. */
  kill(port: number): Promise<void>;
  /**
   * SIGSTOP to a data node: it hangs, as a primary does that is swapping
   * itself to death or cut off by the network. Its connections stay open and
   * answer nothing, with no error. stop() kills it.
   */
  freeze(port: number): Promise<void>;
  /** Waits until every sentinel names a primary other than `oldPort` and that node says it is the primary; returns its port. */
  promotedAfter(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts a real Redis Sentinel setup from the Debian `redis-server` binary
 * (sentinel mode is `redis-server <conf> --sentinel`): one primary, one
 * replica (`replicaof`), three sentinels with quorum 2 and short timeouts, on
 * free ports, in a temp dir. Returns once the replica is in sync and every
 * sentinel knows the replica and the two other sentinels — before that a
 * failover could not win its election. stop() kills everything and removes
 * the directory: call it in afterAll (afterEach when each test fails over).
 */
export async function startRedisSentinel(options: SentinelSetupOptions = {}): Promise<SentinelSetup> {
  const name = options.name ?? 'mymaster';
  const binary = findExecutable('redis-server');
  if (!binary) throw new Error('redis-server is not installed: apt-get install redis-server');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sentinel-'));
  const services: RunningService[] = [];
  const clients: Redis[] = [];
  const client = (port: number): Redis => {
    // No reconnecting: a node a test killed must fail its probes at once, not queue them.
    const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  const probes = new Map<number, Redis>();
  /** The helper's own connection to a node, made again once a dead node ended the last one. */
  const probe = (port: number): Redis => {
    const known = probes.get(port);
    if (known && known.status !== 'end') return known;
    const made = client(port);
    probes.set(port, made);
    return made;
  };
  const frozen: number[] = [];
  const stop = async (): Promise<void> => {
    await releaseInOrder([
      // A stopped process takes SIGTERM only once continued: these go at once.
      ...frozen.map((pid) => () => process.kill(pid, 'SIGKILL')),
      // Not one that ended (its node was killed): ioredis's disconnect() would arm a 2 s timer for a close long past.
      ...clients.map((c) => () => (c.status === 'end' ? undefined : c.disconnect())),
      // Newest first: sentinels, then the data nodes (a sentinel outliving its primary would only log).
      ...[...services].reverse().map((service) => () => service.stop()),
      () => rmSync(dir, { recursive: true, force: true }),
    ]);
  };

  try {
    const [primaryPort, replicaPort] = [await freeTcpPort(), await freeTcpPort()];
    services.push(await startRedisServer({ port: primaryPort, dataDir: path.join(dir, 'primary'), appendOnly: false }));
    services.push(await startRedisServer({ port: replicaPort, dataDir: path.join(dir, 'replica'), appendOnly: false, replicaOf: { host: '127.0.0.1', port: primaryPort } }));

    const sentinelPorts = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
    for (const port of sentinelPorts) {
      // Sentinel rewrites its config file as it learns (peers, epochs), so each gets a writable one of its own.
      const conf = path.join(dir, `sentinel-${port}.conf`);
      writeFileSync(conf, [
        `port ${port}`,
        'bind 127.0.0.1',
        'daemonize no',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1000}`,
        `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 5000}`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'));
      const child = await startManagedProcess({ name: `sentinel-${port}`, command: binary, args: [conf, '--sentinel'], ready: () => pingRedis(port) });
      services.push({ name: `sentinel-${port}`, url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child, 'SIGTERM') });
    }
    const sentinelClients = sentinelPorts.map(probe);

    const replica = probe(replicaPort);
    const inSync = await eventually(async () => /master_link_status:up/.test(await replica.info('replication')), (up) => up, 20_000);
    if (!inSync) throw new Error(`the replica on ${replicaPort} did not sync with the primary on ${primaryPort}`);
    const acquainted = async (): Promise<boolean> => {
      for (const sentinel of sentinelClients) {
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', name)) as unknown[];
        const peers = (await sentinel.call('SENTINEL', 'SENTINELS', name)) as unknown[];
        if (replicas.length !== 1 || peers.length !== sentinelPorts.length - 1) return false;
      }
      return true;
    };
    // Sentinels find the replica from the primary's INFO and each other by hello messages every 2 s.
    if (!(await eventually(acquainted, (known) => known, 30_000, 200))) throw new Error('the sentinels did not find the replica and each other');

    const sentinels = sentinelPorts.map((port) => `127.0.0.1:${port}`);
    const primaryAsNamed = async (): Promise<number | null> => {
      const named = await Promise.all(sentinelClients.map(async (sentinel) => {
        const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string] | null;
        return address ? Number(address[1]) : null;
      }));
      return named.every((port) => port !== null && port === named[0]) ? named[0] ?? null : null;
    };
    const roleOf = async (port: number): Promise<string | null> => {
      try {
        const role = (await probe(port).call('ROLE')) as unknown[];
        return String(role[0]);
      } catch {
        return null;
      }
    };
    /** The node's own word for its process (startRedisServer keeps its child to itself). */
    const processId = async (port: number): Promise<number> => {
      const pid = Number(/process_id:(\d+)/.exec(await probe(port).info('server'))?.[1]);
      if (!pid) throw new Error(`no process id in INFO of redis on ${port}`);
      return pid;
    };
    return {
      name,
      sentinels,
      target: { url: null, sentinels, sentinelName: name, password: null, sentinelPassword: null },
      dataPorts: [primaryPort, replicaPort],
      primaryPort: primaryAsNamed,
      connectTo: client,
      async kill(port: number) {
        process.kill(await processId(port), 'SIGKILL');
        await eventually(() => pingRedis(port, 200), (answers) => !answers, 5_000);
      },
      async freeze(port: number) {
        const pid = await processId(port);
        frozen.push(pid);
        process.kill(pid, 'SIGSTOP');
      },
      async promotedAfter(oldPort: number, timeoutMs = 30_000) {
        const promoted = async (): Promise<number | null> => {
          const port = await primaryAsNamed();
          return port !== null && port !== oldPort && (await roleOf(port)) === 'master' ? port : null;
        };
        const port = await eventually(promoted, (p) => p !== null, timeoutMs, 100);
        if (port === null) throw new Error(`the sentinels promoted no replica within ${timeoutMs} ms of losing the primary on ${oldPort}`);
        return port;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
