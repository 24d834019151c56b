import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { LuaScript } from './lua-script';

/**
 * Each person's outbound calls live now, across every process sharing Redis
 * (issue 15: a per-user cap on concurrent outbound calls). One sorted set
 * per staff member, `<prefix><staffId>` (default `sb:outbound:`), member =
 * call id, score = when its lease runs out (ms). A process renews the leases
 * of its calls while they live and removes each in its call's `finally`; the
 * calls of a process that died (SIGKILL, power) stop counting once their
 * lease runs out, without anyone having to notice the death.
 *
 * Redis Cluster: each script touches one key.
 */
export interface OutboundCallSlots {
  /** This person's outbound calls live now. */
  count(staffId: number): Promise<number>;
  /**
   * Takes a slot for `callId` unless the person already has `limit` (null:
   * no limit — an emergency call counts, but is never refused). Atomic: two
   * processes placing this person's calls at once never both get the last slot.
   */
  acquire(staffId: number, callId: string, limit: number | null): Promise<{ acquired: boolean; live: number }>;
  /** Gives the slot back; never throws (a slot Redis could not drop ends with its lease). */
  release(staffId: number, callId: string): Promise<void>;
  /** Stops renewing (process shutdown): slots still held end with their lease. */
  stop(): void;
}

// KEYS[1] the person's set; ARGV now, lease (ms), limit (-1: none), call id. Returns {acquired 0|1, live after}.
const ACQUIRE = new LuaScript('outbound-slot-acquire', `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local live = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return {1, live} end
if limit >= 0 and live >= limit then return {0, live} end
redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
redis.call('PEXPIRE', KEYS[1], lease)
return {1, live + 1}
`);

// KEYS[1] the person's set; ARGV now, lease (ms), call id. Extends a lease still held (a lapsed one is not brought back).
const RENEW = new LuaScript('outbound-slot-renew', `
if redis.call('ZADD', KEYS[1], 'XX', 'CH', tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
`);

export interface RedisOutboundCallSlotsOptions {
  redis: Redis;
  logger: Logger;
  prefix?: string;
  /** How long a slot counts without being renewed (a dead process's calls count this long at most). */
  leaseMs?: number;
  /** How often the leases of this process's calls are renewed. */
  renewMs?: number;
  now?: () => number;
}

export class RedisOutboundCallSlots implements OutboundCallSlots {
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RedisOutboundCallSlotsOptions) {
    this.prefix = options.prefix ?? 'sb:outbound:';
    this.leaseMs = options.leaseMs ?? 60_000;
    this.renewMs = options.renewMs ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  private key(staffId: number): string {
    return `${this.prefix}${staffId}`;
  }

  async count(staffId: number): Promise<number> {
    return this.options.redis.zcount(this.key(staffId), `(${this.now()}`, '+inf');
  }

  async acquire(staffId: number, callId: string, limit: number | null): Promise<{ acquired: boolean; live: number }> {
    const reply = await ACQUIRE.run(this.options.redis, [this.key(staffId)], [this.now(), this.leaseMs, limit ?? -1, callId]) as [number, number];
    const acquired = reply[0] === 1;
    if (acquired) {
      this.held.set(callId, staffId);
      this.timer ??= setInterval(() => void this.renew(), this.renewMs).unref();
    }
    return { acquired, live: reply[1] };
  }

  async release(staffId: number, callId: string): Promise<void> {
    this.held.delete(callId);
    if (this.held.size === 0) this.clearTimer();
    try {
      await this.options.redis.zrem(this.key(staffId), callId);
    } catch (err) {
      this.options.logger.warn({ err, staffId, callId }, 'outbound call slot not given back: it ends with its lease');
    }
  }

  stop(): void {
    this.held.clear();
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async renew(): Promise<void> {
    const now = this.now();
    await Promise.all([...this.held].map(async ([callId, staffId]) => {
      try {
        await RENEW.run(this.options.redis, [this.key(staffId)], [now, this.leaseMs, callId]);
      } catch (err) {
        this.options.logger.warn({ err, staffId, callId }, 'outbound call slot lease not renewed');
      }
    }));
  }
}
