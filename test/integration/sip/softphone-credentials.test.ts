import { createRegistrar, type Registrar } from '../../../src/sip/registrar';
import { MAX_SOFTPHONE_SECRETS, SoftphoneSecrets } from '../../../src/sip/softphone-credentials';
import { authorization, fakeRegister, fakeResponse, nonceOf, REALM, SipTestKit, type SentResponse } from './sip-test-kit';

/**
 * Short-lived softphone secrets against the real registrar (real Redis and
 * Postgres, drachtio-srf-shaped requests): the browser registers with the
 * secret, the desk phone keeps working with the permanent password, and
 * everything that was refused before is still refused the same way.
 */
describe('softphone SIP secrets in the registrar (real Redis and Postgres)', () => {
  let kit: SipTestKit;
  let registrar: Registrar;
  let secrets: SoftphoneSecrets;
  let call = 0;
  const uri = `sip:${REALM}`;

  const headers = (user: string, extra: Record<string, string> = {}): Record<string, string> => ({
    To: `<sip:${user}@${REALM}>`,
    From: `<sip:${user}@${REALM}>;tag=t${call}`,
    'Call-ID': `softphone-${call}`,
    CSeq: '1 REGISTER',
    Contact: `<sip:${user}-${call}@abcdef.invalid;transport=ws>`,
    ...extra,
  });

  async function send(h: Record<string, string>): Promise<SentResponse> {
    const res = fakeResponse();
    await registrar.handle(fakeRegister(h, { protocol: 'ws' }), res);
    expect(res.sent).toHaveLength(1);
    return res.sent[0]!;
  }

  /** REGISTER, 401, REGISTER with the password: the final answer. */
  async function register(user: string, password: string): Promise<SentResponse> {
    call += 1;
    const challenge = await send(headers(user));
    expect(challenge.status).toBe(401);
    const nonce = nonceOf(challenge.headers['WWW-Authenticate']);
    return send({ ...headers(user), CSeq: '2 REGISTER', Authorization: authorization({ username: user, password, nonce, uri }) });
  }

  beforeAll(async () => {
    kit = await SipTestKit.start();
    await kit.addStaff('anna', 'desk-phone-password');
    await kit.addStaff('other', 'other-password');
    await kit.addStaff('left', 'left-password', { active: false });
    // A person with a SIP name but no desk phone: the softphone secret is their only way in.
    await kit.db.query(`INSERT INTO staff (full_name, role, sip_username) VALUES ('Web Only', 'operator', 'webonly')`);
    registrar = createRegistrar({ redis: kit.redis, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock, lockout: { maxFailuresPerIp: 1000, maxFailuresPerUser: 1000 } });
    secrets = new SoftphoneSecrets({ redis: kit.redis, clock: kit.clock });
  });

  afterAll(async () => {
    await registrar.stop();
    await kit.close();
  });

  beforeEach(async () => {
    await kit.redis.flushall();
  });

  it('accepts the softphone secret, and the permanent password still works alongside it', async () => {
    const issued = await secrets.issue('anna', REALM);
    expect(issued.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(issued.expiresAt).toBe(kit.clock.now() + 12 * 3600_000);
    expect(await register('anna', issued.password)).toMatchObject({ status: 200 });
    expect(await register('anna', 'desk-phone-password')).toMatchObject({ status: 200 });
    // Only the HA1 is in Redis, never the secret itself.
    const stored = await kit.redis.zrange('sb:sip:softphone:anna', 0, -1);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(await kit.redis.keys('*'))).not.toContain(issued.password);
  });

  it('refuses a secret once it has expired, and another person\'s secret, with the usual 403', async () => {
    const issued = await secrets.issue('anna', REALM);
    expect(await register('other', issued.password)).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
    kit.clock.advance(12 * 3600_000 + 1);
    expect(await register('anna', issued.password)).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
    expect(await register('anna', 'desk-phone-password')).toMatchObject({ status: 200 });
  });

  it('lets a person without a desk-phone password in with a secret only, and no one else', async () => {
    expect(await register('webonly', 'anything')).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
    const issued = await secrets.issue('webonly', REALM);
    expect(await register('webonly', issued.password)).toMatchObject({ status: 200 });
    expect(await register('webonly', 'anything')).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
  });

  it('gives an inactive person and an unknown name the same refusal even with a secret issued for the name', async () => {
    const forLeft = await secrets.issue('left', REALM);
    const forNobody = await secrets.issue('nobody', REALM);
    expect(await register('left', forLeft.password)).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
    expect(await register('nobody', forNobody.password)).toEqual({ status: 403, reason: 'Forbidden', headers: {} });
  });

  it('keeps the newest secrets: issuing one more than the limit retires the oldest', async () => {
    const issued = [];
    for (let i = 0; i <= MAX_SOFTPHONE_SECRETS; i += 1) {
      issued.push(await secrets.issue('anna', REALM));
      kit.clock.advance(1000);
    }
    expect(await kit.redis.zcard('sb:sip:softphone:anna')).toBe(MAX_SOFTPHONE_SECRETS);
    expect(await register('anna', issued[0]!.password)).toMatchObject({ status: 403 });
    expect(await register('anna', issued[1]!.password)).toMatchObject({ status: 200 });
    expect(await register('anna', issued.at(-1)!.password)).toMatchObject({ status: 200 });
  });

  it('still counts failures and holds the guessing address back, secret or not', async () => {
    const strict = createRegistrar({ redis: kit.redis, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock, lockout: { maxFailuresPerIp: 1000, maxFailuresPerUser: 2 } });
    const original = registrar;
    registrar = strict;
    try {
      const issued = await secrets.issue('anna', REALM);
      expect(await register('anna', 'guess-1')).toMatchObject({ status: 403 });
      expect(await register('anna', 'guess-2')).toMatchObject({ status: 403 });
      // This address guessed: even the right secret from it is refused until its wait (1 s) ends (issue 15: a wait, not a lock).
      expect(await register('anna', issued.password)).toMatchObject({ status: 403, reason: 'Forbidden (too many failed attempts: try again later)' });
      expect(await kit.redis.hget('sb:sip:{auth}:fail:user:anna', 'count')).toBe('2');
      kit.clock.advance(1000);
      expect(await register('anna', issued.password)).toMatchObject({ status: 200 });
    } finally {
      registrar = original;
      await strict.stop();
    }
  });

  it('revokes every secret of a person at once', async () => {
    const issued = await secrets.issue('anna', REALM);
    await secrets.revokeAll('anna');
    expect(await register('anna', issued.password)).toMatchObject({ status: 403 });
  });
});
