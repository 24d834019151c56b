import type Redis from 'ioredis';
import type { Clock } from '../acd/clock';
import { LuaScript } from './lua-script';
import { SipKeys } from './sip-keys';

/**
 * Failed digest authentications counted per source IP and per SIP username,
 * with a lock-out when either crosses its limit. A locked IP is also added to
 * the Redis set drachtio-server's `<blacklist>` reads, so a persistent
 * attacker is dropped before it reaches any app.
 *
 * Unknown usernames are counted and locked exactly like real ones: a lock that
 * only real accounts could get would tell an attacker which names exist.
 */

export interface LockoutPolicy {
  /** Failures are counted in fixed windows of this length, starting at the first failure. */
  windowMs: number;
  maxFailuresPerIp: number;
  maxFailuresPerUser: number;
  ipLockMs: number;
  /** Kept short: a user lock also locks out the real person, so it only has to slow guessing down. */
  userLockMs: number;
  /** Sources never locked (a trunk, a reverse proxy all softphones come through). */
  exemptIps: readonly string[];
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  windowMs: 10 * 60_000,
  maxFailuresPerIp: 20,
  maxFailuresPerUser: 10,
  ipLockMs: 60 * 60_000,
  userLockMs: 15 * 60_000,
  exemptIps: [],
};

export interface FailureCounts {
  ip: number;
  /** null when the request named no user (e.g. an unparseable Authorization). */
  user: number | null;
}

/** The rule, apart from storage: which locks the counts after one more failure call for. */
export function lockDecision(counts: FailureCounts, ip: string, policy: LockoutPolicy): { lockIp: boolean; lockUser: boolean } {
  return {
    lockIp: !policy.exemptIps.includes(ip) && counts.ip >= policy.maxFailuresPerIp,
    lockUser: counts.user !== null && counts.user >= policy.maxFailuresPerUser,
  };
}

export interface LockStatus {
  ipLocked: boolean;
  userLocked: boolean;
}

export interface FailureOutcome {
  counts: FailureCounts;
  ipLockedNow: boolean;
  userLockedNow: boolean;
}

// One fixed-window counter per key: a window older than ARGV[2] starts over.
// `now` comes from the caller's clock, never Redis TIME (see sip-keys.ts).
const COUNT_FAILURE = new LuaScript(
  'sip-count-failure',
  `
local out = {}
for i, key in ipairs(KEYS) do
  local start = tonumber(redis.call('HGET', key, 'start') or '-1')
  local now = tonumber(ARGV[1])
  local count
  if start < 0 or now - start >= tonumber(ARGV[2]) or now < start then
    redis.call('HSET', key, 'start', ARGV[1], 'count', 1)
    count = 1
  else
    count = redis.call('HINCRBY', key, 'count', 1)
  end
  redis.call('PEXPIRE', key, ARGV[2])
  out[i] = count
end
return out
`,
);

// KEYS: lock, failure counter[, blacklist set, blacklist until]. The counter
// starts over, so the lock's end does not leave the next failure one step from
// another lock.
const LOCK = new LuaScript(
  'sip-lock',
  `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[2])
if KEYS[3] then
  redis.call('SADD', KEYS[3], ARGV[3])
  -- GT: a second lock never shortens the first; new members are still added.
  redis.call('ZADD', KEYS[4], 'GT', ARGV[1], ARGV[3])
end
return 1
`,
);

const SWEEP_BLACKLIST = new LuaScript(
  'sip-sweep-blacklist',
  `
local ips = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 500)
for _, ip in ipairs(ips) do
  redis.call('SREM', KEYS[1], ip)
  redis.call('ZREM', KEYS[2], ip)
end
return ips
`,
);

export interface AuthLockoutOptions {
  redis: Redis;
  clock: Clock;
  policy?: Partial<LockoutPolicy>;
  keys?: SipKeys;
}

export class AuthLockout {
  readonly policy: LockoutPolicy;
  readonly keys: SipKeys;

  constructor(private readonly options: AuthLockoutOptions) {
    this.policy = { ...DEFAULT_LOCKOUT_POLICY, ...options.policy };
    this.keys = options.keys ?? new SipKeys();
  }

  /** Whether the source, and the user when given, are locked now. One round trip. */
  async status(ip: string, username: string | null): Promise<LockStatus> {
    const keys = username === null ? [this.keys.lockIp(ip)] : [this.keys.lockIp(ip), this.keys.lockUser(username)];
    const values = await this.options.redis.mget(...keys);
    const now = this.options.clock.now();
    const locked = (value: string | null | undefined): boolean => value !== null && value !== undefined && Number(value) > now;
    return { ipLocked: locked(values[0]), userLocked: username !== null && locked(values[1]) };
  }

  /** Counts one failed authentication and locks what crossed its limit. */
  async recordFailure(ip: string, username: string | null): Promise<FailureOutcome> {
    const now = this.options.clock.now();
    const keys = username === null ? [this.keys.failIp(ip)] : [this.keys.failIp(ip), this.keys.failUser(username)];
    const counts = (await COUNT_FAILURE.run(this.options.redis, keys, [now, this.policy.windowMs])) as number[];
    const failureCounts: FailureCounts = { ip: counts[0] ?? 0, user: username === null ? null : (counts[1] ?? 0) };
    const decision = lockDecision(failureCounts, ip, this.policy);
    if (decision.lockIp) {
      const until = now + this.policy.ipLockMs;
      await LOCK.run(this.options.redis, [this.keys.lockIp(ip), this.keys.failIp(ip), this.keys.blacklist(), this.keys.blacklistUntil()], [until, this.policy.ipLockMs, ip]);
    }
    if (decision.lockUser && username !== null) {
      await LOCK.run(this.options.redis, [this.keys.lockUser(username), this.keys.failUser(username)], [now + this.policy.userLockMs, this.policy.userLockMs]);
    }
    return { counts: failureCounts, ipLockedNow: decision.lockIp, userLockedNow: decision.lockUser };
  }

  /** A successful login clears the user's count, so a few typos spread over a day never add up to a lock. */
  async recordSuccess(username: string): Promise<void> {
    await this.options.redis.del(this.keys.failUser(username));
  }

  /** Takes IPs whose lock has ended out of drachtio-server's blacklist set; returns them. */
  async sweepBlacklist(): Promise<string[]> {
    return (await SWEEP_BLACKLIST.run(this.options.redis, [this.keys.blacklist(), this.keys.blacklistUntil()], [this.options.clock.now()])) as string[];
  }

  /** For an admin: lifts an IP's lock and removes it from the blacklist now. */
  async unlockIp(ip: string): Promise<void> {
    await this.options.redis
      .multi()
      .del(this.keys.lockIp(ip), this.keys.failIp(ip))
      .srem(this.keys.blacklist(), ip)
      .zrem(this.keys.blacklistUntil(), ip)
      .exec();
  }

  /** For an admin: lifts a user's lock. */
  async unlockUser(username: string): Promise<void> {
    await this.options.redis.del(this.keys.lockUser(username), this.keys.failUser(username));
  }
}
