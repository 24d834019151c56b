import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { Clock } from '../acd/clock';
import { LuaScript } from './lua-script';
import { SipKeys } from './sip-keys';

/**
 * Digest nonces issued by this registrar and the highest nonce-count seen for
 * each (RFC 2617 §3.2.2, "nc"; RFC 3261 §22.4). A nonce is accepted while it is
 * younger than its lifetime and only with a strictly higher nc than any use
 * before it, so a captured REGISTER cannot be played again. They live in Redis
 * because a client's next request may reach another Switchboard process.
 */

/** What the store knew about a nonce just before this use. */
export interface NonceRecord {
  issuedAt: number;
  /** The highest nc accepted so far (0 = never used). */
  highestNc: number;
}

export type NonceVerdict =
  /** Fresh nonce, new nc: go on. */
  | 'ok'
  /** Expired, or not one we issued (or so old Redis forgot it): RFC 2617 §3.2.1 says re-challenge with stale=TRUE when the digest itself was right. */
  | 'stale'
  /** nc not above one already accepted: a replayed (or reordered) request. */
  | 'replay';

/**
 * The rule, apart from storage so it can be tested with any clock. `previous`
 * is the record as it was before this use (null when Redis has none).
 */
export function judgeNonceUse(previous: NonceRecord | null, nc: number, now: number, lifetimeMs: number): NonceVerdict {
  if (previous === null) return 'stale';
  if (now - previous.issuedAt >= lifetimeMs || now < previous.issuedAt) return 'stale';
  if (nc <= previous.highestNc) return 'replay';
  return 'ok';
}

// Returns the record as it was and raises nc to the new value when higher, in
// one step: two requests racing with the same nc cannot both see it as new.
const USE_NONCE = new LuaScript('sip-use-nonce', `
local issued = redis.call('HGET', KEYS[1], 'issuedAt')
if not issued then return false end
local highest = tonumber(redis.call('HGET', KEYS[1], 'nc') or '0')
if tonumber(ARGV[1]) > highest then redis.call('HSET', KEYS[1], 'nc', ARGV[1]) end
return { issued, tostring(highest) }
`);

export interface NonceStoreOptions {
  redis: Redis;
  clock: Clock;
  /** How long a nonce may be used (default 5 minutes). Clients refresh it through a stale=TRUE challenge. */
  lifetimeMs?: number;
  keys?: SipKeys;
}

export class NonceStore {
  readonly lifetimeMs: number;
  private readonly keys: SipKeys;

  constructor(private readonly options: NonceStoreOptions) {
    this.lifetimeMs = options.lifetimeMs ?? 5 * 60_000;
    this.keys = options.keys ?? new SipKeys();
  }

  /** A new nonce (128 random bits, hex) recorded with its issue time; Redis forgets it when it can no longer be used. */
  async issue(sourceIp: string): Promise<string> {
    const nonce = randomBytes(16).toString('hex');
    const key = this.keys.nonce(nonce);
    await this.options.redis
      .multi()
      .hset(key, 'issuedAt', String(this.options.clock.now()), 'nc', '0', 'ip', sourceIp)
      .pexpire(key, this.lifetimeMs)
      .exec();
    return nonce;
  }

  /** Records one use of `nonce` with nonce-count `nc` and says whether it may be accepted. */
  async use(nonce: string, nc: number): Promise<NonceVerdict> {
    // Anything that is not one of our nonces cannot be in Redis: skip the round trip and keep the key space clean.
    if (!/^[0-9a-f]{32}$/.test(nonce)) return 'stale';
    const reply = (await USE_NONCE.run(this.options.redis, [this.keys.nonce(nonce)], [nc])) as [string, string] | null;
    const previous = reply ? { issuedAt: Number(reply[0]), highestNc: Number(reply[1]) } : null;
    return judgeNonceUse(previous, nc, this.options.clock.now(), this.lifetimeMs);
  }
}
