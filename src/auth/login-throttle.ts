import type Redis from 'ioredis';

/**
 * How long a web login must wait after failed attempts (issue 15: password
 * guessing was unlimited, and every guess cost an scrypt hash). Pure: the
 * adapter below counts failures in Redis.
 *
 * Each key (a source address, a username) has a number of failures within
 * `windowMs`. The first `free` failures cost nothing; after that each one
 * doubles the wait from `baseMs`, up to the key's cap. A username's cap is
 * short (`userCapMs`): whoever guesses at a colleague's name delays their
 * login by at most that, never locks them out. An address's cap is long: the
 * guesser is the one who waits.
 */
export interface LoginThrottlePolicy {
  free: number;
  baseMs: number;
  windowMs: number;
  addressCapMs: number;
  userCapMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = { free: 5, baseMs: 1_000, windowMs: 15 * 60_000, addressCapMs: 15 * 60_000, userCapMs: 30_000 };

/** Failures of one key so far. */
export interface FailureCount {
  count: number;
  lastAt: number;
}

/** Milliseconds the key must still wait at `now` (0: it may try). */
export function loginWaitMs(policy: LoginThrottlePolicy, failures: FailureCount | null, capMs: number, now: number): number {
  if (!failures || failures.count < policy.free) return 0;
  if (now - failures.lastAt >= policy.windowMs) return 0;
  const delay = Math.min(capMs, policy.baseMs * 2 ** Math.min(30, failures.count - policy.free));
  return Math.max(0, failures.lastAt + delay - now);
}

/** The login throttle's counters in Redis (`sb:auth:login:{ip|user}:<key>`, hash count/last, expiring with the window). */
export class LoginThrottle {
  constructor(private readonly redis: Redis, private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE, private readonly clock: () => number = Date.now) {}

  private key(kind: 'ip' | 'user', value: string): string {
    // Usernames are typed by anyone: lower-cased and bounded, so that keys stay few and small.
    return `sb:auth:login:${kind}:${value.toLowerCase().slice(0, 64)}`;
  }

  private async read(key: string): Promise<FailureCount | null> {
    const [count, last] = await this.redis.hmget(key, 'count', 'last');
    return count === null || last === null ? null : { count: Number(count), lastAt: Number(last) };
  }

  /** How long this address and username must still wait (the longer of the two); 0: go ahead. */
  async waitMs(address: string, username: string): Promise<number> {
    const now = this.clock();
    const [byAddress, byUser] = await Promise.all([this.read(this.key('ip', address)), this.read(this.key('user', username))]);
    return Math.max(
      loginWaitMs(this.policy, byAddress, this.policy.addressCapMs, now),
      loginWaitMs(this.policy, byUser, this.policy.userCapMs, now),
    );
  }

  /** A wrong password or unknown name: both keys count one more failure. */
  async failed(address: string, username: string): Promise<void> {
    const now = this.clock();
    const multi = this.redis.multi();
    for (const key of [this.key('ip', address), this.key('user', username)]) {
      multi.hincrby(key, 'count', 1).hset(key, 'last', now).pexpire(key, this.policy.windowMs);
    }
    await multi.exec();
  }

  /** A successful login clears the username's failures (the address keeps its own: one right password does not excuse a hundred guesses). */
  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.key('user', username));
  }
}
