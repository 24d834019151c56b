import { AuthLockout } from '../../../src/sip/auth-lockout';
import { findSipCredentials } from '../../../src/db/repositories/sip-credentials-repository';
import { NonceStore } from '../../../src/sip/nonce-store';
import { RegistrationStore, type ContactBinding, type PresenceEvent } from '../../../src/sip/registration-store';
import { REALM, SipTestKit } from './sip-test-kit';

describe('SIP stores on real Redis and Postgres', () => {
  let kit: SipTestKit;

  beforeAll(async () => {
    kit = await SipTestKit.start();
  });

  afterAll(async () => {
    await kit.close();
  });

  beforeEach(async () => {
    await kit.redis.flushall();
  });

  describe('nonce store', () => {
    it('accepts each nonce-count once, in increasing order, from the address it was issued to, until the nonce expires', async () => {
      const store = new NonceStore({ redis: kit.redis, clock: kit.clock, realm: REALM, secret: 'k'.repeat(32), lifetimeMs: 60_000 });
      const nonce = await store.issue('192.0.2.1');
      expect(nonce).toMatch(/^[0-9a-f]{60}$/);
      expect(await kit.redis.dbsize()).toBe(0);
      expect(await store.use(nonce, 1, '192.0.2.1')).toBe('ok');
      expect(await store.use(nonce, 1, '192.0.2.1')).toBe('replay');
      expect(await store.use(nonce, 3, '192.0.2.1')).toBe('ok');
      expect(await store.use(nonce, 2, '192.0.2.1')).toBe('replay');
      expect(await store.use(nonce, 4, '192.0.2.2')).toBe('stale');
      // Redis forgets the count by itself when the nonce can no longer be used (relative TTL, whatever the test clock says).
      const ttl = await kit.redis.pttl(`sb:sip:nonce:${nonce}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      kit.clock.advance(60_000);
      expect(await store.use(nonce, 5, '192.0.2.1')).toBe('stale');
      expect(await store.use('0'.repeat(60), 1, '192.0.2.1')).toBe('stale');
      expect(await store.use('not-ours', 1, '192.0.2.1')).toBe('stale');
      expect(await kit.redis.keys('*')).toEqual([`sb:sip:nonce:${nonce}`]);
    });

    it('lets exactly one of many racing uses of the same nonce-count through, across connections and processes sharing the generated secret', async () => {
      const stores = [kit.redis, kit.connect(), kit.connect()].map((redis) => new NonceStore({ redis, clock: kit.clock, realm: REALM }));
      const nonce = await stores[0]!.issue('192.0.2.1');
      const verdicts = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.use(nonce, 1, '192.0.2.1')));
      expect(verdicts.filter((v) => v === 'ok')).toHaveLength(1);
      expect(verdicts.filter((v) => v === 'replay')).toHaveLength(29);
    });
  });

  describe('lock-out and throttle', () => {
    it('counts per IP, per name and per pair in fixed windows, throttles the name, locks and blacklists the IP, and releases it after the lock', async () => {
      const lockout = new AuthLockout({ redis: kit.redis, clock: kit.clock, policy: { windowMs: 60_000, maxFailuresPerIp: 4, maxFailuresPerUser: 3, ipLockMs: 600_000 } });
      const ip = '198.51.100.7';
      expect(await lockout.recordFailure(ip, 'op1')).toMatchObject({ counts: { ip: 1, user: 1 }, ipLockedNow: false, userThrottledNow: false, userWaitMs: 0 });
      await lockout.recordFailure(ip, 'op1');
      // The window ends: counting starts over.
      kit.clock.advance(60_000);
      expect((await lockout.recordFailure(ip, 'op1')).counts).toEqual({ ip: 1, user: 1 });
      await lockout.recordFailure(ip, 'op1');
      expect(await lockout.recordFailure(ip, 'op1')).toMatchObject({ counts: { ip: 3, user: 3 }, userThrottledNow: true, userWaitMs: 1000, ipLockedNow: false });
      // This address failed for op1: it waits; another address does not, and op2 is untouched.
      expect(await lockout.status(ip, 'op1')).toEqual({ ipLocked: false, userLocked: true });
      expect(await lockout.status('198.51.100.8', 'op1')).toEqual({ ipLocked: false, userLocked: false });
      expect(await lockout.status(ip, 'op2')).toEqual({ ipLocked: false, userLocked: false });
      kit.clock.advance(1000);
      expect(await lockout.status(ip, 'op1')).toEqual({ ipLocked: false, userLocked: false });
      expect(await lockout.recordFailure(ip, 'op2')).toMatchObject({ counts: { ip: 4, user: 1 }, ipLockedNow: true });
      expect(await lockout.status(ip, null)).toEqual({ ipLocked: true, userLocked: false });
      expect(await kit.redis.smembers('sb:sip:{auth}:blacklist')).toEqual([ip]);

      kit.clock.advance(120_000);
      expect(await lockout.sweepBlacklist()).toEqual([]);
      kit.clock.advance(480_000);
      expect(await lockout.status(ip, 'op1')).toEqual({ ipLocked: false, userLocked: false });
      expect(await lockout.sweepBlacklist()).toEqual([ip]);
      expect(await kit.redis.smembers('sb:sip:{auth}:blacklist')).toEqual([]);
    });

    it('treats names that exist and names that do not alike, never locks, blacklists or holds back exempt sources, and forgets a name\'s failures on success', async () => {
      const lockout = new AuthLockout({ redis: kit.redis, clock: kit.clock, policy: { maxFailuresPerIp: 2, maxFailuresPerUser: 2, exemptNetworks: ['10.1.0.0/16', '192.0.2.7:5080'] } });
      for (const [i, name] of ['real-user', 'no-such-user', 'weird name\r\n'].entries()) {
        await lockout.recordFailure(`203.0.113.${50 + i}`, name);
        expect((await lockout.recordFailure(`203.0.113.${60 + i}`, name)).userThrottledNow).toBe(true);
        expect((await lockout.status(`203.0.113.${50 + i}`, name)).userLocked).toBe(true);
      }
      for (const ip of ['10.1.1.1', '192.0.2.7']) {
        for (let i = 0; i < 5; i += 1) expect((await lockout.recordFailure(ip, 'real-user')).counts.ip).toBeNull();
        expect(await lockout.status(ip, 'real-user')).toEqual({ ipLocked: false, userLocked: false });
      }
      expect(await kit.redis.scard('sb:sip:{auth}:blacklist')).toBe(0);

      // A trunk blacklisted before it was exempt (by an older version, or before SIP_TRUNKS named it) is taken off at the next sweep.
      await kit.redis.multi().sadd('sb:sip:{auth}:blacklist', '192.0.2.7', '198.51.100.200').zadd('sb:sip:{auth}:blacklist:until', kit.clock.now() + 3_600_000, '192.0.2.7', kit.clock.now() + 3_600_000, '198.51.100.200').set('sb:sip:{auth}:lock:ip:192.0.2.7', kit.clock.now() + 3_600_000).exec();
      expect(await lockout.sweepBlacklist()).toEqual(['192.0.2.7']);
      expect(await kit.redis.smembers('sb:sip:{auth}:blacklist')).toEqual(['198.51.100.200']);
      expect(await kit.redis.exists('sb:sip:{auth}:lock:ip:192.0.2.7')).toBe(0);

      await lockout.recordFailure('203.0.113.1', 'op9');
      await lockout.recordSuccess('op9');
      expect((await lockout.recordFailure('203.0.113.2', 'op9')).counts.user).toBe(1);
      await lockout.unlockUser('real-user');
      expect((await lockout.status('203.0.113.50', 'real-user')).userLocked).toBe(false);
    });
  });

  describe('registration store', () => {
    const binding = (staffId: number, uri: string, expiresInS: number, extra: Partial<ContactBinding> = {}): ContactBinding => ({
      staffId,
      username: `user${staffId}`,
      key: uri.toLowerCase(),
      uri,
      contact: uri,
      expiresAt: kit.clock.now() + expiresInS * 1000,
      updatedAt: kit.clock.now(),
      transport: 'udp',
      sourceAddress: '192.0.2.5',
      sourcePort: 5060,
      userAgent: 'test',
      instanceId: null,
      regId: null,
      q: null,
      callId: 'c1',
      cseq: 1,
      ...extra,
    });

    it('keeps several devices per person with expiry, emits online once and offline when the last one goes', async () => {
      const store = new RegistrationStore({ redis: kit.redis, clock: kit.clock, logger: kit.logger });
      const events: PresenceEvent[] = [];
      const off = store.onPresence((e) => events.push(e));
      try {
        const desk = binding(1, 'sip:user1@192.0.2.5:5060', 120, { callId: 'desk', cseq: 1 });
        const browser = binding(1, 'sip:abc@x.invalid;transport=ws', 60, { callId: 'web', cseq: 7, transport: 'wss', instanceId: 'urn:uuid:1' });
        expect(await store.apply({ staffId: 1, callId: 'desk', cseq: 1, upserts: [desk], removeKeys: [], removeAll: false })).toMatchObject({ kind: 'applied' });
        const second = await store.apply({ staffId: 1, callId: 'web', cseq: 7, upserts: [browser], removeKeys: [], removeAll: false });
        expect(second.kind === 'applied' && second.bindings.map((b) => b.uri).sort()).toEqual([browser.uri, desk.uri].sort());
        expect(events).toEqual([{ type: 'staff-online', staffId: 1, at: kit.clock.now() }]);
        expect((await store.contactsOf(1)).find((b) => b.transport === 'wss')).toMatchObject({ instanceId: 'urn:uuid:1', sourceAddress: '192.0.2.5' });
        expect(await store.registeredStaff()).toEqual([1]);

        // The browser's binding runs out: it is no longer listed, and the sweep removes it without an event (the desk phone remains).
        kit.clock.advance(61_000);
        expect((await store.contactsOf(1)).map((b) => b.uri)).toEqual([desk.uri]);
        expect(await store.sweepExpired()).toEqual([]);
        expect(await kit.redis.hlen('sb:sip:{reg}:contacts:1')).toBe(1);
        kit.clock.advance(60_000);
        const swept = await store.sweepExpired();
        expect(swept).toEqual([{ type: 'staff-offline', staffId: 1, at: kit.clock.now(), reason: 'expired' }]);
        expect(events.at(-1)).toEqual(swept[0]);
        expect(await store.contactsOf(1)).toEqual([]);
        expect(await store.registeredStaff()).toEqual([]);
        expect(await kit.redis.exists('sb:sip:{reg}:contacts:1', 'sb:sip:{reg}:expiry:1')).toBe(0);
      } finally {
        off();
      }
      expect(store.listenerCount).toBe(0);
    });

    it('refuses an out-of-order CSeq for the same Call-ID (RFC 3261 §10.3 step 7) and removes with * ', async () => {
      const store = new RegistrationStore({ redis: kit.redis, clock: kit.clock });
      const events: PresenceEvent[] = [];
      const off = store.onPresence((e) => events.push(e));
      try {
        const a = binding(2, 'sip:user2@192.0.2.6', 300, { callId: 'x', cseq: 5 });
        const b = binding(2, 'sip:user2@192.0.2.7', 300, { callId: 'y', cseq: 1 });
        await store.apply({ staffId: 2, callId: 'x', cseq: 5, upserts: [a], removeKeys: [], removeAll: false });
        await store.apply({ staffId: 2, callId: 'y', cseq: 1, upserts: [b], removeKeys: [], removeAll: false });
        expect(await store.apply({ staffId: 2, callId: 'x', cseq: 5, upserts: [], removeKeys: [a.key], removeAll: false })).toEqual({ kind: 'out-of-order' });
        expect(await store.apply({ staffId: 2, callId: 'x', cseq: 4, upserts: [], removeKeys: [], removeAll: true })).toEqual({ kind: 'out-of-order' });
        expect(await store.contactsOf(2)).toHaveLength(2);
        // Another Call-ID (a different device) may remove everything, whatever its CSeq.
        const cleared = await store.apply({ staffId: 2, callId: 'z', cseq: 1, upserts: [], removeKeys: [], removeAll: true });
        expect(cleared).toMatchObject({ kind: 'applied', bindings: [] });
        expect(events.map((e) => e.type)).toEqual(['staff-online', 'staff-offline']);
        expect(events[1]).toMatchObject({ reason: 'unregistered' });
        expect(await store.registeredStaff()).toEqual([]);
      } finally {
        off();
      }
    });

    it('pairs events when a person\'s last binding expired unseen and a new one arrives', async () => {
      const store = new RegistrationStore({ redis: kit.redis, clock: kit.clock });
      const events: PresenceEvent[] = [];
      const off = store.onPresence((e) => events.push(e));
      try {
        await store.apply({ staffId: 3, callId: 'a', cseq: 1, upserts: [binding(3, 'sip:u3@h', 60)], removeKeys: [], removeAll: false });
        kit.clock.advance(120_000);
        await store.apply({ staffId: 3, callId: 'b', cseq: 1, upserts: [binding(3, 'sip:u3@h2', 60, { callId: 'b' })], removeKeys: [], removeAll: false });
        expect(events.map((e) => (e.type === 'staff-offline' ? `${e.type}:${e.reason}` : e.type))).toEqual(['staff-online', 'staff-offline:expired', 'staff-online']);
      } finally {
        off();
      }
    });

    it('a throwing listener does not break a registration', async () => {
      const store = new RegistrationStore({ redis: kit.redis, clock: kit.clock, logger: kit.logger });
      const off = store.onPresence(() => {
        throw new Error('listener bug');
      });
      try {
        expect((await store.apply({ staffId: 4, callId: 'a', cseq: 1, upserts: [binding(4, 'sip:u4@h', 60)], removeKeys: [], removeAll: false })).kind).toBe('applied');
      } finally {
        off();
      }
    });
  });

  describe('SIP credentials repository', () => {
    it('reads HA1, realm and active by SIP username, and nothing for unknown or password-less staff', async () => {
      const id = await kit.addStaff('cred-user', 'pw');
      await kit.db.query("INSERT INTO staff (full_name, role, sip_username) VALUES ('No Password', 'operator', 'nopw')");
      expect(await findSipCredentials(kit.db, 'cred-user')).toEqual({ staffId: id, username: 'cred-user', ha1: expect.stringMatching(/^[0-9a-f]{32}$/), realm: REALM, active: true });
      expect(await findSipCredentials(kit.db, 'CRED-USER')).toBeNull();
      expect(await findSipCredentials(kit.db, 'nopw')).toBeNull();
      expect(await findSipCredentials(kit.db, "x' OR '1'='1")).toBeNull();
    });
  });
});
