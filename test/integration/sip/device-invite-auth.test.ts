import { randomBytes } from 'node:crypto';
import { sipHa1 } from '../../../src/auth/sip-digest';
import type { CallServices } from '../../../src/sip/call-services';
import { DeviceCallHandler, type DeviceAuthVerdict } from '../../../src/sip/device-call-handler';
import { expectedDigestResponse } from '../../../src/sip/digest-auth';
import type { OutboundDialer } from '../../../src/sip/outbound-dialer';
import { createRegistrar, type Registrar } from '../../../src/sip/registrar';
import type { InboundRequest } from '../../../src/sip/srf-types';
import { nonceOf, REALM, SipTestKit } from './sip-test-kit';

/**
 * A staff device's INVITE is authenticated with the registrar's nonces and
 * failure rules (issue 15): challenges store nothing, malformed credentials
 * are not failures, and guessing slows the guessing address down without
 * keeping the right password out. Real Redis and Postgres; the request is a
 * plain object shaped like drachtio-srf's.
 */
describe('device INVITE authentication (real Redis and Postgres)', () => {
  let kit: SipTestKit;
  let registrar: Registrar;
  let handler: DeviceCallHandler;
  const requestUri = `sip:+74951234567@${REALM}`;

  function invite(ip: string, proxyAuthorization?: string): InboundRequest {
    const headers = new Map<string, string>([['call-id', randomBytes(6).toString('hex')], ...(proxyAuthorization ? [['proxy-authorization', proxyAuthorization] as [string, string]] : [])]);
    return { method: 'INVITE', uri: requestUri, source_address: ip, source_port: 5060, protocol: 'udp', get: (name) => headers.get(name.toLowerCase()) };
  }

  function credentials(o: { username: string; password: string; nonce: string; nc?: number }): string {
    const ncHex = (o.nc ?? 1).toString(16).padStart(8, '0');
    const cnonce = randomBytes(4).toString('hex');
    const response = expectedDigestResponse({ ha1: sipHa1(o.username, REALM, o.password), method: 'INVITE', uri: requestUri, nonce: o.nonce, ncHex, cnonce, qop: 'auth' });
    return `Digest username="${o.username}", realm="${REALM}", nonce="${o.nonce}", uri="${requestUri}", response="${response}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=${ncHex}`;
  }

  /** 407, then the INVITE again with credentials: the verdict on the second. */
  async function attempt(ip: string, username: string, password: string): Promise<DeviceAuthVerdict> {
    const challenge = await handler.authenticate(invite(ip));
    if (challenge.kind !== 'refuse' || challenge.status !== 407) throw new Error(`expected 407, got ${JSON.stringify(challenge)}`);
    return handler.authenticate(invite(ip, credentials({ username, password, nonce: nonceOf(challenge.headers['Proxy-Authenticate']) })));
  }

  beforeAll(async () => {
    kit = await SipTestKit.start();
    await kit.addStaff('anna', 'anna-password');
    registrar = createRegistrar({
      redis: kit.redis, db: kit.db, realm: REALM, logger: kit.logger, clock: kit.clock, nonceSecret: 'n'.repeat(32),
      lockout: { maxFailuresPerIp: 50, maxFailuresPerUser: 3 },
    });
    // Only authenticate() is exercised: nothing here places a call.
    handler = new DeviceCallHandler({ registrar, logger: kit.logger, db: kit.db, defaultCountry: 'RU', services: {} as CallServices, dialer: {} as OutboundDialer });
  });

  afterAll(async () => {
    await registrar.stop();
    await kit.close();
  });

  beforeEach(async () => {
    await kit.redis.flushall();
  });

  it('challenges a flood of unauthenticated INVITEs without storing anything', async () => {
    for (let i = 0; i < 100; i += 1) expect(await handler.authenticate(invite(`198.18.1.${i}`))).toMatchObject({ kind: 'refuse', status: 407 });
    expect(await kit.redis.dbsize()).toBe(0);
    expect(await attempt('198.18.1.1', 'anna', 'anna-password')).toMatchObject({ kind: 'authenticated', staff: { username: 'anna' } });
  });

  it('answers malformed Proxy-Authorization with 400 without counting it as a failure', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect(await handler.authenticate(invite('203.0.113.5', `Digest username="anna", realm="${REALM}", nonce="x", uri="${requestUri}", response="zz"`))).toMatchObject({ status: 400 });
    }
    expect(await kit.redis.keys('*')).toEqual([]);
  });

  it('holds a guessing address back while the right password from another address gets through', async () => {
    for (let i = 0; i < 3; i += 1) expect(await attempt('203.0.113.6', 'anna', 'guess')).toMatchObject({ kind: 'refuse', status: 403, reason: 'Forbidden' });
    expect(await attempt('203.0.113.6', 'anna', 'anna-password')).toEqual({ kind: 'refuse', status: 403, reason: 'Forbidden (too many failed attempts: try again later)', headers: {} });
    expect(await attempt('203.0.113.7', 'anna', 'anna-password')).toMatchObject({ kind: 'authenticated' });
  });
});
