import Redis, { type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/config-schema';
import { parseSentinelAddress, type SentinelAddress } from '../config/sentinel-address';
import { PrimaryWatch } from './sentinel-primary-watch';

/**
 * Where Redis is: the config's `redis` section with the URL to use — the
 * configured one, or the local redis-server's — or, when sentinels are named,
 * Redis Sentinel's name of the primary and the sentinels to ask for it.
 */
export type RedisTarget = Pick<AppConfig['redis'], 'sentinels' | 'sentinelName' | 'password' | 'sentinelPassword'> & { url: string | null };

/** What a caller tunes (retries, offline queue); where to connect, and how to follow a failover, is the target's. */
export type RedisClientOptions = Omit<
  RedisOptions,
  'host' | 'port' | 'path' | 'sentinels' | 'name' | 'role' | 'password' | 'sentinelPassword' | 'failoverDetector' | 'reconnectOnError'
>;

export function usesSentinel(target: RedisTarget): boolean {
  return target.sentinels.length > 0;
}

/** How start-up reports it: the URL (password hidden), or `sentinel <name> via h1:26379,h2:26379`. */
export function describeRedisTarget(target: RedisTarget): string {
  if (usesSentinel(target)) return `sentinel ${target.sentinelName} via ${target.sentinels.join(',')}`;
  return (target.url ?? '').replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * After a failover a connection may still reach the old primary, now a
 * replica: every write is refused with READONLY. 2 tells ioredis to
 * reconnect — asking the sentinels for the primary again — and to send the
 * refused command once more there. Safe to resend: a replica refuses a
 * script at its first write, so nothing of it ran (checked with Redis 7.0:
 * the reply starts with READONLY for EVALSHA too).
 */
export function reconnectOnReadOnly(err: Error): 2 | false {
  return err.message.startsWith('READONLY') ? 2 : false;
}

function sentinelAddresses(target: RedisTarget): SentinelAddress[] {
  return target.sentinels.map((text) => {
    const address = parseSentinelAddress(text);
    // load-config refuses these; a target built elsewhere gets the same word.
    if (!address) throw new Error(`redis sentinel ${JSON.stringify(text)} is not host:port`);
    return address;
  });
}

/** The ioredis options of a Sentinel target (exported for its unit test). */
export function sentinelClientOptions(target: RedisTarget, options: RedisClientOptions): RedisOptions {
  return {
    ...options,
    sentinels: sentinelAddresses(target),
    name: target.sentinelName,
    role: 'master',
    ...(target.password !== null ? { password: target.password } : {}),
    ...(target.sentinelPassword !== null ? { sentinelPassword: target.sentinelPassword } : {}),
    reconnectOnError: reconnectOnReadOnly,
  };
}

/** A Sentinel client that its setup's PrimaryWatch moves off a hung primary; its duplicates are watched too. */
class SentinelRedis extends Redis {
  constructor(
    options: RedisOptions,
    private readonly primaryWatch: PrimaryWatch,
  ) {
    super(options);
    primaryWatch.add(this);
  }

  override duplicate(override?: Partial<RedisOptions>): Redis {
    return new SentinelRedis({ ...this.options, ...override }, this.primaryWatch);
  }
}

/** One watch per Sentinel setup in this process, shared by all its clients. */
const watches = new Map<string, PrimaryWatch>();

function watchOf(target: RedisTarget): PrimaryWatch {
  const key = JSON.stringify([target.sentinels, target.sentinelName, target.sentinelPassword]);
  let watch = watches.get(key);
  if (!watch) {
    watch = new PrimaryWatch(sentinelAddresses(target), target.sentinelName, target.sentinelPassword);
    watches.set(key, watch);
  }
  return watch;
}

/**
 * A Redis client for `target`, the one way src makes one from config (issue
 * 14). With Sentinel it always talks to the current primary: ioredis asks the
 * sentinels for it at every (re)connect and checks its role, commands sent
 * while it reconnects wait in the offline queue if the caller keeps one, and
 * a connection left on a primary that hangs is dropped when the sentinels
 * announce the new one (sentinel-primary-watch.ts). `.duplicate()` of the
 * result keeps all of this.
 */
export function connectRedis(target: RedisTarget, options: RedisClientOptions = {}): Redis {
  if (usesSentinel(target)) return new SentinelRedis(sentinelClientOptions(target, options), watchOf(target));
  if (target.url === null) throw new Error('connectRedis needs a URL or sentinels');
  return new Redis(target.url, options);
}
