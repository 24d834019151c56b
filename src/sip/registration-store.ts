import type Redis from 'ioredis';
import type { Clock } from '../acd/clock';
import type { Logger } from '../logger';
import { LuaScript } from './lua-script';
import { SipKeys } from './sip-keys';

/** How a device reaches drachtio-server; ringing it later must use the same one (browsers: ws/wss only). */
export type SipTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/**
 * One registered device of a staff member: a Contact binding of RFC 3261
 * §10.3, plus where it registered from. Several may exist per person (a desk
 * phone and a browser, two browser tabs).
 */
export interface ContactBinding {
  staffId: number;
  /** The SIP username that registered it (the AOR user). */
  username: string;
  /** Binding identity (contact-header.ts bindingKey): a refresh from the same device replaces its binding. */
  key: string;
  /**
   * Where an INVITE to this device goes (its Request-URI): the Contact pinned
   * to where the REGISTER came from (contact-target.ts), never simply what
   * the Contact said.
   */
  uri: string;
  /** The Contact URI as the device sent it: echoed in the REGISTER's 200 (sip.js looks for its own). */
  contact: string;
  /** Epoch ms; the binding is gone from this moment on. */
  expiresAt: number;
  /** Epoch ms of the last REGISTER that created or refreshed it. */
  updatedAt: number;
  transport: SipTransport;
  /** Where the REGISTER came from (after NAT): drachtio-server keeps the WebSocket for ws/wss contacts. */
  sourceAddress: string;
  sourcePort: number;
  userAgent: string | null;
  /** RFC 5626 `+sip.instance` (e.g. `urn:uuid:…`), when the device sent one. */
  instanceId: string | null;
  /** RFC 5626 `reg-id`, when sent. */
  regId: number | null;
  /** RFC 3261 §20.10 `q` preference, when sent. */
  q: number | null;
  /** Call-ID and CSeq of the REGISTER that wrote it (RFC 3261 §10.3 step 7 ordering). */
  callId: string;
  cseq: number;
}

export type PresenceEvent =
  /** The first live device of this person registered. */
  | { type: 'staff-online'; staffId: number; at: number }
  /** The last live device is gone: unregistered by the device, or expired without a refresh. */
  | { type: 'staff-offline'; staffId: number; at: number; reason: 'unregistered' | 'expired' };

export type PresenceListener = (event: PresenceEvent) => void;

/** One REGISTER's worth of changes to a person's bindings. */
export interface BindingChange {
  staffId: number;
  callId: string;
  cseq: number;
  upserts: ContactBinding[];
  removeKeys: string[];
  /** `Contact: *` with Expires: 0 (RFC 3261 §10.2.2). */
  removeAll: boolean;
  /**
   * Bindings this request may replace, oldest first, when it would pass the
   * per-person limit (a reloaded browser page's own older registrations);
   * only as many as needed are removed.
   */
  evictable?: readonly string[];
}

export type ApplyResult =
  | { kind: 'applied'; bindings: ContactBinding[]; events: PresenceEvent[] }
  /** A binding named in the request was written by a later (or the same) CSeq of this Call-ID: nothing was changed. */
  | { kind: 'out-of-order' }
  /** The request would leave the person more live bindings than allowed: nothing was changed. */
  | { kind: 'too-many'; limit: number };

// KEYS: contacts hash, expiry zset, due zset.
// ARGV: now, staffId, callId, cseq, removeAll (1/0), maxBindings (0 = no limit), nRemove, keys…, nUpsert, (key, json, expiresAt)…,
//       nEvictable, keys… (oldest first: removed, as few as needed, when the limit would be passed)
// Expired bindings are purged first, so counts say who is live; then the
// RFC 3261 §10.3 step 7 ordering check over every binding the request
// touches, then the per-person limit on live bindings, then the changes, then
// the due index and key lifetimes.
const APPLY = new LuaScript(
  'sip-registration-apply',
  `
local now = tonumber(ARGV[1])
local before = redis.call('HLEN', KEYS[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, k in ipairs(expired) do
  redis.call('HDEL', KEYS[1], k)
  redis.call('ZREM', KEYS[2], k)
end
local afterPurge = redis.call('HLEN', KEYS[1])
local callId = ARGV[3]
local cseq = tonumber(ARGV[4])
local removeAll = ARGV[5] == '1'
local maxBindings = tonumber(ARGV[6])
local i = 7
local removes = {}
for j = 1, tonumber(ARGV[i]) do removes[j] = ARGV[i + j] end
i = i + #removes + 1
local ups = {}
for j = 1, tonumber(ARGV[i]) do
  ups[j] = { ARGV[i + 3 * j - 2], ARGV[i + 3 * j - 1], ARGV[i + 3 * j] }
end
i = i + 3 * #ups + 1
local evictable = {}
for j = 1, tonumber(ARGV[i] or '0') do evictable[j] = ARGV[i + j] end
local evicted = {}
local touched = {}
if removeAll then
  touched = redis.call('HKEYS', KEYS[1])
else
  for _, k in ipairs(removes) do touched[#touched + 1] = k end
  for _, u in ipairs(ups) do touched[#touched + 1] = u[1] end
end
local status = 'applied'
for _, k in ipairs(touched) do
  local existing = redis.call('HGET', KEYS[1], k)
  if existing then
    local b = cjson.decode(existing)
    if b.callId == callId and tonumber(b.cseq) >= cseq then status = 'out-of-order' end
  end
end
if status == 'applied' and maxBindings > 0 and #ups > 0 then
  local live = {}
  if not removeAll then
    for _, k in ipairs(redis.call('HKEYS', KEYS[1])) do live[k] = true end
    for _, k in ipairs(removes) do live[k] = nil end
  end
  local upserted = {}
  for _, u in ipairs(ups) do
    live[u[1]] = true
    upserted[u[1]] = true
  end
  local n = 0
  for _ in pairs(live) do n = n + 1 end
  for _, k in ipairs(evictable) do
    if n <= maxBindings then break end
    if live[k] and not upserted[k] then
      live[k] = nil
      evicted[#evicted + 1] = k
      n = n - 1
    end
  end
  if n > maxBindings then status = 'too-many' end
end
if status == 'applied' then
  if removeAll then
    redis.call('DEL', KEYS[1], KEYS[2])
  else
    for _, k in ipairs(removes) do
      redis.call('HDEL', KEYS[1], k)
      redis.call('ZREM', KEYS[2], k)
    end
    for _, k in ipairs(evicted) do
      redis.call('HDEL', KEYS[1], k)
      redis.call('ZREM', KEYS[2], k)
    end
  end
  for _, u in ipairs(ups) do
    redis.call('HSET', KEYS[1], u[1], u[2])
    redis.call('ZADD', KEYS[2], u[3], u[1])
  end
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if first[2] then
  redis.call('ZADD', KEYS[3], first[2], ARGV[2])
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  local ttl = math.floor(math.max(1000, tonumber(last[2]) - now + 3600000))
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
else
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('DEL', KEYS[1], KEYS[2])
end
return { status, before, afterPurge, redis.call('HLEN', KEYS[1]), redis.call('HVALS', KEYS[1]) }
`,
);

function isBinding(value: unknown): value is ContactBinding {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  // A binding written before bindings were pinned (no `contact`) is not rung: its device's next refresh writes a pinned one.
  return typeof v.staffId === 'number' && typeof v.key === 'string' && typeof v.uri === 'string' && typeof v.contact === 'string' && typeof v.expiresAt === 'number';
}

function parseBindings(values: readonly string[], now: number): ContactBinding[] {
  const bindings: ContactBinding[] = [];
  for (const text of values) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isBinding(parsed) && parsed.expiresAt > now) bindings.push(parsed);
    } catch {
      // A value this code did not write: not a live binding.
    }
  }
  // Preferred first (RFC 3261 §16.6 q ordering, absent = 1.0), then the most recently refreshed; stable otherwise.
  return bindings.sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.updatedAt - a.updatedAt || a.key.localeCompare(b.key));
}

export interface RegistrationStoreOptions {
  redis: Redis;
  clock: Clock;
  keys?: SipKeys;
  /** Where a throwing presence listener is reported; it never breaks a registration. */
  logger?: Logger;
  /** Most live devices one person may have (issue 15); a REGISTER adding one more is refused. Default 5. */
  maxBindingsPerPerson?: number;
}

export const DEFAULT_MAX_BINDINGS_PER_PERSON = 5;

/**
 * The registration store (design §2: it owns its Redis keys, laid out in
 * sip-keys.ts). Every change is one Lua run, so several Switchboard processes
 * can serve the same people; the process whose run makes a person's first
 * device appear or last device disappear emits the presence event.
 */
export class RegistrationStore {
  readonly keys: SipKeys;
  private readonly listeners = new Set<PresenceListener>();

  constructor(private readonly options: RegistrationStoreOptions) {
    this.keys = options.keys ?? new SipKeys();
  }

  get maxBindingsPerPerson(): number {
    return this.options.maxBindingsPerPerson ?? DEFAULT_MAX_BINDINGS_PER_PERSON;
  }

  /** Subscribes to presence changes; call the returned function to unsubscribe (in a `finally`). */
  onPresence(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** All live devices of a staff member, preferred first: whom to ring for this person. */
  async contactsOf(staffId: number): Promise<ContactBinding[]> {
    const values = await this.options.redis.hvals(this.keys.contacts(staffId));
    return parseBindings(values, this.options.clock.now());
  }

  /** Staff members with at least one binding not yet swept. */
  async registeredStaff(): Promise<number[]> {
    return (await this.options.redis.zrange(this.keys.due(), 0, -1)).map(Number);
  }

  /** Applies one REGISTER's changes atomically (RFC 3261 §10.3 steps 6–7) and returns the bindings now live. */
  async apply(change: BindingChange): Promise<ApplyResult> {
    const now = this.options.clock.now();
    const limit = this.maxBindingsPerPerson;
    const args: (string | number)[] = [now, change.staffId, change.callId, change.cseq, change.removeAll ? 1 : 0, limit, change.removeKeys.length, ...change.removeKeys, change.upserts.length];
    for (const binding of change.upserts) args.push(binding.key, JSON.stringify(binding), binding.expiresAt);
    const evictable = change.evictable ?? [];
    args.push(evictable.length, ...evictable);
    const reply = await this.run(change.staffId, args);
    const events = this.emit(change.staffId, now, reply);
    if (reply.status === 'out-of-order') return { kind: 'out-of-order' };
    if (reply.status === 'too-many') return { kind: 'too-many', limit };
    return { kind: 'applied', bindings: parseBindings(reply.values, now), events };
  }

  /**
   * Removes bindings whose time is up (at most `limit` people per call) and
   * emits `staff-offline` for those left with none. Run periodically.
   */
  async sweepExpired(limit = 100): Promise<PresenceEvent[]> {
    const now = this.options.clock.now();
    const due = await this.options.redis.zrangebyscore(this.keys.due(), '-inf', now, 'LIMIT', 0, limit);
    const events: PresenceEvent[] = [];
    for (const id of due) {
      const staffId = Number(id);
      const reply = await this.run(staffId, [now, staffId, '', 0, 0, 0, 0, 0]);
      events.push(...this.emit(staffId, now, reply));
    }
    return events;
  }

  private async run(staffId: number, args: (string | number)[]): Promise<{ status: string; before: number; afterPurge: number; after: number; values: string[] }> {
    const keys = [this.keys.contacts(staffId), this.keys.expiry(staffId), this.keys.due()];
    const [status, before, afterPurge, after, values] = (await APPLY.run(this.options.redis, keys, args)) as [string, number, number, number, string[]];
    return { status, before, afterPurge, after, values };
  }

  private emit(staffId: number, at: number, counts: { before: number; afterPurge: number; after: number }): PresenceEvent[] {
    const events: PresenceEvent[] = [];
    if (counts.before > 0 && counts.afterPurge === 0) events.push({ type: 'staff-offline', staffId, at, reason: 'expired' });
    if (counts.afterPurge === 0 && counts.after > 0) events.push({ type: 'staff-online', staffId, at });
    if (counts.afterPurge > 0 && counts.after === 0) events.push({ type: 'staff-offline', staffId, at, reason: 'unregistered' });
    for (const event of events) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch (err) {
          this.options.logger?.error({ err, event }, 'presence listener failed');
        }
      }
    }
    return events;
  }
}
