import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { systemClock, type Clock } from '../acd/clock';
import type { Queryable } from '../db/pool';
import type { SipCredentials } from '../db/repositories/sip-credentials-repository';
import type { Logger } from '../logger';
import { AuthLockout, type LockoutPolicy } from './auth-lockout';
import { addressUser, bindingKey, parseContactHeader, parseExpiresHeader, type ContactEntry } from './contact-header';
import { contactTarget, normalizeHost } from './contact-target';
import { buildChallenge, readDigestCredentials, type DigestCredentials } from './digest-auth';
import { NonceStore } from './nonce-store';
import { RegistrationStore, type ContactBinding, type PresenceListener, type SipTransport } from './registration-store';
import { sentTransport } from './sent-over-websocket';
import { SipKeys } from './sip-keys';
import { createCredentialLookup, staffDigestMatches, type StaffSipCredentials } from './softphone-credentials';
import { reasonPhrase, sipFailureFor, sipRefusal } from './sip-status';
import { dialableTrunks } from './trunk-address';
import type { InboundRequest, OutboundResponse, SrfApp } from './srf-types';

/** How long a registration may last, in seconds (RFC 3261 §10.2.1.1, §10.3 step 7). */
export interface ExpiryPolicy {
  /** Granted when the device asks for no particular time. 600 is what sip.js asks for. */
  defaultSeconds: number;
  /** Shorter non-zero requests get 423 Interval Too Brief with Min-Expires. */
  minSeconds: number;
  /** Longer requests are granted this much. */
  maxSeconds: number;
}

export const DEFAULT_EXPIRY_POLICY: ExpiryPolicy = { defaultSeconds: 600, minSeconds: 60, maxSeconds: 3600 };

/**
 * Looks a staff member's SIP credentials up by SIP username: the permanent
 * HA1 and, optionally, those of live softphone secrets (softphone-credentials.ts).
 */
export type CredentialLookup = (username: string) => Promise<StaffSipCredentials | null>;

export interface RegistrarOptions {
  /** The digest realm offered in every challenge; staff HA1s must have been computed with it. */
  realm: string;
  credentials: CredentialLookup;
  nonces: NonceStore;
  registrations: RegistrationStore;
  lockout: AuthLockout;
  logger: Logger;
  clock?: Clock;
  expiry?: Partial<ExpiryPolicy>;
  /** How often expired bindings and ended blacklist entries are swept (default 5 s). */
  sweepIntervalMs?: number;
  /**
   * Addresses calls are sent out to (SIP_TRUNKS entries naming one address):
   * no device may be rung there, and none may register from there.
   */
  trunkHosts?: readonly string[];
}

/** The reason phrase for an address that must wait before it is heard again for a name (auth-lockout.ts). */
export const THROTTLED = 'too many failed attempts: try again later';

/** The final response the registrar decided on. */
export interface RegisterAnswer {
  status: number;
  reason: string;
  headers: Record<string, string>;
}

const TRANSPORTS: readonly SipTransport[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

function transportOf(protocol: string): SipTransport {
  const lower = protocol.toLowerCase();
  return (TRANSPORTS as readonly string[]).includes(lower) ? (lower as SipTransport) : 'udp';
}


function answer(status: number, headers: Record<string, string> = {}, reason = reasonPhrase(status)): RegisterAnswer {
  return { status, reason, headers };
}

/** RFC 3261 §20.10 qvalue: "0" … "1.000". */
function parseQ(value: string | null | undefined): number | null {
  if (value === undefined || value === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return null;
  return Number(value);
}

/**
 * The REGISTER handler for staff softphones and desk phones (RFC 3261 §10.3):
 * digest authentication against the staff table (RFC 3261 §22.4, RFC 2617
 * §3.2.2) with stateless nonces (nonce-store.ts), bindings in Redis with expiry, several
 * devices per person, and failure counting that slows guessing down
 * (auth-lockout.ts).
 *
 * Unknown users and known users with a wrong password take the same path and
 * get the same 403: the credentials lookup, a digest computation (against a
 * decoy HA1 when there is no user) and the failure count all happen either
 * way, so neither the answer nor its timing says whether a name exists.
 * 403 rather than a new 401 because RFC 3261 §21.4.4 "authorization will not
 * help": a client re-sending the same wrong password would loop on 401.
 */
export class Registrar {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly expiry: ExpiryPolicy;
  /** Stands in for HA1 when the user does not exist, so that path hashes exactly as much as the real one. */
  private readonly decoyHa1 = randomBytes(16).toString('hex');
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private readonly trunkHosts: ReadonlySet<string>;

  constructor(private readonly options: RegistrarOptions) {
    this.trunkHosts = new Set((options.trunkHosts ?? []).map(normalizeHost));
    this.logger = options.logger.child({ module: 'registrar' });
    this.clock = options.clock ?? systemClock;
    this.expiry = { ...DEFAULT_EXPIRY_POLICY, ...options.expiry };
  }

  /** Routes every REGISTER drachtio-server passes to this app through the registrar. */
  mount(srf: SrfApp): void {
    srf.register((req, res) => {
      void this.handle(req, res);
    });
  }

  /** All live devices of a staff member, preferred first: whom the call session rings for this person. */
  contactsOf(staffId: number): Promise<ContactBinding[]> {
    return this.options.registrations.contactsOf(staffId);
  }

  /**
   * The realm, credential lookup, nonce store and lock-out this registrar
   * checks digests with: an INVITE from a staff device is checked with the
   * very same (device-call-handler.ts), so one lock-out covers both.
   */
  get digestAuth(): { realm: string; nonces: NonceStore; lockout: AuthLockout } {
    return { realm: this.options.realm, nonces: this.options.nonces, lockout: this.options.lockout };
  }

  /**
   * Checks Digest credentials exactly as a REGISTER's are checked (the same
   * lookup, realm and decoy HA1, so the same work for unknown users); the
   * staff member's credentials when they match, else null. Nonce use and
   * failure counting are the caller's.
   */
  async verifyDigest(credentials: DigestCredentials, method: string): Promise<StaffSipCredentials | null> {
    const stored = await this.options.credentials(credentials.username);
    const usable = stored !== null && stored.active && stored.realm === this.options.realm;
    const matches = staffDigestMatches(credentials, usable ? stored : null, this.decoyHa1, method);
    return usable && matches ? stored : null;
  }

  /** Presence events: a person's first device registered, their last one left. Returns the unsubscribe function. */
  onPresence(listener: PresenceListener): () => void {
    return this.options.registrations.onPresence(listener);
  }

  /** Starts the periodic sweep of expired bindings (emitting `staff-offline`) and of ended blacklist entries. */
  start(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = null;
      });
    }, this.options.sweepIntervalMs ?? 5000);
    this.sweepTimer.unref();
  }

  /** Stops the sweep and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    await this.sweeping;
  }

  /** One sweep (also what start() runs); never throws. */
  async sweep(): Promise<void> {
    try {
      await this.options.registrations.sweepExpired();
      const released = await this.options.lockout.sweepBlacklist();
      if (released.length > 0) this.logger.info({ ips: released }, 'source IPs taken off the SIP blacklist: lock ended');
    } catch (err) {
      this.logger.warn({ err }, 'registration sweep failed; retrying on the next tick');
    }
  }

  /** Answers one REGISTER. Never throws: whatever happens, exactly one final response is sent. */
  async handle(req: InboundRequest, res: OutboundResponse): Promise<void> {
    const log = this.logger.child({ callId: req.get('Call-ID') ?? null, source: `${req.protocol}:${req.source_address}:${req.source_port}` });
    let result: RegisterAnswer;
    try {
      result = await this.decide(req, log);
    } catch (err) {
      result = sipFailureFor(err);
      log.error({ err, status: result.status }, 'REGISTER could not be processed');
    }
    try {
      if (!res.finalResponseSent) res.send(result.status, result.reason, { headers: result.headers });
    } catch (err) {
      log.error({ err }, 'could not send the REGISTER response');
    }
  }

  /** The decision for one REGISTER, in the order of RFC 3261 §10.3. */
  async decide(req: InboundRequest, log: Logger = this.logger): Promise<RegisterAnswer> {
    const ip = req.source_address;
    // Syntax first: nothing below may trip over a missing or mangled header.
    const toUser = addressUser(req.get('To') ?? '');
    const callId = req.get('Call-ID')?.trim() ?? '';
    const cseqMatch = /^\s*(\d{1,10})\s+REGISTER\s*$/i.exec(req.get('CSeq') ?? '');
    if (toUser === null || callId === '' || !cseqMatch) return answer(400, {}, 'Bad Request (To, Call-ID or CSeq)');
    const cseq = Number(cseqMatch[1]);
    const contactText = req.get('Contact');
    const contact = contactText === undefined ? null : parseContactHeader(contactText);
    if (contactText !== undefined && contact === null) return answer(400, {}, 'Bad Request (Contact)');
    const expiresText = req.get('Expires');
    const expiresHeader = expiresText === undefined ? null : parseExpiresHeader(expiresText);
    if (expiresText !== undefined && expiresHeader === null) return answer(400, {}, 'Bad Request (Expires)');
    // §10.3 step 6: "*" only alone and only with Expires: 0.
    if (contact?.kind === 'wildcard' && expiresHeader !== 0) return answer(400, {}, 'Bad Request (Contact: * needs Expires: 0)');

    // Step 2: we implement no SIP extension a client could require (not even RFC 5626 outbound), so any Require is refused (RFC 3261 §8.2.2.3).
    const required = (req.get('Require') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (required.length > 0) return answer(420, { Unsupported: required.join(', ') });

    // Step 3: authentication.
    const verdict = readDigestCredentials(req.get('Authorization'), this.options.realm);
    const claimed = verdict.kind === 'ok' ? verdict.credentials.username : null;
    const locks = await this.options.lockout.status(ip, claimed);
    if (locks.ipLocked) {
      log.debug({ ip }, 'REGISTER from a locked-out source');
      return answer(403);
    }
    if (verdict.kind === 'malformed') {
      // Not a failure (issue 15): a broken client or a fuzzer proves nothing about a password.
      log.info({ ip, detail: verdict.detail }, 'malformed Authorization');
      return answer(400, {}, 'Bad Request (Authorization)');
    }
    if (verdict.kind !== 'ok') {
      if (verdict.kind === 'unsupported') log.debug({ detail: verdict.detail }, 'credentials not usable here; challenging');
      return this.challenge(ip, false);
    }
    const credentials = verdict.credentials;
    // RFC 2617 §3.2.2.5: the digest-uri must be the Request-URI, else the digest proves nothing about this request.
    if (credentials.uri !== req.uri) return answer(400, {}, 'Bad Request (digest uri differs from Request-URI)');

    const stored = await this.options.credentials(credentials.username);
    const usable = stored !== null && stored.active && stored.realm === this.options.realm;
    // The permanent password or any live softphone secret; the same work whatever the user (see staffDigestMatches).
    const matches = staffDigestMatches(credentials, usable ? stored : null, this.decoyHa1, req.method);
    if (locks.userLocked) return sipRefusal('FORBIDDEN', THROTTLED);
    if (!usable || !matches) {
      await this.countFailure(ip, credentials.username, log, 'wrong credentials');
      return answer(403);
    }
    const nonce = await this.options.nonces.use(credentials.nonce, credentials.nc, ip);
    if (nonce === 'stale') return this.challenge(ip, true);
    if (nonce === 'replay') {
      await this.countFailure(ip, credentials.username, log, 'replayed nonce-count');
      return this.challenge(ip, false);
    }
    // Step 4: authorization. A person may only change the bindings of their own address.
    if (toUser !== stored.username) {
      log.warn({ username: stored.username, toUser }, 'REGISTER for another address refused');
      return answer(403);
    }
    await this.options.lockout.recordSuccess(stored.username);
    return this.updateBindings(req, stored, { contact, expiresHeader, callId, cseq }, log);
  }

  private async updateBindings(
    req: InboundRequest,
    staff: SipCredentials,
    parsed: { contact: ReturnType<typeof parseContactHeader>; expiresHeader: number | null; callId: string; cseq: number },
    log: Logger,
  ): Promise<RegisterAnswer> {
    const now = this.clock.now();
    const upserts: ContactBinding[] = [];
    const removeKeys: string[] = [];
    const entries: ContactEntry[] = parsed.contact?.kind === 'list' ? parsed.contact.entries : [];
    for (const entry of entries) {
      const requested = entry.expires ?? parsed.expiresHeader ?? this.expiry.defaultSeconds;
      const key = bindingKey(entry.uri);
      if (requested === 0) {
        removeKeys.push(key);
        continue;
      }
      // §10.3 step 7: refuse a refresh interval shorter than the registrar can afford, and say what is acceptable.
      if (requested < this.expiry.minSeconds) return answer(423, { 'Min-Expires': String(this.expiry.minSeconds) });
      const granted = Math.min(requested, this.expiry.maxSeconds);
      // A browser's contact must be offered WebRTC media, not plain RTP (sentTransport reads the Via: drachtio says "tcp" for WS).
      const transport = transportOf(sentTransport(req));
      // Issue 15: rung where it registered from, never simply where the Contact says (a trunk, someone else's host).
      const pinned = contactTarget(entry.uri, { address: req.source_address, port: Number(req.source_port), transport }, (host) => this.trunkHosts.has(host));
      if (pinned.kind === 'refused') {
        log.warn({ staffId: staff.staffId, username: staff.username, contact: entry.uri, why: pinned.why }, 'REGISTER refused: Contact not accepted');
        return sipRefusal('FORBIDDEN', pinned.why);
      }
      upserts.push({
        staffId: staff.staffId,
        username: staff.username,
        key,
        uri: pinned.target,
        contact: entry.uri,
        expiresAt: now + granted * 1000,
        updatedAt: now,
        transport,
        sourceAddress: req.source_address,
        sourcePort: Number(req.source_port),
        userAgent: req.get('User-Agent')?.slice(0, 256) ?? null,
        instanceId: entry.instanceId,
        regId: entry.regId,
        q: parseQ(entry.params.get('q')),
        callId: parsed.callId,
        cseq: parsed.cseq,
      });
    }
    const result = await this.options.registrations.apply({
      staffId: staff.staffId,
      callId: parsed.callId,
      cseq: parsed.cseq,
      upserts,
      removeKeys,
      removeAll: parsed.contact?.kind === 'wildcard',
      evictable: await this.reloadedPages(staff.staffId, upserts),
    });
    if (result.kind === 'out-of-order') {
      log.info({ cseq: parsed.cseq }, 'REGISTER older than the binding it would change');
      return answer(400, {}, 'Bad Request (out-of-order CSeq)');
    }
    if (result.kind === 'too-many') {
      log.warn({ staffId: staff.staffId, username: staff.username, limit: result.limit }, 'REGISTER refused: too many registered devices');
      return sipRefusal('FORBIDDEN', `at most ${result.limit} registered devices per person`);
    }
    for (const event of result.events) log.info({ event }, 'presence changed');
    log.info({ staffId: staff.staffId, added: upserts.length, removed: parsed.contact?.kind === 'wildcard' ? 'all' : removeKeys.length, live: result.bindings.length }, 'REGISTER accepted');
    return answer(200, this.okHeaders(result.bindings, upserts, now));
  }

  /**
   * A browser gets a new Contact with every page load and cannot unregister
   * the old one when the page is reloaded or closed: at the per-person limit,
   * a WebSocket registration may replace the older WebSocket registrations
   * from the same address (oldest first). Nobody else's: a device elsewhere
   * never pushes the person's phones out. Empty unless this request adds a
   * WebSocket binding.
   */
  private async reloadedPages(staffId: number, upserts: readonly ContactBinding[]): Promise<string[]> {
    const browsers = upserts.filter((b) => b.transport === 'ws' || b.transport === 'wss');
    if (browsers.length === 0) return [];
    const sources = new Set(browsers.map((b) => normalizeHost(b.sourceAddress)));
    const adding = new Set(upserts.map((b) => b.key));
    return (await this.options.registrations.contactsOf(staffId))
      .filter((b) => (b.transport === 'ws' || b.transport === 'wss') && sources.has(normalizeHost(b.sourceAddress)) && !adding.has(b.key))
      .sort((a, b) => a.updatedAt - b.updatedAt)
      .map((b) => b.key);
  }

  /**
   * §10.3 step 8: the 200 lists every current binding with its remaining
   * time. The devices of this request come first: drachtio-server reads the
   * first Contact's expires to decide how long it keeps a WebSocket client
   * reachable, and sip.js looks for its own Contact with expires.
   */
  private okHeaders(bindings: ContactBinding[], requested: ContactBinding[], now: number): Record<string, string> {
    const order = new Map(requested.map((b, i) => [b.key, i]));
    const sorted = [...bindings].sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity));
    const headers: Record<string, string> = { Date: new Date(now).toUTCString() };
    if (sorted.length > 0) {
      headers.Contact = sorted
        .map((b) => `<${b.contact}>;expires=${Math.max(0, Math.ceil((b.expiresAt - now) / 1000))}${b.q === null ? '' : `;q=${b.q}`}`)
        .join(', ');
    }
    return headers;
  }

  private async challenge(ip: string, stale: boolean): Promise<RegisterAnswer> {
    const nonce = await this.options.nonces.issue(ip);
    return answer(401, { 'WWW-Authenticate': buildChallenge({ realm: this.options.realm, nonce, stale }) });
  }

  private async countFailure(ip: string, username: string, log: Logger, why: string): Promise<void> {
    const outcome = await this.options.lockout.recordFailure(ip, username);
    log.info({ ip, username, why, failures: outcome.counts, exempt: outcome.counts.ip === null }, 'SIP authentication failed');
    if (outcome.ipLockedNow) log.warn({ ip, minutes: this.options.lockout.policy.ipLockMs / 60_000 }, 'source IP locked out and blacklisted after repeated SIP authentication failures');
    if (outcome.userThrottledNow) log.warn({ username, waitMs: outcome.userWaitMs }, 'SIP username throttled after repeated authentication failures: addresses that failed for it now wait');
  }
}

export interface CreateRegistrarOptions {
  redis: Redis;
  db: Queryable;
  realm: string;
  logger: Logger;
  clock?: Clock;
  keys?: SipKeys;
  nonceLifetimeMs?: number;
  /** sip.nonceSecret; without it the site's processes share one generated through Redis (nonce-store.ts). */
  nonceSecret?: string | null;
  lockout?: Partial<LockoutPolicy>;
  expiry?: Partial<ExpiryPolicy>;
  sweepIntervalMs?: number;
  /** SIP_TRUNKS as configured: the addresses among them calls are sent to are refused as Contacts and sources. */
  trunks?: readonly string[];
  /** Most live devices per person (default 5). */
  maxBindingsPerPerson?: number;
  /** sip.authExemptNetworks: office ranges never locked, blacklisted or made to wait, like the trunks. */
  authExemptNetworks?: readonly string[];
}

/**
 * A registrar on the real stores: Redis for nonces, bindings and lock-outs,
 * Postgres for credentials. The Redis client must have no `keyPrefix` of its
 * own (the keys are in sip-keys.ts).
 */
export function createRegistrar(options: CreateRegistrarOptions): Registrar {
  const clock = options.clock ?? systemClock;
  const keys = options.keys ?? new SipKeys();
  return new Registrar({
    realm: options.realm,
    credentials: createCredentialLookup({ db: options.db, redis: options.redis, realm: options.realm, keys, clock }),
    nonces: new NonceStore({ redis: options.redis, clock, keys, realm: options.realm, secret: options.nonceSecret ?? null, ...(options.nonceLifetimeMs ? { lifetimeMs: options.nonceLifetimeMs } : {}) }),
    registrations: new RegistrationStore({ redis: options.redis, clock, keys, logger: options.logger, ...(options.maxBindingsPerPerson ? { maxBindingsPerPerson: options.maxBindingsPerPerson } : {}) }),
    lockout: new AuthLockout({
      redis: options.redis, clock, keys,
      // Trunk addresses and office networks are never locked out (issue 15): anyone can put them on a UDP packet.
      policy: { ...options.lockout, exemptNetworks: [...(options.lockout?.exemptNetworks ?? []), ...(options.trunks ?? []), ...(options.authExemptNetworks ?? [])] },
    }),
    logger: options.logger,
    clock,
    ...(options.expiry ? { expiry: options.expiry } : {}),
    ...(options.sweepIntervalMs ? { sweepIntervalMs: options.sweepIntervalMs } : {}),
    trunkHosts: dialableTrunks(options.trunks ?? []).map((t) => t.host),
  });
}
