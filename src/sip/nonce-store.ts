import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Redis from 'ioredis';
import type { Clock } from '../acd/clock';
import { LuaScript } from './lua-script';
import { SipKeys } from './sip-keys';

/**
 * Digest nonces without stored state until they prove something (issue 15:
 * a flood of unauthenticated REGISTERs or INVITEs used to leave one Redis key
 * each for 5 minutes, in the Redis the ACD shares).
 *
 * A nonce is the time it was issued, a random salt (two challenges to one
 * address in one millisecond must differ: each starts its own nonce-counts)
 * and an HMAC over those, the realm and the address it was issued to, keyed
 * with the site's secret (RFC 2617 §3.2.1 suggests this shape: time-stamp and
 * a hash with a private key). Any
 * process holding the secret checks it without Redis; one sent from another
 * address than it was issued to is not ours there, so a nonce can neither be
 * fetched from one address and spent from a spoofed one, nor replayed from
 * elsewhere.
 *
 * Replay protection (RFC 2617 §3.2.2 nonce-count) needs state, so it starts
 * only after a digest with the nonce has been found valid: the highest nc
 * accepted, kept in Redis until the nonce expires, so a captured request
 * cannot be played again on any process.
 */

export type NonceVerdict =
  /** Fresh nonce, new nc: go on. */
  | 'ok'
  /** Expired, or not one of ours for this address: RFC 2617 §3.2.1 says re-challenge with stale=TRUE when the digest itself was right. */
  | 'stale'
  /** nc not above one already accepted: a replayed (or reordered) request. */
  | 'replay';

/** What a nonce is bound to besides its time. */
export interface NonceBinding {
  secret: string;
  realm: string;
  /** The source address the challenge was sent to. */
  ip: string;
}

/** A nonce issued this far ahead of a process's clock (another process's clock running ahead) is still taken. */
export const NONCE_SKEW_MS = 30_000;

const TIME_DIGITS = 12;
const SALT_DIGITS = 16;
const NONCE_PATTERN = /^[0-9a-f]{60}$/;

function signature(binding: NonceBinding, stamp: string): string {
  return createHmac('sha256', binding.secret).update(`${stamp}:${binding.realm}:${binding.ip}`, 'utf8').digest('hex').slice(0, 32);
}

/**
 * The nonce for `binding` issued at `issuedAt` (epoch ms): 12 hex digits of
 * time, 16 of salt (random unless given), then 32 of HMAC-SHA-256.
 */
export function makeNonce(binding: NonceBinding, issuedAt: number, salt = randomBytes(SALT_DIGITS / 2).toString('hex')): string {
  const stamp = `${Math.max(0, Math.floor(issuedAt)).toString(16).padStart(TIME_DIGITS, '0')}${salt}`;
  return `${stamp}${signature(binding, stamp)}`;
}

/** Whether `nonce` is one of ours for `binding` and still usable at `now`. Pure: no state. */
export function judgeNonce(nonce: string, binding: NonceBinding, now: number, lifetimeMs: number): { kind: 'fresh'; issuedAt: number } | { kind: 'stale' } {
  if (!NONCE_PATTERN.test(nonce)) return { kind: 'stale' };
  const stamp = nonce.slice(0, TIME_DIGITS + SALT_DIGITS);
  const expected = Buffer.from(signature(binding, stamp), 'utf8');
  const given = Buffer.from(nonce.slice(stamp.length), 'utf8');
  if (!timingSafeEqual(expected, given)) return { kind: 'stale' };
  const issuedAt = Number.parseInt(nonce.slice(0, TIME_DIGITS), 16);
  if (now - issuedAt >= lifetimeMs || issuedAt - now > NONCE_SKEW_MS) return { kind: 'stale' };
  return { kind: 'fresh', issuedAt };
}

// Raises the nonce's highest nc to ARGV[1] when it is higher, in one step (two
// requests racing with the same nc cannot both see it as new); 1 when raised.
const USE_NONCE = new LuaScript('sip-use-nonce-count', `
local highest = tonumber(redis.call('HGET', KEYS[1], 'nc') or '0')
if tonumber(ARGV[1]) <= highest then return 0 end
redis.call('HSET', KEYS[1], 'nc', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

// The site's secret when none is configured: the first process to ask writes one, all read the same.
const SHARED_SECRET = new LuaScript('sip-nonce-secret', `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`);

export interface NonceStoreOptions {
  redis: Redis;
  clock: Clock;
  /** The digest realm, bound into every nonce. */
  realm: string;
  /**
   * The site's nonce secret (sip.nonceSecret, SIP_NONCE_SECRET; required in
   * production). Without it, one is generated once and shared by every
   * process through Redis (SipKeys.nonceSecret).
   */
  secret?: string | null;
  /** How long a nonce may be used (default 5 minutes). Clients refresh it through a stale=TRUE challenge. */
  lifetimeMs?: number;
  keys?: SipKeys;
}

export class NonceStore {
  readonly lifetimeMs: number;
  private readonly keys: SipKeys;
  private secret: Promise<string> | null;

  constructor(private readonly options: NonceStoreOptions) {
    this.lifetimeMs = options.lifetimeMs ?? 5 * 60_000;
    this.keys = options.keys ?? new SipKeys();
    this.secret = options.secret ? Promise.resolve(options.secret) : null;
  }

  /** A new nonce for a challenge sent to `sourceIp`. Stores nothing. */
  async issue(sourceIp: string): Promise<string> {
    return makeNonce(await this.binding(sourceIp), this.options.clock.now());
  }

  /**
   * One use of `nonce` with nonce-count `nc` from `sourceIp`, to be called
   * only once the digest is known to be right: only then is state written.
   */
  async use(nonce: string, nc: number, sourceIp: string): Promise<NonceVerdict> {
    const now = this.options.clock.now();
    let judged = judgeNonce(nonce, await this.binding(sourceIp), now, this.lifetimeMs);
    if (judged.kind === 'stale' && !this.options.secret) {
      // The shared secret may have changed under this process (Redis flushed, failed over to a replica
      // that never had it): read it again, so the site's processes converge on one. Only after a valid digest.
      this.secret = null;
      judged = judgeNonce(nonce, await this.binding(sourceIp), now, this.lifetimeMs);
    }
    if (judged.kind === 'stale') return 'stale';
    const remainingMs = Math.max(1, judged.issuedAt + this.lifetimeMs - now);
    const raised = await USE_NONCE.run(this.options.redis, [this.keys.nonce(nonce)], [nc, remainingMs]);
    return raised === 1 ? 'ok' : 'replay';
  }

  private async binding(ip: string): Promise<NonceBinding> {
    if (!this.secret) {
      const reading = SHARED_SECRET.run(this.options.redis, [this.keys.nonceSecret()], [randomBytes(32).toString('hex')]).then(String);
      this.secret = reading;
      // A failed read (Redis away) is retried by the next request rather than remembered.
      reading.catch(() => {
        if (this.secret === reading) this.secret = null;
      });
    }
    return { secret: await this.secret, realm: this.options.realm, ip };
  }
}
