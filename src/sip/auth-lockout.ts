import type Redis from 'ioredis';
import type { Clock } from '../acd/clock';
import { LuaScript } from './lua-script';
import { SipKeys } from './sip-keys';
import { TrunkAcl } from './trunk-acl';

/**
 * What failed digest authentications cost (issue 15: the old per-username
 * lock-out locked the real person out too, and anyone could trigger it).
 *
 * - A source address with too many failures is locked out and added to the
 *   Redis set drachtio-server's `<blacklist>` reads, so a persistent guesser
 *   is dropped before it reaches any app. Never an exempt address: the
 *   trunks (SIP_TRUNKS) and the configured office networks
 *   (sip.authExemptNetworks), whose loss would cut the site off, and whose
 *   addresses anyone can put on a UDP packet.
 * - A name is never locked. From `maxFailuresPerUser` failures on it is
 *   throttled: an address that has failed for that name must wait (1 s,
 *   doubling with each further failure, at most 60 s) before it is heard
 *   again for it, while any other address is checked as usual, so the right
 *   password from the person's own phone gets in at once. A success forgets
 *   the name's count.
 * - Only well-formed attempts count: the handlers answer unparseable
 *   credentials 400 without counting them.
 *
 * Unknown names are counted and throttled exactly like real ones, so the
 * answers never tell which names exist.
 */

export interface LockoutPolicy {
  /** Failures are counted in fixed windows of this length, starting at the first failure. */
  windowMs: number;
  maxFailuresPerIp: number;
  ipLockMs: number;
  /** From this many failures of one name on (in a window), addresses that failed for it wait before they are heard again. */
  maxFailuresPerUser: number;
  /** The first wait; it doubles with each failure after that. */
  userDelayBaseMs: number;
  userDelayMaxMs: number;
  /** Addresses and CIDR ranges never locked, blacklisted or made to wait (trunks, office networks). */
  exemptNetworks: readonly string[];
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  windowMs: 10 * 60_000,
  maxFailuresPerIp: 20,
  ipLockMs: 60 * 60_000,
  maxFailuresPerUser: 5,
  userDelayBaseMs: 1000,
  userDelayMaxMs: 60_000,
  exemptNetworks: [],
};

export interface FailureCounts {
  /** null when the source is exempt (not counted). */
  ip: number | null;
  user: number;
}

/** How long addresses that failed for a name wait after its `failures`-th failure: 0 below the threshold. */
export function userWaitMs(failures: number, policy: Pick<LockoutPolicy, 'maxFailuresPerUser' | 'userDelayBaseMs' | 'userDelayMaxMs'>): number {
  if (failures < policy.maxFailuresPerUser) return 0;
  const doublings = Math.min(failures - policy.maxFailuresPerUser, 30);
  return Math.min(policy.userDelayBaseMs * 2 ** doublings, policy.userDelayMaxMs);
}

/** What one more failure leads to. */
export function failureDecision(counts: FailureCounts, policy: LockoutPolicy): { lockIp: boolean; userWaitMs: number } {
  return { lockIp: counts.ip !== null && counts.ip >= policy.maxFailuresPerIp, userWaitMs: userWaitMs(counts.user, policy) };
}

/** What is known of an attempt before its digest is checked. */
export interface AttemptState {
  exempt: boolean;
  /** Epoch ms the source's lock ends, or null. */
  ipLockedUntil: number | null;
  /** The name's failures in the window, and when the last one was. */
  userFailures: number;
  userLastFailureAt: number | null;
  /** Failures of this source for this name in the window. */
  pairFailures: number;
}

export interface LockStatus {
  /** The source is locked out: refuse before anything else. */
  ipLocked: boolean;
  /** This source failed for this name, which is throttled, and its wait is not over: refuse without counting. */
  userLocked: boolean;
}

/** The rule, apart from storage. */
export function attemptStatus(state: AttemptState, now: number, policy: LockoutPolicy): LockStatus {
  if (state.exempt) return { ipLocked: false, userLocked: false };
  const waitEnds = state.userLastFailureAt === null ? 0 : state.userLastFailureAt + userWaitMs(state.userFailures, policy);
  return {
    ipLocked: state.ipLockedUntil !== null && state.ipLockedUntil > now,
    userLocked: state.pairFailures > 0 && now < waitEnds,
  };
}

export interface FailureOutcome {
  counts: FailureCounts;
  ipLockedNow: boolean;
  /** The name has just reached the throttle threshold. */
  userThrottledNow: boolean;
  /** How long addresses that failed for this name now wait (0: not throttled). */
  userWaitMs: number;
}

// One fixed-window counter per key, remembering the last failure: a window
// older than ARGV[2] starts over. `now` comes from the caller's clock, never
// Redis TIME (see sip-keys.ts).
const COUNT_FAILURE = new LuaScript(
  'sip-count-failure-v2',
  `
local out = {}
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local start = tonumber(redis.call('HGET', key, 'start') or '-1')
  local count
  if start < 0 or now - start >= tonumber(ARGV[2]) or now < start then
    redis.call('HSET', key, 'start', ARGV[1], 'count', 1, 'last', ARGV[1])
    count = 1
  else
    count = redis.call('HINCRBY', key, 'count', 1)
    redis.call('HSET', key, 'last', ARGV[1])
  end
  redis.call('PEXPIRE', key, ARGV[2])
  out[i] = count
end
return out
`,
);

// KEYS: lock, failure counter, blacklist set, blacklist until. The counter
// starts over, so the lock's end does not leave the next failure one step from
// another lock.
const LOCK = new LuaScript(
  'sip-lock-ip',
  `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[2])
redis.call('SADD', KEYS[3], ARGV[3])
-- GT: a second lock never shortens the first; new members are still added.
redis.call('ZADD', KEYS[4], 'GT', ARGV[1], ARGV[3])
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
  private readonly exempt: TrunkAcl;

  constructor(private readonly options: AuthLockoutOptions) {
    this.policy = { ...DEFAULT_LOCKOUT_POLICY, ...options.policy };
    this.keys = options.keys ?? new SipKeys();
    // TrunkAcl reads plain addresses and CIDR ranges (and trunk entries with a port).
    this.exempt = new TrunkAcl(this.policy.exemptNetworks);
  }

  isExempt(ip: string): boolean {
    return this.exempt.allows(ip);
  }

  /** Whether the source is locked, and whether it must still wait for this name. One round trip. */
  async status(ip: string, username: string | null): Promise<LockStatus> {
    if (this.isExempt(ip)) return { ipLocked: false, userLocked: false };
    const pipeline = this.options.redis.pipeline().get(this.keys.lockIp(ip));
    if (username !== null) pipeline.hmget(this.keys.failUser(username), 'count', 'last').hget(this.keys.failPair(username, ip), 'count');
    const replies = (await pipeline.exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
    const value = <T>(i: number): T | null => (replies[i]?.[1] as T | undefined) ?? null;
    const lock = value<string>(0);
    const user = value<Array<string | null>>(1) ?? [null, null];
    return attemptStatus({
      exempt: false,
      ipLockedUntil: lock === null ? null : Number(lock),
      userFailures: Number(user[0] ?? 0),
      userLastFailureAt: user[1] === null || user[1] === undefined ? null : Number(user[1]),
      pairFailures: Number(value<string>(2) ?? 0),
    }, this.options.clock.now(), this.policy);
  }

  /** Counts one failed authentication of a well-formed request; locks the source when it crossed its limit. */
  async recordFailure(ip: string, username: string): Promise<FailureOutcome> {
    const now = this.options.clock.now();
    const exempt = this.isExempt(ip);
    const keys = exempt ? [this.keys.failUser(username)] : [this.keys.failUser(username), this.keys.failIp(ip), this.keys.failPair(username, ip)];
    const counts = (await COUNT_FAILURE.run(this.options.redis, keys, [now, this.policy.windowMs])) as number[];
    const failureCounts: FailureCounts = { user: counts[0] ?? 0, ip: exempt ? null : (counts[1] ?? 0) };
    const decision = failureDecision(failureCounts, this.policy);
    if (decision.lockIp) {
      const until = now + this.policy.ipLockMs;
      await LOCK.run(this.options.redis, [this.keys.lockIp(ip), this.keys.failIp(ip), this.keys.blacklist(), this.keys.blacklistUntil()], [until, this.policy.ipLockMs, ip]);
    }
    return { counts: failureCounts, ipLockedNow: decision.lockIp, userThrottledNow: failureCounts.user === this.policy.maxFailuresPerUser, userWaitMs: decision.userWaitMs };
  }

  /** A successful login clears the name's count, so a few typos spread over a day never add up to a wait. */
  async recordSuccess(username: string): Promise<void> {
    await this.options.redis.del(this.keys.failUser(username));
  }

  /**
   * Takes IPs whose lock has ended out of drachtio-server's blacklist set, and
   * exempt ones whatever their lock (blacklisted by an older version, or before
   * the configuration named them); returns them.
   */
  async sweepBlacklist(): Promise<string[]> {
    const ended = (await SWEEP_BLACKLIST.run(this.options.redis, [this.keys.blacklist(), this.keys.blacklistUntil()], [this.options.clock.now()])) as string[];
    const exempt = (await this.options.redis.smembers(this.keys.blacklist())).filter((ip) => this.isExempt(ip));
    for (const ip of exempt) await this.unlockIp(ip);
    return [...ended, ...exempt];
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

  /** For an admin: forgets a name's failures (no address waits for it any more). */
  async unlockUser(username: string): Promise<void> {
    await this.options.redis.del(this.keys.failUser(username));
  }
}
