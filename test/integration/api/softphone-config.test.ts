import http from 'node:http';
import { createRootLogger } from '../../../src/logger';
import type { ComponentStatus } from '../../../src/api/api-context';
import { createRegistrar, type Registrar } from '../../../src/sip/registrar';
import { RegistrationStore } from '../../../src/sip/registration-store';
import { systemClock } from '../../../src/acd/clock';
import { loadConfig } from '../../../src/config/load-config';
import { DEMO_PASSWORD } from '../../../src/db/demo-seed';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { registerWithDigest, type SentResponse } from '../sip/sip-test-kit';

/**
 * `GET /api/softphone/config` and `GET /api/transfer-targets` over real HTTP,
 * Postgres and Redis, with the demo directory; the secret handed out is
 * proven against the real registrar on the same Redis and Postgres.
 */
describe('softphone configuration and transfer targets', () => {
  let h: ApiHarness;
  let registrar: Registrar;
  let sip: ComponentStatus = { name: 'sip', state: 'up', required: false };
  const config = loadConfig({ env: { NODE_ENV: 'test' } });
  const realm = config.sip.realm;
  const tokens: Record<string, string> = {};
  const staff: Record<string, number> = {};
  let call = 0;

  async function login(username: string): Promise<string> {
    const result = await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
    expect(result.status).toBe(200);
    return result.body.token;
  }

  /** A browser-style REGISTER over WS: challenge, then credentials; the final answer. */
  async function register(user: string, password: string): Promise<SentResponse> {
    call += 1;
    const headers = {
      To: `<sip:${user}@${realm}>`, From: `<sip:${user}@${realm}>;tag=t${call}`, 'Call-ID': `browser-${call}`, CSeq: '1 REGISTER',
      Contact: `<sip:x${call}@abcdefgh.invalid;transport=ws>;expires=300`,
    };
    return registerWithDigest(registrar, { headers, user, password, realm, transport: { protocol: 'ws' } });
  }

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, components: () => [sip] });
    for (const name of ['anna', 'ion', 'pavel']) tokens[name] = await login(name);
    const { rows } = await h.db.query<{ id: number; sip_username: string }>('SELECT id, sip_username FROM staff');
    for (const r of rows) staff[r.sip_username] = r.id;
    registrar = createRegistrar({ redis: h.redis, db: h.db, realm, logger: createRootLogger('silent') });
  });

  afterAll(async () => {
    await registrar?.stop();
    await h?.close();
  });

  it('gives the staff member their identity and a fresh short-lived SIP secret, never the permanent password', async () => {
    const first = await h.call('GET', '/api/softphone/config', { token: tokens.anna });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      staff: { id: staff.anna, name: 'Anna Petrova', role: 'operator', sipUsername: 'anna', departmentId: expect.any(Number), canDialOut: true },
      sip: {
        uri: `sip:anna@${realm}`, authorizationUsername: 'anna', authorizationPassword: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
        authorizationExpiresAt: expect.any(String), realm, displayName: 'Anna Petrova',
        // TLS is on by default: browsers on other PCs get the microphone only on HTTPS pages, whose sockets are WSS.
        wsServer: `wss://127.0.0.1:${config.drachtio.wssPort}`, iceServers: [], iceGatheringTimeoutMs: 500, registerExpiresSeconds: 300,
      },
      // anna serves the operators queue (demo: 30 s wrap-up).
      wrapUpSeconds: 30,
      locale: 'en',
    });
    expect(first.body.sip.authorizationPassword).not.toBe(DEMO_PASSWORD);
    expect(Date.parse(first.body.sip.authorizationExpiresAt) - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    const second = await h.call('GET', '/api/softphone/config', { token: tokens.anna });
    expect(second.body.sip.authorizationPassword).not.toBe(first.body.sip.authorizationPassword);

    // Both secrets register (two tabs), the permanent desk-phone password too; a made-up one does not.
    expect((await register('anna', first.body.sip.authorizationPassword)).status).toBe(200);
    expect((await register('anna', second.body.sip.authorizationPassword)).status).toBe(200);
    expect((await register('anna', DEMO_PASSWORD)).status).toBe(200);
    expect((await register('anna', 'not-the-secret')).status).toBe(403);
    // Anna's secret is hers only.
    expect((await register('ion', first.body.sip.authorizationPassword)).status).toBe(403);
  });

  it('takes the WebSocket host from the Host header the browser used, and says so when SIP is off', async () => {
    const viaName = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${h.baseUrl}/api/softphone/config`, { headers: { authorization: `Bearer ${tokens.ion}`, host: 'switchboard.example:8080' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
    expect((JSON.parse(viaName) as { sip: { wsServer: string } }).sip.wsServer).toBe(`wss://switchboard.example:${config.drachtio.wssPort}`);
    sip = { name: 'sip', state: 'disabled', required: false };
    try {
      const off = await h.call('GET', '/api/softphone/config', { token: tokens.ion });
      expect(off.status).toBe(200);
      expect(off.body.sip).toMatchObject({ authorizationUsername: 'ion', wsServer: null });
    } finally {
      sip = { name: 'sip', state: 'up', required: false };
    }
  });

  it('refuses a user with no staff member (409 NO_STAFF) and a caller without a token (401)', async () => {
    const admin = await h.call('GET', '/api/softphone/config', { token: h.tokens.admin });
    expect(admin.status).toBe(409);
    expect(admin.body.error.code).toBe('NO_STAFF');
    expect((await h.call('GET', '/api/softphone/config')).status).toBe(401);
  });

  it('lists transfer targets: queues with waiting calls, people with live state and phone, and the shortcuts', async () => {
    // A caller of Prodtorg (key client, manager Pavel) waits in the key-accounts queue; Ion is ready with a registered phone.
    const callId = '6a1f0c4e-1111-4c8e-9d55-000000000001';
    const prodtorg = (await h.db.query<{ id: number }>(`SELECT id FROM clients WHERE name = 'Prodtorg LLC'`)).rows[0]!.id;
    await h.acd!.enqueue({ callId, queueId: 'key_accounts', callerNumber: '+74951000002', meta: { clientId: prodtorg, reason: 'key client — own manager Pavel Orlov' } });
    expect((await h.call('POST', `/api/agents/${staff.ion}/state`, { token: tokens.ion, body: { state: 'ready' } })).status).toBe(200);
    const ionConfig = await h.call('GET', '/api/softphone/config', { token: tokens.ion });
    expect((await register('ion', ionConfig.body.sip.authorizationPassword)).status).toBe(200);
    expect(await new RegistrationStore({ redis: h.redis, clock: systemClock }).contactsOf(staff.ion!)).toHaveLength(1);

    // Anna (an operator not on this call) may not open its targets; a supervisor may.
    const denied = await h.call('GET', `/api/transfer-targets?callId=${callId}`, { token: tokens.anna });
    expect(denied.status).toBe(403);
    const targets = await h.call('GET', `/api/transfer-targets?callId=${callId}`, { token: h.tokens.supervisor });
    expect(targets.status).toBe(200);
    expect(targets.body.queues).toEqual(expect.arrayContaining([
      { name: 'key_accounts', label: 'Key-account managers', waiting: 1 },
      { name: 'operators', label: 'Operators (orders and enquiries)', waiting: 0 },
    ]));
    const ion = targets.body.people.find((p: { staffId: number }) => p.staffId === staff.ion);
    expect(ion).toEqual({ staffId: staff.ion, name: 'Ion Popescu', role: 'operator', department: 'Regional sales', state: 'ready', registered: true });
    const olga = targets.body.people.find((p: { staffId: number }) => p.staffId === staff.olga);
    expect(olga).toMatchObject({ state: 'logged_out', registered: false });
    expect(targets.body.shortcuts).toEqual({
      manager: { staffId: staff.pavel, name: 'Pavel Orlov' },
      finance: { kind: 'department', department: 'finance', label: 'Finance service' },
      quality: { kind: 'department', department: 'quality_control', label: 'Quality control' },
      secondLine: { kind: 'department', department: 'second_line', label: 'Second line support' },
    });
    // Without a call: no manager shortcut; the asker is not offered to themselves.
    const plain = await h.call('GET', '/api/transfer-targets', { token: tokens.ion });
    expect(plain.status).toBe(200);
    expect(plain.body.shortcuts.manager).toBeNull();
    expect(plain.body.people.map((p: { staffId: number }) => p.staffId)).not.toContain(staff.ion);
    expect((await h.call('GET', '/api/transfer-targets?callId=not-a-uuid', { token: tokens.ion })).status).toBe(400);
  });
});

describe('softphone configuration on a site with TLS off and a TURN server for operators behind NAT', () => {
  let h: ApiHarness;
  const env = { TLS: 'false', DRACHTIO_WS_PORT: '8099', SIP_ICE_SERVERS: 'stun:stun.office.example:3478,turn:turn.office.example:3478' };

  beforeAll(async () => {
    h = await startApiHarness({ demo: true, acd: true, components: () => [{ name: 'sip', state: 'up', required: false }], env });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('hands out plain ws:// on the WebSocket port and the configured ICE servers, with time to ask them', async () => {
    const token = (await h.call<{ token: string }>('POST', '/api/auth/login', { body: { username: 'ion', password: DEMO_PASSWORD } })).body.token;
    const result = await h.call('GET', '/api/softphone/config', { token });
    expect(result.status).toBe(200);
    expect(result.body.sip).toMatchObject({
      wsServer: 'ws://127.0.0.1:8099',
      iceServers: [{ urls: 'stun:stun.office.example:3478' }, { urls: 'turn:turn.office.example:3478' }],
      iceGatheringTimeoutMs: 2000,
    });
  });
});
