import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { systemClock, type Clock } from '../acd/clock';
import { sipHa1 } from '../auth/sip-digest';
import type { Queryable } from '../db/pool';
import { findSipLogin } from '../db/repositories/sip-login-repository';
import type { SipCredentials } from '../db/repositories/sip-credentials-repository';
import { digestMatches, type DigestCredentials } from './digest-auth';
import { SipKeys, userKey } from './sip-keys';

/**
 * Short-lived SIP passwords for the browser softphone.
 *
 * The browser must never hold a person's permanent SIP password (a desk
 * phone's, valid until an admin changes it). Instead `GET /api/softphone/config`
 * issues a random secret valid for `ttlMs` (12 h by default, a shift); the
 * page fetches the config again to get a fresh one. Only the secret's HA1
 * (RFC 2617 §3.2.2.2) is kept, in Redis:
 *
 *  key                               type  holds                                   lifetime
 *  --------------------------------  ----  --------------------------------------  ----------------------------
 *  softphone:<userKey>               zset  HA1 → expiresAt (ms)                     PEXPIRE longest expiry + 1 min
 *  softphone-session:<sessionHash>   hash  HA1 → SIP username                       PEXPIRE latest expiry + 1 min
 *
 * under the SIP key prefix (`sb:sip:`, see sip-keys.ts; `userKey` as there).
 * The second key remembers which web session asked for which secret, so that
 * logging out ends that session's secrets (issue 15: access must not outlive
 * its grant), not those of the person's other sessions.
 * Keyed by SIP username, not staff id, so that the digest check looks up an
 * unknown name exactly as it looks up a known one. At most
 * MAX_SOFTPHONE_SECRETS are live per person (several tabs, reloads): issuing
 * one more drops the one expiring first.
 */
export const MAX_SOFTPHONE_SECRETS = 8;

export const DEFAULT_SOFTPHONE_SECRET_TTL_MS = 12 * 3600_000;

/** The Redis key of the secrets one web session (by its token's hash) was given. */
export function softphoneSessionKey(keys: SipKeys, sessionHash: string): string {
  return `${keys.prefix}softphone-session:${sessionHash}`;
}

/** The Redis key of one person's softphone secrets. */
export function softphoneSecretsKey(keys: SipKeys, username: string): string {
  return `${keys.prefix}softphone:${userKey(username)}`;
}

export interface SoftphoneSecretsOptions {
  redis: Redis;
  keys?: SipKeys;
  clock?: Clock;
  ttlMs?: number;
}

/** A secret just issued: given to the browser once, never stored in the clear. */
export interface IssuedSecret {
  password: string;
  expiresAt: number;
}

/** The store of softphone secrets (owns the `softphone:` keys above). */
export class SoftphoneSecrets {
  readonly keys: SipKeys;
  readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: SoftphoneSecretsOptions) {
    this.keys = options.keys ?? new SipKeys();
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? DEFAULT_SOFTPHONE_SECRET_TTL_MS;
  }

  /**
   * A new random secret for `username` in `realm`; its HA1 is accepted until
   * it expires, or until `sessionHash` (the web session that asked) is revoked.
   */
  async issue(username: string, realm: string, sessionHash?: string): Promise<IssuedSecret> {
    // 18 random bytes: 144 bits, 24 URL-safe characters — nothing a digest guesser can reach in 12 h.
    const password = randomBytes(18).toString('base64url');
    const now = this.clock.now();
    const expiresAt = now + this.ttlMs;
    const key = softphoneSecretsKey(this.keys, username);
    const ha1 = sipHa1(username, realm, password);
    const transaction = this.options.redis
      .multi()
      .zremrangebyscore(key, '-inf', now)
      .zadd(key, expiresAt, ha1)
      // Keep the MAX_SOFTPHONE_SECRETS latest expiries (highest scores).
      .zremrangebyrank(key, 0, -(MAX_SOFTPHONE_SECRETS + 1))
      .pexpire(key, this.ttlMs + 60_000);
    if (sessionHash) {
      const sessionKey = softphoneSessionKey(this.keys, sessionHash);
      transaction.hset(sessionKey, ha1, username).pexpire(sessionKey, this.ttlMs + 60_000);
    }
    const results = await transaction.exec();
    const failed = results?.find(([err]) => err !== null)?.[0];
    if (failed) throw failed;
    return { password, expiresAt };
  }

  /**
   * Ends the secrets issued to one web session (its logout). Returns the SIP
   * usernames that had one, each with whether any of its secrets (from other
   * sessions) is still live.
   */
  async revokeSession(sessionHash: string): Promise<Array<{ username: string; othersLive: boolean }>> {
    const sessionKey = softphoneSessionKey(this.keys, sessionHash);
    const issued = await this.options.redis.hgetall(sessionKey);
    const byUser = new Map<string, string[]>();
    for (const [ha1, username] of Object.entries(issued)) byUser.set(username, [...(byUser.get(username) ?? []), ha1]);
    const outcome: Array<{ username: string; othersLive: boolean }> = [];
    for (const [username, ha1s] of byUser) {
      await this.options.redis.zrem(softphoneSecretsKey(this.keys, username), ...ha1s);
      outcome.push({ username, othersLive: (await this.activeHa1s(username)).length > 0 });
    }
    await this.options.redis.del(sessionKey);
    return outcome;
  }

  /** HA1s of the secrets of `username` still valid now (empty for unknown names). */
  async activeHa1s(username: string): Promise<string[]> {
    return this.options.redis.zrangebyscore(softphoneSecretsKey(this.keys, username), `(${this.clock.now()}`, '+inf');
  }

  /** Ends every softphone secret of `username` (e.g. when the person leaves). */
  async revokeAll(username: string): Promise<void> {
    await this.options.redis.del(softphoneSecretsKey(this.keys, username));
  }
}

/** SIP credentials of a staff member: the permanent HA1 plus the HA1s of live softphone secrets. */
export interface StaffSipCredentials extends SipCredentials {
  softphoneHa1s?: readonly string[];
}

/**
 * The credential lookup every digest check uses (the registrar, and INVITEs
 * from staff devices): Postgres for the person, Redis for their softphone
 * secrets, both asked whatever the name, so that an unknown name costs what a
 * known one does. A person with no permanent password (or one bound to
 * another realm) still logs in with a softphone secret; the permanent HA1 is
 * then replaced by a random stand-in nobody can match.
 */
export function createCredentialLookup(options: { db: Queryable; redis: Redis; realm: string; keys?: SipKeys; clock?: Clock }): (username: string) => Promise<StaffSipCredentials | null> {
  const secrets = new SoftphoneSecrets({ redis: options.redis, ...(options.keys ? { keys: options.keys } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const standIn = randomBytes(16).toString('hex');
  return async (username) => {
    const [login, softphoneHa1s] = await Promise.all([findSipLogin(options.db, username), secrets.activeHa1s(username)]);
    if (!login) return null;
    const permanentUsable = login.ha1 !== null && login.realm === options.realm;
    if (!permanentUsable && softphoneHa1s.length === 0) {
      // As before softphone secrets existed: no password → unknown; another realm → refused by the realm check.
      return login.ha1 === null || login.realm === null ? null : { staffId: login.staffId, username: login.username, ha1: login.ha1, realm: login.realm, active: login.active, softphoneHa1s };
    }
    return { staffId: login.staffId, username: login.username, ha1: permanentUsable ? (login.ha1 as string) : standIn, realm: options.realm, active: login.active, softphoneHa1s };
  };
}

/**
 * True when the digest response was made with the permanent password or any
 * live softphone secret. Always computes 1 + MAX_SOFTPHONE_SECRETS digests
 * (padding with `decoyHa1`, which also stands for an unknown user) and never
 * stops at the first match, so that the time taken says nothing about which
 * secret matched, how many a person has, or whether they exist.
 */
export function staffDigestMatches(credentials: DigestCredentials, stored: StaffSipCredentials | null, decoyHa1: string, method: string): boolean {
  const candidates = stored ? [stored.ha1, ...(stored.softphoneHa1s ?? []).slice(0, MAX_SOFTPHONE_SECRETS)] : [];
  while (candidates.length < MAX_SOFTPHONE_SECRETS + 1) candidates.push(decoyHa1);
  let matched = false;
  for (const ha1 of candidates) {
    // Non-short-circuit: every candidate is hashed whatever the earlier ones gave.
    matched = digestMatches(credentials, ha1, method) || matched;
  }
  return matched && stored !== null;
}
