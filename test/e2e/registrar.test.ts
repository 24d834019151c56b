import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { sipHa1 } from '../../src/auth/sip-digest';
import { createPool, GENERAL_POOL, type Db } from '../../src/db/pool';
import { createRootLogger } from '../../src/logger';
import { freeTcpPort, type RunningService } from '../../src/platform/managed-process';
import { expectedDigestResponse } from '../../src/sip/digest-auth';
import { startDrachtioServer, type DrachtioBlacklist } from '../../src/sip/drachtio-process';
import { createRegistrar, type Registrar } from '../../src/sip/registrar';
import type { PresenceEvent } from '../../src/sip/registration-store';
import { SipConnection } from '../../src/sip/sip-connection';
import { SipKeys } from '../../src/sip/sip-keys';
import type { SrfApp } from '../../src/sip/srf-types';
import { describeWithDrachtio } from '../helpers/drachtio';
import { createTestDatabase, startTestRedis, type TestDatabase } from '../helpers/test-env';
import { quietPeriod, untilPasses } from '../helpers/eventually';

const REALM = 'switchboard.e2e';
/** The trunk calls go out to, on an address of its own: no device may ever be rung there. */
const TRUNK_IP = '127.0.0.5';
const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'sipp');
const logger = createRootLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

/** Runs sipp once; resolves with its exit code (0 = every call passed the scenario) and output. */
function runSipp(target: string, scenario: string, options: { ip: string; port: number; user: string; password: string; keys: Record<string, string>; calls?: number; cwd: string }): Promise<{ code: number | null; output: string }> {
  const args = [
    target, '-sf', path.join(FIXTURES, scenario), '-m', String(options.calls ?? 1), '-r', '20',
    '-i', options.ip, '-p', String(options.port), '-au', options.user, '-ap', options.password,
    '-timeout', '20s', '-timeout_error', '-nostdin',
  ];
  for (const [key, value] of Object.entries(options.keys)) args.push('-key', key, value);
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

interface SipReply {
  statusLine: string;
  status: number;
  headers: Array<[string, string]>;
  header(name: string): string | undefined;
}

function parseReply(text: string): SipReply {
  const [head = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = lines.map((l) => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon).trim(), l.slice(colon + 1).trim()] as [string, string];
  });
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, header: (name) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] };
}

/** A bare UDP SIP endpoint bound to one source address: to see responses byte for byte, replay requests, and be blacklisted. */
class UdpSipClient {
  /** Requests that reached this endpoint (an INVITE to a phone, or to where no INVITE may ever go). */
  readonly requests: string[] = [];

  private constructor(
    private readonly socket: dgram.Socket,
    readonly ip: string,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      const text = msg.toString();
      if (text.startsWith('SIP/2.0')) return;
      this.requests.push(text);
      // A phone that is busy: every INVITE gets 486 (drachtio-server sends the ACK).
      if (text.startsWith('INVITE ')) socket.send(this.busy(text), rinfo.port, rinfo.address);
    });
  }

  private busy(request: string): string {
    const [head = ''] = request.split('\r\n\r\n');
    const lines = head.split('\r\n').slice(1);
    const pick = (name: string): string[] => lines.filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    const to = pick('To')[0] ?? 'To: <sip:unknown>';
    return ['SIP/2.0 486 Busy Here', ...pick('Via'), ...pick('From'), `${to};tag=${randomBytes(4).toString('hex')}`, ...pick('Call-ID'), ...pick('CSeq'), 'Content-Length: 0', '', ''].join('\r\n');
  }

  static open(ip: string): Promise<UdpSipClient> {
    const socket = dgram.createSocket('udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, ip, () => resolve(new UdpSipClient(socket, ip, socket.address().port)));
    });
  }

  /** Sends a request and resolves with its final response, or null when none comes (dropped). */
  request(message: string, target: { host: string; port: number }, timeoutMs = 3000): Promise<SipReply | null> {
    const cseq = /\r\nCSeq: ([^\r]+)/.exec(message)?.[1];
    const callId = /\r\nCall-ID: ([^\r]+)/.exec(message)?.[1];
    return new Promise((resolve) => {
      const onMessage = (msg: Buffer): void => {
        if (!msg.toString().startsWith('SIP/2.0')) return;
        const reply = parseReply(msg.toString());
        if (reply.status >= 200 && reply.header('CSeq') === cseq && reply.header('Call-ID') === callId) finish(reply);
      };
      const finish = (reply: SipReply | null): void => {
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(reply);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      this.socket.on('message', onMessage);
      this.socket.send(message, target.port, target.host);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  register(o: { host: string; port: number; user: string; callId: string; cseq: number; contactUser?: string; contact?: string; expires?: number; authorization?: string }): string {
    return [
      `REGISTER sip:${o.host}:${o.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.ip}:${this.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:${o.user}@${o.host}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${o.user}@${o.host}>`,
      `Call-ID: ${o.callId}`,
      `CSeq: ${o.cseq} REGISTER`,
      `Contact: <${o.contact ?? `sip:${o.contactUser ?? o.user}@${this.ip}:${this.port}`}>`,
      ...(o.expires === undefined ? [] : [`Expires: ${o.expires}`]),
      ...(o.authorization ? [`Authorization: ${o.authorization}`] : []),
      'User-Agent: e2e-udp-client',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  options(host: string, port: number): string {
    return [
      `OPTIONS sip:${host}:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.ip}:${this.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:probe@${this.ip}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${host}:${port}>`,
      `Call-ID: ${randomBytes(8).toString('hex')}`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }
}

function digestFor(challenge: string | undefined, o: { user: string; password: string; uri: string; nc?: number; cnonce?: string }): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge ?? '')?.[1];
  if (!nonce) throw new Error(`no nonce in ${String(challenge)}`);
  const ncHex = (o.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = o.cnonce ?? randomBytes(4).toString('hex');
  const response = expectedDigestResponse({ ha1: sipHa1(o.user, REALM, o.password), method: 'REGISTER', uri: o.uri, nonce, ncHex, cnonce, qop: 'auth' });
  return `Digest username="${o.user}", realm="${REALM}", nonce="${nonce}", uri="${o.uri}", response="${response}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=${ncHex}`;
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  await untilPasses(async () => {
    if (!(await check())) throw new Error(`timed out waiting for ${what}`);
  }, timeoutMs, 50);
}

/** drachtio-server + this app's SipConnection with the registrar mounted; stop() releases both. */
async function startSipStack(workDir: string, blacklist: DrachtioBlacklist, registrar: Registrar | null): Promise<{ sipPort: number; srf: SrfApp; stop(): Promise<void> }> {
  const [adminPort, sipPort, wsPort] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  const secret = randomBytes(8).toString('hex');
  const drachtio: RunningService = await startDrachtioServer({ binary: 'drachtio', adminPort, secret, listen: { addresses: ['127.0.0.1'], sipPort, wsPort, tls: null }, workDir, blacklist });
  let connection: SipConnection | null = null;
  try {
    connection = new SipConnection({ host: '127.0.0.1', port: adminPort, secret, logger });
    registrar?.mount(connection.srf);
    connection.connect();
    const c = connection;
    await waitUntil(() => c.status().state === 'up', 10000, 'the drachtio connection');
  } catch (err) {
    connection?.disconnect();
    await drachtio.stop();
    throw err;
  }
  const c = connection;
  return {
    sipPort,
    srf: c.srf,
    async stop() {
      try {
        c.disconnect();
      } finally {
        await drachtio.stop();
      }
    },
  };
}

describeWithDrachtio('registrar through a real drachtio-server, driven by sipp', () => {
  const keys = new SipKeys();
  let workDir: string;
  let redisServer: RunningService & { port: number };
  let database: TestDatabase;
  let db: Db;
  let redis: Redis;
  let registrar: Registrar;
  let stack: { sipPort: number; srf: SrfApp; stop(): Promise<void> };
  let target: string;
  let blacklist: DrachtioBlacklist;
  const staff: Record<string, number> = {};

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-registrar-e2e-'));
    redisServer = await startTestRedis();
    database = await createTestDatabase();
    db = createPool(database.url, logger, { ...GENERAL_POOL, max: 4 });
    redis = new Redis({ host: '127.0.0.1', port: redisServer.port, maxRetriesPerRequest: 1 });
    for (const [user, password] of [['op1', 'op1-secret'], ['op2', 'op2-secret'], ['op3', 'op3-secret']] as const) {
      const { rows } = await db.query<{ id: number }>(
        "INSERT INTO staff (full_name, role, sip_username, sip_ha1, sip_realm) VALUES ($1, 'operator', $2, $3, $4) RETURNING id",
        [`Operator ${user}`, user, sipHa1(user, REALM, password), REALM],
      );
      staff[user] = rows[0]!.id;
    }
    registrar = createRegistrar({ redis, db, realm: REALM, logger, keys, lockout: { maxFailuresPerIp: 5, maxFailuresPerUser: 100 }, sweepIntervalMs: 1000, trunks: [TRUNK_IP] });
    registrar.start();
    blacklist = { redisHost: '127.0.0.1', redisPort: redisServer.port, redisKey: keys.blacklist(), refreshSecs: 1 };
    stack = await startSipStack(path.join(workDir, 'drachtio-1'), blacklist, registrar);
    target = `127.0.0.1:${stack.sipPort}`;
  }, 60000);

  afterAll(async () => {
    try {
      await registrar?.stop();
      await stack?.stop();
    } finally {
      redis?.disconnect();
      await db?.end();
      await database?.drop();
      await redisServer?.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 30000);

  it('accepts the right password: 401, then 200 echoing the Contact with expires; the binding is in Redis', async () => {
    const port = await freeTcpPort();
    const run = await runSipp(target, 'register.xml', { ip: '127.0.0.1', port, user: 'op1', password: 'op1-secret', keys: { user: 'op1', contact_user: 'op1-desk', expires: '300' }, cwd: workDir });
    expect([run.code, run.output.slice(-2000)]).toEqual([0, expect.any(String)]);
    const contacts = await registrar.contactsOf(staff.op1!);
    const desk = contacts.find((c) => c.uri === `sip:op1-desk@127.0.0.1:${port}`);
    expect(desk).toMatchObject({ transport: 'udp', sourceAddress: '127.0.0.1', sourcePort: port, userAgent: 'sipp-register', username: 'op1' });
    expect(desk!.expiresAt - Date.now()).toBeGreaterThan(290_000);
    expect(desk!.expiresAt - Date.now()).toBeLessThanOrEqual(300_000);
    const stored = await redis.hvals(keys.contacts(staff.op1!));
    expect(stored.map((v) => (JSON.parse(v) as { uri: string }).uri)).toContain(`sip:op1-desk@127.0.0.1:${port}`);
  });

  it('refuses a wrong password with 403, and gives an unknown user exactly the same answer', async () => {
    const wrong = await runSipp(target, 'register-refused.xml', { ip: '127.0.0.3', port: await freeTcpPort(), user: 'op1', password: 'guess', keys: { user: 'op1', contact_user: 'op1' }, cwd: workDir });
    const unknown = await runSipp(target, 'register-refused.xml', { ip: '127.0.0.3', port: await freeTcpPort(), user: 'nobody', password: 'guess', keys: { user: 'nobody', contact_user: 'nobody' }, cwd: workDir });
    expect([wrong.code, unknown.code]).toEqual([0, 0]);

    // The same two attempts byte for byte: only what echoes the request itself may differ.
    const client = await UdpSipClient.open('127.0.0.3');
    try {
      const attempt = async (user: string): Promise<SipReply> => {
        const callId = randomBytes(8).toString('hex');
        const challenge = await client.request(client.register({ host: '127.0.0.1', port: stack.sipPort, user, callId, cseq: 1 }), { host: '127.0.0.1', port: stack.sipPort });
        expect(challenge?.status).toBe(401);
        const authorization = digestFor(challenge!.header('WWW-Authenticate'), { user, password: 'guess', uri: `sip:127.0.0.1:${stack.sipPort}` });
        const reply = await client.request(client.register({ host: '127.0.0.1', port: stack.sipPort, user, callId, cseq: 2, authorization }), { host: '127.0.0.1', port: stack.sipPort });
        return reply!;
      };
      const known = await attempt('op1');
      const stranger = await attempt('nobody');
      const echoed = new Set(['via', 'from', 'to', 'call-id', 'cseq']);
      const shape = (r: SipReply): Array<[string, string]> => r.headers.map(([n, v]) => [n, echoed.has(n.toLowerCase()) ? '(echo)' : v]);
      expect(known.statusLine).toBe('SIP/2.0 403 Forbidden');
      expect(stranger.statusLine).toBe(known.statusLine);
      expect(shape(stranger)).toEqual(shape(known));
    } finally {
      await client.close();
    }
    expect(await registrar.contactsOf(staff.op1!)).not.toContainEqual(expect.objectContaining({ sourceAddress: '127.0.0.3' }));
  });

  it('refuses a replayed nonce and accepts the next nonce-count', async () => {
    const client = await UdpSipClient.open('127.0.0.4');
    const to = { host: '127.0.0.1', port: stack.sipPort };
    try {
      const callId = randomBytes(8).toString('hex');
      const challenge = await client.request(client.register({ ...to, user: 'op2', callId, cseq: 1, contactUser: 'op2-replay' }), to);
      const uri = `sip:127.0.0.1:${stack.sipPort}`;
      const authorization = digestFor(challenge!.header('WWW-Authenticate'), { user: 'op2', password: 'op2-secret', uri, nc: 1, cnonce: 'c0ffee' });
      const ok = await client.request(client.register({ ...to, user: 'op2', callId, cseq: 2, contactUser: 'op2-replay', expires: 120, authorization }), to);
      expect(ok?.statusLine).toBe('SIP/2.0 200 OK');
      expect(ok?.header('Contact')).toContain(`<sip:op2-replay@127.0.0.4:${client.port}>;expires=120`);
      // The captured Authorization, sent again in a new transaction.
      const replay = await client.request(client.register({ ...to, user: 'op2', callId, cseq: 3, contactUser: 'op2-replay', expires: 120, authorization }), to);
      expect(replay?.status).toBe(401);
      expect(replay?.header('WWW-Authenticate')).not.toMatch(/stale/i);
      const next = digestFor(challenge!.header('WWW-Authenticate'), { user: 'op2', password: 'op2-secret', uri, nc: 2 });
      const refreshed = await client.request(client.register({ ...to, user: 'op2', callId, cseq: 4, contactUser: 'op2-replay', expires: 0, authorization: next }), to);
      expect(refreshed?.status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it('keeps two devices of one person and lists both; un-REGISTER removes one, then * removes the rest', async () => {
    const events: PresenceEvent[] = [];
    const off = registrar.onPresence((e) => events.push(e));
    try {
      const deskPort = await freeTcpPort();
      const softPort = await freeTcpPort();
      const base = { ip: '127.0.0.1', user: 'op2', password: 'op2-secret', cwd: workDir };
      expect((await runSipp(target, 'register.xml', { ...base, port: deskPort, keys: { user: 'op2', contact_user: 'op2-desk', expires: '600' } })).code).toBe(0);
      expect((await runSipp(target, 'register.xml', { ...base, port: softPort, keys: { user: 'op2', contact_user: 'op2-soft', expires: '600' } })).code).toBe(0);
      const both = await registrar.contactsOf(staff.op2!);
      expect(both.map((c) => c.uri).sort()).toEqual([`sip:op2-desk@127.0.0.1:${deskPort}`, `sip:op2-soft@127.0.0.1:${softPort}`]);
      expect(events.filter((e) => e.staffId === staff.op2).map((e) => e.type)).toEqual(['staff-online']);

      expect((await runSipp(target, 'unregister.xml', { ...base, port: deskPort, keys: { user: 'op2', contact: `<sip:op2-desk@127.0.0.1:${deskPort}>` } })).code).toBe(0);
      expect((await registrar.contactsOf(staff.op2!)).map((c) => c.uri)).toEqual([`sip:op2-soft@127.0.0.1:${softPort}`]);

      expect((await runSipp(target, 'unregister.xml', { ...base, port: deskPort, keys: { user: 'op2', contact: '*' } })).code).toBe(0);
      expect(await registrar.contactsOf(staff.op2!)).toEqual([]);
      expect(await redis.exists(keys.contacts(staff.op2!))).toBe(0);
      expect(events.filter((e) => e.staffId === staff.op2).map((e) => (e.type === 'staff-offline' ? `offline:${e.reason}` : 'online'))).toEqual(['online', 'offline:unregistered']);
    } finally {
      off();
    }
  });

  it('never rings a Contact at the trunk or at another host: sipp\'s REGISTER gets 403, and a call to the person reaches only where they registered from', async () => {
    const trunkEar = await UdpSipClient.open(TRUNK_IP);
    const otherHostEar = await UdpSipClient.open('127.0.0.6');
    const phone = await UdpSipClient.open('127.0.0.1');
    const to = { host: '127.0.0.1', port: stack.sipPort };
    try {
      const refused = async (contact: string, reason: string): Promise<void> => {
        const run = await runSipp(target, 'register-contact-refused.xml', { ip: '127.0.0.1', port: await freeTcpPort(), user: 'op3', password: 'op3-secret', keys: { user: 'op3', contact, reason }, cwd: workDir });
        expect([run.code, run.output.slice(-1500)]).toEqual([0, expect.any(String)]);
      };
      // A premium number at the trunk, as an operator without dial-out would register it.
      await refused(`sip:+79001234567@${TRUNK_IP}:${trunkEar.port}`, 'Contact names a SIP trunk');
      await refused(`sip:op3@127.0.0.6:${otherHostEar.port}`, 'Contact host is not where the REGISTER came from');
      expect(await registrar.contactsOf(staff.op3!)).toEqual([]);

      // The person's real phone names a port it does not listen on: it is rung at the port it registered from.
      const callId = randomBytes(8).toString('hex');
      const contact = `sip:op3-desk@127.0.0.1:${phone.port === 65535 ? 1 : phone.port + 1}`;
      const challenge = await phone.request(phone.register({ ...to, user: 'op3', callId, cseq: 1, contact }), to);
      const authorization = digestFor(challenge!.header('WWW-Authenticate'), { user: 'op3', password: 'op3-secret', uri: `sip:127.0.0.1:${stack.sipPort}` });
      const ok = await phone.request(phone.register({ ...to, user: 'op3', callId, cseq: 2, contact, expires: 300, authorization }), to);
      expect(ok?.statusLine).toBe('SIP/2.0 200 OK');
      expect(ok?.header('Contact')).toBe(`<${contact}>;expires=300`);

      // A call for op3, rung as the call session rings a person: every live binding, by its uri.
      const bindings = await registrar.contactsOf(staff.op3!);
      expect(bindings.map((b) => b.uri)).toEqual([`sip:op3-desk@127.0.0.1:${phone.port}`]);
      const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', ''].join('\r\n');
      const outcomes = await Promise.allSettled(bindings.map((b) => stack.srf.createUAC(b.uri, { localSdp: sdp })));
      expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { status?: number }).status : 'answered'))).toEqual([486]);
      expect(phone.requests.filter((r) => r.startsWith('INVITE '))).toEqual([expect.stringMatching(new RegExp(`^INVITE sip:op3-desk@127\\.0\\.0\\.1:${phone.port} SIP/2\\.0`))]);
      // The call is over (the phone answered busy): had anything been sent to the trunk or the other host, it would be there by now.
      expect(trunkEar.requests).toEqual([]);
      expect(otherHostEar.requests).toEqual([]);
    } finally {
      await Promise.all([trunkEar.close(), otherHostEar.close(), phone.close()]);
    }
  });

  it('never blacklists the trunk\'s address, however many bad digests come from it, and the right password still gets in from the person\'s phone', async () => {
    // What spoofed UDP "from" the trunk looks like to the registrar: more failures than lock any other address (5).
    const flood = await runSipp(target, 'register-refused.xml', { ip: TRUNK_IP, port: await freeTcpPort(), user: 'op2', password: 'guess', keys: { user: 'op2', contact_user: 'x' }, calls: 7, cwd: workDir });
    expect([flood.code, flood.output.slice(-1500)]).toEqual([0, expect.any(String)]);
    expect(await redis.smembers(keys.blacklist())).toEqual([]);
    expect(await redis.keys(`${keys.prefix}{auth}:lock:*`)).toEqual([]);
    // The trunk is still heard (a challenge, not silence or 403).
    const trunk = await UdpSipClient.open(TRUNK_IP);
    const to = { host: '127.0.0.1', port: stack.sipPort };
    try {
      expect((await trunk.request(trunk.register({ ...to, user: 'op2', callId: randomBytes(6).toString('hex'), cseq: 1 }), to))?.status).toBe(401);
    } finally {
      await trunk.close();
    }
    // Seven failures of op2 (the throttle itself is proven in the integration tier), and their own phone gets in at once.
    const phone = await runSipp(target, 'register.xml', { ip: '127.0.0.1', port: await freeTcpPort(), user: 'op2', password: 'op2-secret', keys: { user: 'op2', contact_user: 'op2-phone', expires: '60' }, cwd: workDir });
    expect([phone.code, phone.output.slice(-1500)]).toEqual([0, expect.any(String)]);
  });

  it('locks out a source IP after repeated failures; a drachtio-server started afterwards drops its requests', async () => {
    const attacker = '127.0.0.2';
    const flood = await runSipp(target, 'register-refused.xml', { ip: attacker, port: await freeTcpPort(), user: 'op1', password: 'guess', keys: { user: 'op1', contact_user: 'x' }, calls: 5, cwd: workDir });
    expect(flood.code).toBe(0);
    expect(await redis.smembers(keys.blacklist())).toEqual([attacker]);

    const to = { host: '127.0.0.1', port: stack.sipPort };
    const locked = await UdpSipClient.open(attacker);
    const other = await UdpSipClient.open('127.0.0.1');
    try {
      // drachtio-server v0.9.10 reads its blacklist set once, at start (refresh-secs is not used after the
      // first load: see drachtio-process.ts), so the server already running keeps passing the locked IP to
      // the app even after several refresh periods, and the registrar refuses it at once, whatever the
      // credentials; other sources still get their challenge.
      await quietPeriod(2500, 'several blacklist refresh periods pass: drachtio-server still does not reload the set');
      expect((await locked.request(locked.register({ ...to, user: 'op1', callId: randomBytes(6).toString('hex'), cseq: 1 }), to))?.status).toBe(403);
      expect((await other.request(other.register({ ...to, user: 'op1', callId: randomBytes(6).toString('hex'), cseq: 1 }), to))?.status).toBe(401);

      // drachtio-server loads its blacklist set when it starts: a new one drops the locked IP before any app sees it.
      const second = await startSipStack(path.join(workDir, 'drachtio-2'), blacklist, null);
      try {
        const to2 = { host: '127.0.0.1', port: second.sipPort };
        expect((await other.request(other.options('127.0.0.1', second.sipPort), to2))?.statusLine).toBe('SIP/2.0 200 OK');
        expect(await locked.request(locked.options('127.0.0.1', second.sipPort), to2, 1500)).toBeNull();
        expect(await locked.request(locked.register({ ...to2, user: 'op1', callId: randomBytes(6).toString('hex'), cseq: 1 }), to2, 1500)).toBeNull();
      } finally {
        await second.stop();
      }
    } finally {
      await locked.close();
      await other.close();
    }
  }, 60000);
});
