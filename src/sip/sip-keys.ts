import { createHash } from 'node:crypto';

/**
 * Redis key layout of the SIP side (design §2: only src/acd and the
 * registration store own Redis keys). Every key starts with the prefix
 * (default `sb:sip:`); `<x>` is a variable part.
 *
 *  key                                  type    holds                                              lifetime
 *  -----------------------------------  ------  -------------------------------------------------  -----------------------------
 *  nonce:<nonce>                        hash    nc (highest nonce-count accepted), written only     PEXPIRE rest of nonce lifetime
 *                                               once a digest with the nonce was valid
 *  nonce-secret                         string  the site's nonce HMAC key when none is configured  none (SET NX once)
 *  {reg}:contacts:<staffId>             hash    binding key → ContactBinding JSON                   PEXPIRE latest expiry + 1 h
 *  {reg}:expiry:<staffId>               zset    binding key → expiresAt (ms)                        same
 *  {reg}:due                            zset    staffId → earliest expiresAt of its bindings        none (members removed by sweep)
 *  {auth}:fail:ip:<ip>                  hash    start (window start, ms), count, last (ms)          PEXPIRE window
 *  {auth}:fail:user:<userKey>           hash    the same per SIP username (known or not)            PEXPIRE window
 *  {auth}:fail:pair:<userKey>:<ip>      hash    the same per username and source address            PEXPIRE window
 *  {auth}:lock:ip:<ip>                  string  until (ms)                                          PEXPIRE lock
 *  {auth}:blacklist                     set     locked source IPs: the set drachtio-server's         members removed by sweep
 *                                               <blacklist> element reads with SMEMBERS
 *  {auth}:blacklist:until               zset    ip → when its lock ends                             members removed by sweep
 *
 * `userKey` is the username itself when it is a plain SIP user name (the
 * charset the staff table allows, at most 64 characters), else `h:` + SHA-256:
 * failures are counted for any name an attacker sends without letting them
 * write arbitrary bytes into key names.
 *
 * Redis Cluster: a Lua script runs only when all its keys share one hash slot.
 * The registration scripts touch a staff member's keys and the global `due`
 * index, the lock-out scripts touch counters, locks and the blacklist, so each
 * family carries a hash tag (`{reg}`, `{auth}`) and lands on one shard. Nonce
 * keys are touched one at a time and spread over the cluster. Note that
 * drachtio-server reads the blacklist with a plain (non-cluster) hiredis
 * connection: with Cluster, point it at the node owning the `{auth}` slot.
 *
 * All lifetimes are relative PEXPIREs computed from the injected clock, so a
 * test clock set in the past never makes Redis drop keys early; the scripts
 * compare stored timestamps with the `now` they are given, never with Redis TIME.
 */
export class SipKeys {
  constructor(readonly prefix = 'sb:sip:') {}

  nonce(nonce: string): string {
    return `${this.prefix}nonce:${nonce}`;
  }

  nonceSecret(): string {
    return `${this.prefix}nonce-secret`;
  }

  contacts(staffId: number): string {
    return `${this.prefix}{reg}:contacts:${staffId}`;
  }

  expiry(staffId: number): string {
    return `${this.prefix}{reg}:expiry:${staffId}`;
  }

  due(): string {
    return `${this.prefix}{reg}:due`;
  }

  failIp(ip: string): string {
    return `${this.prefix}{auth}:fail:ip:${ip}`;
  }

  failUser(username: string): string {
    return `${this.prefix}{auth}:fail:user:${userKey(username)}`;
  }

  lockIp(ip: string): string {
    return `${this.prefix}{auth}:lock:ip:${ip}`;
  }

  failPair(username: string, ip: string): string {
    return `${this.prefix}{auth}:fail:pair:${userKey(username)}:${ip}`;
  }

  /** The set drachtio-server's blacklist reads: configure its `redis-key` with this value. */
  blacklist(): string {
    return `${this.prefix}{auth}:blacklist`;
  }

  blacklistUntil(): string {
    return `${this.prefix}{auth}:blacklist:until`;
  }
}

/** See the layout above: plain SIP user names as they are, anything else hashed. */
export function userKey(username: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(username) ? username : `h:${createHash('sha256').update(username, 'utf8').digest('hex')}`;
}
