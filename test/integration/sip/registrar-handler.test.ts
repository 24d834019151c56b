import { createRegistrar, type Registrar } from '../../../src/sip/registrar';
import type { PresenceEvent } from '../../../src/sip/registration-store';
import { authorization, fakeRegister, fakeResponse, nonceOf, REALM, SipTestKit, type SentResponse } from './sip-test-kit';

/**
 * The REGISTER handler on real Redis and Postgres, driven with request and
 * response objects shaped like drachtio-srf's (the E2E test drives it through
 * a real drachtio-server with sipp).
 */
describe('registrar REGISTER handling (real Redis and Postgres)', () => {
  let kit: SipTestKit;
  let registrar: Registrar;
  let staffId: number;
  let call = 0;

  const uri = `sip:${REALM}`;
  const baseHeaders = (user: string, extra: Record<string, string> = {}): Record<string, string> => ({
    To: `<sip:${user}@${REALM}>`,
    From: `<sip:${user}@${REALM}>;tag=t${call}`,
    'Call-ID': `call-${call}`,
    CSeq: '1 REGISTER',
    Contact: `<sip:${user}@192.0.2.10:5060>`,
    ...extra,
  });

  async function send(headers: Record<string, string>, options: Parameters<typeof fakeRegister>[1] = {}): Promise<SentResponse> {
    const res = fakeResponse();
    await registrar.handle(fakeRegister(headers, options), res);
    expect(res.sent).toHaveLength(1);
    return res.sent[0]!;
  }

  /** The two-step dance of a UA: REGISTER, 401, REGISTER with credentials. */
  async function register(user: string, password: string, extra: Record<string, string> = {}, options: Parameters<typeof fakeRegister>[1] = {}): Promise<SentResponse> {
    call += 1;
    // A device's Contact names where it registers from (issue 15), unless the test says otherwise.
    const headers = { ...baseHeaders(user, { Contact: `<sip:${user}@${options.ip ?? '192.0.2.10'}:${options.port ?? 5060}>` }), ...extra };
    const challenge = await send(headers, options);
    expect(challenge.status).toBe(401);
    const nonce = nonceOf(challenge.headers['WWW-Authenticate']);
    return send({ ...headers, CSeq: '2 REGISTER', Authorization: authorization({ username: user, password, nonce, uri }) }, options);
  }

  beforeAll(async () => {
    kit = await SipTestKit.start();
    staffId = await kit.addStaff('op1', 'right-password');
    await kit.addStaff('op2', 'other-password');
    await kit.addStaff('gone', 'pw', { active: false });
    registrar = createRegistrar({
      redis: kit.redis, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock,
      lockout: { maxFailuresPerIp: 5, maxFailuresPerUser: 4 },
      trunks: ['192.0.2.7'], maxBindingsPerPerson: 3, authExemptNetworks: ['10.20.0.0/16'],
    });
  });

  afterAll(async () => {
    await registrar.stop();
    await kit.close();
  });

  beforeEach(async () => {
    await kit.redis.flushall();
  });

  it('challenges, then accepts the right password and echoes the Contact with expires (sip.js needs it)', async () => {
    call += 1;
    const challenge = await send(baseHeaders('op1'));
    expect(challenge).toMatchObject({ status: 401, reason: 'Unauthorized' });
    expect(challenge.headers['WWW-Authenticate']).toMatch(/^Digest realm="switchboard\.test", nonce="[0-9a-f]{60}", algorithm=MD5, qop="auth"$/);
    const nonce = nonceOf(challenge.headers['WWW-Authenticate']);
    const ok = await send({ ...baseHeaders('op1', { Expires: '300', 'User-Agent': 'Desk/1.0' }), CSeq: '2 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce, uri }) });
    expect(ok.status).toBe(200);
    expect(ok.headers.Contact).toBe('<sip:op1@192.0.2.10:5060>;expires=300');
    expect(new Date(ok.headers.Date!).getTime()).toBe(kit.clock.now());
    const contacts = await registrar.contactsOf(staffId);
    expect(contacts).toEqual([
      expect.objectContaining({ uri: 'sip:op1@192.0.2.10:5060', transport: 'udp', sourceAddress: '192.0.2.10', sourcePort: 5060, userAgent: 'Desk/1.0', expiresAt: kit.clock.now() + 300_000 }),
    ]);
  });

  it('refuses a wrong password and an unknown user with the very same answer, and counts both', async () => {
    const wrong = await register('op1', 'guess');
    const unknown = await register('nobody', 'guess');
    const inactive = await register('gone', 'pw');
    for (const r of [wrong, unknown, inactive]) expect(r).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
    expect(await registrar.contactsOf(staffId)).toEqual([]);
    expect(await kit.redis.hget('sb:sip:{auth}:fail:ip:192.0.2.10', 'count')).toBe('3');
    expect(await kit.redis.hget('sb:sip:{auth}:fail:user:nobody', 'count')).toBe('1');
    expect(await kit.redis.hget('sb:sip:{auth}:fail:user:op1', 'count')).toBe('1');
  });

  it('takes as long for an unknown user as for a known user with a wrong password', async () => {
    const attempt = async (user: string, i: number): Promise<number> => {
      call += 1;
      const ip = `198.18.${i % 250}.1`;
      const challenge = await send(baseHeaders(user), { ip });
      const headers = { ...baseHeaders(user), CSeq: '2 REGISTER', Authorization: authorization({ username: user, password: 'guess', nonce: nonceOf(challenge.headers['WWW-Authenticate']), uri }) };
      const started = process.hrtime.bigint();
      const r = await send(headers, { ip });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(r).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
      await kit.redis.flushall();
      return ms;
    };
    // Warm-up (prepared statements, script loading), then alternate the two kinds so drift hits both alike.
    for (let i = 0; i < 20; i += 1) await attempt(i % 2 ? 'op2' : 'nobody-here', i);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 120; i += 1) {
      if (i % 2 === 0) known.push(await attempt('op2', i));
      else unknown.push(await attempt('nobody-here', i));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`REGISTER 403 median over ${known.length} each: known user ${median(known).toFixed(3)} ms, unknown user ${median(unknown).toFixed(3)} ms`);
    // Same work on both paths: the medians may only differ by noise.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(Math.max(0.5, 0.3 * Math.max(median(known), median(unknown))));
  });

  it('refuses a replayed nonce-count and re-challenges a stale nonce with stale=TRUE', async () => {
    call += 1;
    const challenge = await send(baseHeaders('op1'));
    const nonce = nonceOf(challenge.headers['WWW-Authenticate']);
    const auth = authorization({ username: 'op1', password: 'right-password', nonce, uri, nc: 1, cnonce: 'fixed' });
    expect((await send({ ...baseHeaders('op1'), CSeq: '2 REGISTER', Authorization: auth })).status).toBe(200);
    // The same Authorization in a new request (what an eavesdropper can do).
    const replay = await send({ ...baseHeaders('op1'), CSeq: '3 REGISTER', Authorization: auth });
    expect(replay.status).toBe(401);
    expect(replay.headers['WWW-Authenticate']).not.toMatch(/stale/);
    // The UA itself moves on with nc=2 (RFC 2617 §3.2.2): accepted.
    expect((await send({ ...baseHeaders('op1'), CSeq: '4 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce, uri, nc: 2 }) })).status).toBe(200);
    kit.clock.advance(5 * 60_000);
    const stale = await send({ ...baseHeaders('op1'), CSeq: '5 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce, uri, nc: 3 }) });
    expect(stale.status).toBe(401);
    expect(stale.headers['WWW-Authenticate']).toMatch(/stale=TRUE$/);
    // A stale nonce with a wrong password is a wrong password, not "stale".
    expect((await send({ ...baseHeaders('op1'), CSeq: '6 REGISTER', Authorization: authorization({ username: 'op1', password: 'nope', nonce, uri, nc: 4 }) })).status).toBe(403);
    // A nonce we never issued, with the right password: stale, so the UA simply retries.
    const forged = await send({ ...baseHeaders('op1'), CSeq: '7 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce: 'f'.repeat(32), uri }) });
    expect(forged.headers['WWW-Authenticate']).toMatch(/stale=TRUE$/);
  });

  it('answers malformed requests with 400 or a fresh 401, never a crash', async () => {
    call += 1;
    const nonce = nonceOf((await send(baseHeaders('op1'))).headers['WWW-Authenticate']);
    const good = authorization({ username: 'op1', password: 'right-password', nonce, uri });
    const cases: Array<[Record<string, string>, number]> = [
      [{ ...baseHeaders('op1'), Authorization: 'Digest username="op1' }, 400],
      [{ ...baseHeaders('op1'), Authorization: 'Digest' }, 400],
      [{ ...baseHeaders('op1'), Authorization: good.replace(/nc=\w+/, 'nc=zz') }, 400],
      [{ ...baseHeaders('op1'), Authorization: good.replace(`uri="${uri}"`, 'uri="sip:elsewhere"') }, 400],
      [{ ...baseHeaders('op1'), Authorization: good.replace(REALM, 'other.realm') }, 401],
      [{ ...baseHeaders('op1'), Authorization: `${good}, algorithm=SHA-512-256`.replace(', algorithm=MD5', '') }, 401],
      [{ ...baseHeaders('op1'), Authorization: 'Basic b3AxOnB3' }, 400],
      [{ ...baseHeaders('op1'), Contact: '<sip:op1@host' }, 400],
      [{ ...baseHeaders('op1'), Contact: '<sip:op1@host>;expires=never' }, 400],
      [{ ...baseHeaders('op1'), Expires: 'tomorrow' }, 400],
      [{ ...baseHeaders('op1'), Contact: '*' }, 400],
      [{ ...baseHeaders('op1'), CSeq: 'one REGISTER' }, 400],
      [{ ...baseHeaders('op1'), To: 'garbage' }, 400],
      [{ ...baseHeaders('op1'), 'Call-ID': '' }, 400],
      [{ ...baseHeaders('op1'), Require: 'outbound' }, 420],
    ];
    for (const [headers, status] of cases) {
      expect([JSON.stringify(headers), (await send(headers)).status]).toEqual([JSON.stringify(headers), status]);
    }
  });

  it('lets nobody change another person\'s bindings with their own password (RFC 3261 §10.3 step 4)', async () => {
    call += 1;
    const nonce = nonceOf((await send(baseHeaders('op2'))).headers['WWW-Authenticate']);
    const r = await send({ ...baseHeaders('op2'), CSeq: '2 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce, uri }) });
    expect(r.status).toBe(403);
  });

  it('keeps two devices of one person, lists both, removes one with expires=0 and all with *', async () => {
    const events: PresenceEvent[] = [];
    const off = registrar.onPresence((e) => events.push(e));
    try {
      const desk = await register('op1', 'right-password', { Contact: '<sip:op1@192.0.2.10:5060>' });
      expect(desk.headers.Contact).toBe('<sip:op1@192.0.2.10:5060>;expires=600');
      const browser = await register(
        'op1', 'right-password',
        { Contact: '<sip:k2j4@abc.invalid;transport=ws>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:aa-bb>";expires=600', 'User-Agent': 'SIP.js/0.21' },
        { ip: '192.0.2.20', port: 40000, protocol: 'wss' },
      );
      expect(browser.status).toBe(200);
      // This request's device first (drachtio-server reads the first Contact's expires for the WebSocket), then the others.
      expect(browser.headers.Contact).toBe('<sip:k2j4@abc.invalid;transport=ws>;expires=600, <sip:op1@192.0.2.10:5060>;expires=600');
      const contacts = await registrar.contactsOf(staffId);
      expect(contacts.map((c) => [c.uri, c.transport, c.instanceId]).sort()).toEqual([
        ['sip:k2j4@abc.invalid;transport=ws', 'wss', 'urn:uuid:aa-bb'],
        ['sip:op1@192.0.2.10:5060', 'udp', null],
      ]);
      expect(events.map((e) => e.type)).toEqual(['staff-online']);

      const removeDesk = await register('op1', 'right-password', { Contact: '<sip:op1@192.0.2.10:5060>;expires=0' });
      expect(removeDesk.headers.Contact).toBe('<sip:k2j4@abc.invalid;transport=ws>;expires=600');
      const removeAll = await register('op1', 'right-password', { Contact: '*', Expires: '0' });
      expect(removeAll.status).toBe(200);
      expect(removeAll.headers.Contact).toBeUndefined();
      expect(await registrar.contactsOf(staffId)).toEqual([]);
      expect(events.map((e) => (e.type === 'staff-offline' ? `${e.type}:${e.reason}` : e.type))).toEqual(['staff-online', 'staff-offline:unregistered']);
    } finally {
      off();
    }
  });

  it('grants at most the maximum, refuses too short with 423 Min-Expires, and answers a query', async () => {
    const long = await register('op1', 'right-password', { Expires: '86400' });
    expect(long.headers.Contact).toBe('<sip:op1@192.0.2.10:5060>;expires=3600');
    const short = await register('op1', 'right-password', { Contact: '<sip:op1@192.0.2.10:5060>;expires=10' });
    expect(short).toEqual({ status: 423, reason: 'Interval Too Brief', headers: { 'Min-Expires': '60' } });
    kit.clock.advance(1000);
    call += 1;
    const challenge = await send(baseHeaders('op1'));
    const headers: Record<string, string> = { ...baseHeaders('op1'), CSeq: '2 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce: nonceOf(challenge.headers['WWW-Authenticate']), uri }) };
    delete headers.Contact;
    const query = await send(headers);
    expect(query.status).toBe(200);
    expect(query.headers.Contact).toBe('<sip:op1@192.0.2.10:5060>;expires=3599');
  });

  it('locks a source IP out after repeated failures, even for the right password, and blacklists it', async () => {
    const ip = '203.0.113.66';
    for (let i = 0; i < 5; i += 1) expect((await register(`guess${i}`, 'x', {}, { ip })).status).toBe(403);
    expect(await kit.redis.smembers('sb:sip:{auth}:blacklist')).toEqual([ip]);
    // Locked: even the first REGISTER gets 403 now, and the right password does not help.
    call += 1;
    expect((await send(baseHeaders('op1'), { ip })).status).toBe(403);
    // Other sources are not affected.
    expect((await register('op1', 'right-password', {}, { ip: '203.0.113.67' })).status).toBe(200);
    kit.clock.advance(60 * 60_000);
    await registrar.sweep();
    expect(await kit.redis.smembers('sb:sip:{auth}:blacklist')).toEqual([]);
    expect((await register('op1', 'right-password', {}, { ip })).status).toBe(200);
  });

  describe('digest failures slow guessing down without locking the right password out (issue 15)', () => {
    it('makes an address that guessed a name wait, while the right password from another address gets in at once', async () => {
      for (let i = 0; i < 4; i += 1) expect((await register('op2', 'wrong', {}, { ip: `198.51.100.${i + 1}` })).status).toBe(403);
      // The fifth guess from an address that already guessed is refused unchecked, the right password too.
      const waiting = await register('op2', 'other-password', {}, { ip: '198.51.100.1' });
      expect(waiting).toEqual({ status: 403, reason: 'Forbidden (too many failed attempts: try again later)', headers: {} });
      expect(await kit.redis.hget('sb:sip:{auth}:fail:user:op2', 'count')).toBe('4');
      // The person, from their own phone: in at once (this used to be a 15-minute lock-out).
      expect((await register('op2', 'other-password', {}, { ip: '198.51.100.99' })).status).toBe(200);
      // The success forgets the name's count, so the guessing address is no longer held back either.
      expect((await register('op2', 'other-password', {}, { ip: '198.51.100.1' })).status).toBe(200);
    });

    it('lets a guessing address try again once its wait, doubling with each failure, has passed', async () => {
      for (let i = 0; i < 4; i += 1) expect((await register('op2', 'wrong', {}, { ip: '198.51.100.7' })).status).toBe(403);
      // Four failures of one name: the first wait (1 s) has started. (The address is not locked: five failures lock it.)
      expect((await register('op2', 'other-password', {}, { ip: '198.51.100.7' })).reason).toMatch(/too many failed attempts/);
      kit.clock.advance(1000);
      // A fifth failure (from another address: five from one lock that address) doubles the wait to 2 s.
      expect((await register('op2', 'wrong', {}, { ip: '198.51.100.8' })).reason).toBe('Forbidden');
      kit.clock.advance(1999);
      expect((await register('op2', 'other-password', {}, { ip: '198.51.100.7' })).reason).toMatch(/too many failed attempts/);
      kit.clock.advance(1);
      expect((await register('op2', 'other-password', {}, { ip: '198.51.100.7' })).status).toBe(200);
    });

    it('never locks or blacklists a trunk address or an office network, however many failures come "from" them', async () => {
      for (const ip of ['192.0.2.7', '10.20.30.40']) {
        for (let i = 0; i < 12; i += 1) expect((await register(`guess${i}`, 'x', {}, { ip })).status).toBe(403);
        call += 1;
        expect((await send(baseHeaders('op1'), { ip })).status).toBe(401);
      }
      expect(await kit.redis.smembers('sb:sip:{auth}:blacklist')).toEqual([]);
      expect(await kit.redis.keys('sb:sip:{auth}:lock:*')).toEqual([]);
    });

    it('does not count malformed requests as failures', async () => {
      const ip = '203.0.113.90';
      for (let i = 0; i < 12; i += 1) {
        call += 1;
        expect((await send({ ...baseHeaders('op1'), Authorization: `Digest username="op1", realm="${REALM}", nonce="x", uri="${uri}", response="zz"` }, { ip })).status).toBe(400);
      }
      expect(await kit.redis.keys('sb:sip:{auth}:*')).toEqual([]);
      expect((await register('op1', 'right-password', {}, { ip })).status).toBe(200);
    });
  });

  describe('devices are rung where they registered from (issue 15)', () => {
    it('refuses a Contact at a trunk address or at another host than the source, with a reason, and stores nothing', async () => {
      const trunk = await register('op1', 'right-password', { Contact: '<sip:+79001234567@192.0.2.7:5060>' });
      expect(trunk).toEqual({ status: 403, reason: 'Forbidden (Contact names a SIP trunk)', headers: {} });
      const elsewhere = await register('op1', 'right-password', { Contact: '<sip:op1@198.51.100.20:5060>' });
      expect(elsewhere).toEqual({ status: 403, reason: 'Forbidden (Contact host is not where the REGISTER came from)', headers: {} });
      const fromTrunk = await register('op1', 'right-password', { Contact: '<sip:+79001234567@192.0.2.7:5060>' }, { ip: '192.0.2.7' });
      expect(fromTrunk.reason).toBe('Forbidden (REGISTER from a SIP trunk address)');
      expect(await registrar.contactsOf(staffId)).toEqual([]);
    });

    it('rings a UDP device at the source port of its REGISTER and echoes its Contact as sent', async () => {
      const ok = await register('op1', 'right-password', { Contact: '<sip:op1@192.0.2.10:5060;line=7>' }, { port: 40312 });
      expect(ok.headers.Contact).toBe('<sip:op1@192.0.2.10:5060;line=7>;expires=600');
      expect((await registrar.contactsOf(staffId)).map((c) => c.uri)).toEqual(['sip:op1@192.0.2.10:40312;line=7']);
    });

    it('keeps at most the configured number of devices per person: one more is refused, refreshes still pass', async () => {
      for (const port of [5061, 5062, 5063]) {
        expect((await register('op1', 'right-password', { Contact: `<sip:op1@192.0.2.10:${port}>` }, { port })).status).toBe(200);
      }
      const fourth = await register('op1', 'right-password', { Contact: '<sip:op1@192.0.2.10:5064>' }, { port: 5064 });
      expect(fourth).toEqual({ status: 403, reason: 'Forbidden (at most 3 registered devices per person)', headers: {} });
      expect((await register('op1', 'right-password', { Contact: '<sip:op1@192.0.2.10:5062>' }, { port: 5062 })).status).toBe(200);
      expect(await registrar.contactsOf(staffId)).toHaveLength(3);
    });
  });

  it('lets a browser that reloaded (a new Contact, the old one never unregistered) replace its own oldest registration at the limit, and no one else\'s', async () => {
    const browser = (tab: number, ip: string): Promise<SentResponse> => register('op1', 'right-password', { Contact: `<sip:tab${tab}@t${tab}.invalid;transport=ws>` }, { ip, port: 40000 + tab, protocol: 'wss' });
    expect((await register('op1', 'right-password', {}, { port: 5060 })).status).toBe(200);
    for (const tab of [1, 2]) {
      expect((await browser(tab, '192.0.2.30')).status).toBe(200);
      kit.clock.advance(1000);
    }
    // The limit (3) is reached: a third page load on that PC replaces its oldest, the desk phone stays.
    expect((await browser(3, '192.0.2.30')).status).toBe(200);
    expect((await registrar.contactsOf(staffId)).map((c) => c.contact).sort()).toEqual(['sip:op1@192.0.2.10:5060', 'sip:tab2@t2.invalid;transport=ws', 'sip:tab3@t3.invalid;transport=ws']);
    // A browser elsewhere pushes nobody out.
    expect((await browser(4, '192.0.2.31')).reason).toBe('Forbidden (at most 3 registered devices per person)');
  });

  describe('stateless nonces (issue 15)', () => {
    it('stores nothing in Redis for unauthenticated REGISTERs, and state for a nonce only once a digest with it is valid', async () => {
      const configured = createRegistrar({ redis: kit.redis, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock, nonceSecret: 's'.repeat(32) });
      const challenges: SentResponse[] = [];
      for (let i = 0; i < 200; i += 1) {
        const res = fakeResponse();
        await configured.handle(fakeRegister({ ...baseHeaders('op1'), 'Call-ID': `flood-${i}` }, { ip: `198.18.0.${i % 250}` }), res);
        challenges.push(res.sent[0]!);
      }
      expect(challenges.every((c) => c.status === 401)).toBe(true);
      expect(await kit.redis.dbsize()).toBe(0);
      // A wrong password with one of them writes failure counts, not nonce state.
      const nonce = nonceOf(challenges[10]!.headers['WWW-Authenticate']);
      const wrong = fakeResponse();
      await configured.handle(fakeRegister({ ...baseHeaders('op1'), CSeq: '2 REGISTER', Authorization: authorization({ username: 'op1', password: 'guess', nonce, uri }) }, { ip: '198.18.0.10' }), wrong);
      expect(wrong.sent[0]?.status).toBe(403);
      expect(await kit.redis.keys('sb:sip:nonce*')).toEqual([]);
      const right = fakeResponse();
      await configured.handle(fakeRegister({ ...baseHeaders('op1', { Contact: '<sip:op1@198.18.0.10:5060>' }), CSeq: '3 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce, uri }) }, { ip: '198.18.0.10' }), right);
      expect(right.sent[0]?.status).toBe(200);
      expect(await kit.redis.keys('sb:sip:nonce*')).toEqual([`sb:sip:nonce:${nonce}`]);
    });

    it('lets processes of one site accept each other\'s nonces (the secret shared once through Redis), and only from the address they were issued to', async () => {
      const [one, other] = [kit.connect(), kit.connect()].map((redis) => createRegistrar({ redis, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock }));
      call += 1;
      const challenge = fakeResponse();
      await one!.handle(fakeRegister(baseHeaders('op1')), challenge);
      const nonce = nonceOf(challenge.sent[0]!.headers['WWW-Authenticate']);
      const answer = (ip: string): Promise<SentResponse> => {
        const res = fakeResponse();
        return other!.handle(fakeRegister({ ...baseHeaders('op1', { Contact: `<sip:op1@${ip}:5060>` }), CSeq: '2 REGISTER', Authorization: authorization({ username: 'op1', password: 'right-password', nonce, uri }) }, { ip }), res).then(() => res.sent[0]!);
      };
      const elsewhere = await answer('192.0.2.99');
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.headers['WWW-Authenticate']).toMatch(/stale=TRUE$/);
      expect((await answer('192.0.2.10')).status).toBe(200);
    });
  });

  it('answers 503 with Retry-After when Redis is unreachable', async () => {
    const client = kit.connect();
    client.disconnect();
    const offline = createRegistrar({ redis: client, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock });
    const res = fakeResponse();
    await offline.handle(fakeRegister(baseHeaders('op1')), res);
    expect(res.sent[0]).toMatchObject({ status: 503, headers: { 'Retry-After': '10' } });
  });
});
