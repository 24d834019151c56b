import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort, tcpPortOpen } from '../../src/platform/managed-process';
import { pingRtpengine } from '../../src/media/rtpengine-process';
import { drachtioPresent, itWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, runSipp } from '../helpers/sipp';
import { RtpengineNgClient } from '../../src/media/rtpengine-ng-client';
import { sessionCallerScenario } from './call-session-kit';
import { sipOptions, sipOptionsOverTls } from '../helpers/sip-probe';
import { fetchTrusting, type TrustingFetch } from '../helpers/test-tls';
import { hostPart, machineAddresses } from '../../src/network/machine-addresses';
import { DEFAULT_ROUTING_CONFIG } from '../../src/routing/default-routing-config';

/**
 * The README's start command, run for real: every component started by the
 * app from its binary on random ports, demo data loaded, then Ctrl-C. It runs
 * with the defaults an installer gets: HTTPS from a local CA it creates, the
 * machine's own address as the public one (nothing is sent to it: every
 * request here goes to 127.0.0.1).
 */
describe('the whole system from the start command', () => {
  let root: string;
  let child: ChildProcess;
  let output = '';
  const ports: Record<string, number> = {};
  let baseUrl = '';
  let token = '';
  let fetch: TrustingFetch;
  let caPem: Buffer;
  const rtpBase = 40000 + Math.floor(Math.random() * 200) * 100;

  /** `npm start`'s program with this test's ports; resolves once it says it is up. */
  const startIt = async (): Promise<ChildProcess> => {
    output = '';
    // node with tsx's loader rather than the tsx command, whose wrapper would outlive a SIGKILL's target child.
    const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: {
        ...process.env,
        NODE_ENV: 'development', LOG_LEVEL: 'warn', SWITCHBOARD_DATA_DIR: root,
        PORT: String(ports.http), EMBEDDED_PG_PORT: String(ports.pg), REDIS_PORT: String(ports.redis),
        RTPENGINE_NG_PORT: String(ports.ng), RTPENGINE_DTMF_LOG_PORT: String(ports.dtmf),
        RTPENGINE_PORT_MIN: String(rtpBase), RTPENGINE_PORT_MAX: String(rtpBase + 99),
        DRACHTIO_PORT: String(ports.drachtio), DRACHTIO_SIP_PORT: String(ports.sip), DRACHTIO_WS_PORT: String(ports.ws),
        DRACHTIO_WSS_PORT: String(ports.wss), DRACHTIO_TLS_PORT: String(ports.tls),
        // The office start (README): a development start listens on loopback only unless given an address (issue 15).
        PUBLIC_ADDRESS: 'auto',
        // A short drain, so that the Ctrl-C scenario ends a call in progress quickly.
        SHUTDOWN_DRAIN_SECONDS: '2',
        DATABASE_URL: '', REDIS_URL: '', RTPENGINE_URL: '', DRACHTIO_HOST: '', TLS: '', TLS_CERT_FILE: '', TLS_KEY_FILE: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    started.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const up = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 90_000);
      const check = (): void => {
        if (output.includes('Press Ctrl-C to stop.')) { clearTimeout(timer); resolve(true); }
      };
      started.stdout?.on('data', check);
      started.once('exit', () => { clearTimeout(timer); resolve(false); });
    });
    if (!up) throw new Error(`the system did not start:\n${output}`);
    return started;
  };

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-start-'));
    chmodSync(root, 0o755);
    for (const name of ['http', 'pg', 'redis', 'ng', 'dtmf', 'drachtio', 'sip', 'ws', 'wss', 'tls']) ports[name] = await freeTcpPort();
    child = await startIt();
    caPem = readFileSync(path.join(root, 'tls', 'ca.crt'));
    fetch = fetchTrusting(caPem);
    baseUrl = `https://127.0.0.1:${ports.http}`;
    const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'switchboard-admin' }) });
    token = ((await login.json()) as { token: string }).token;
  }, 120000);

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  /** The calls rtpengine holds now (ng `list`). */
  const mediaCalls = async (): Promise<string[]> => {
    const ng = new RtpengineNgClient({ host: '127.0.0.1', port: ports.ng!, timeoutMs: 2000 });
    try {
      const reply = await ng.command('list', {});
      return Array.isArray(reply.calls) ? reply.calls.map(String) : [];
    } finally {
      ng.close();
    }
  };
  const get = async (p: string): Promise<any> => (await fetch(`${baseUrl}${p}`, { headers: { authorization: `Bearer ${token}` } })).json();

  it('prints the HTTPS URLs at the machine\'s address and where to get the CA that makes PCs trust them', () => {
    const machine = machineAddresses();
    const ca = new X509Certificate(caPem);
    if (machine.primary) {
      const site = `https://${hostPart(machine.primary)}:${ports.http}`;
      expect(output).toContain(`softphone   ${site}/softphone/`);
      expect(output).toContain(`trust CA    ${site}/ca.crt   (file ${path.join(root, 'tls', 'ca.crt')}, SHA-256 ${ca.fingerprint256})`);
      expect(output).toContain(`also at     https://${machine.hostName}:${ports.http}/softphone/`);
    } else {
      expect(output).toMatch(/WARNING {5}only this machine can reach Switchboard/);
    }
    expect(output).toMatch(/Windows \(Chrome, Edge\): as administrator: certutil -addstore -f Root switchboard-ca\.crt/);
    expect(output).toMatch(/certificate from the local CA: .*server\.crt, certificate valid until \d{4}-\d\d-\d\d \(39[0-7] days\)/);
    // The server certificate covers every name and address the URLs name.
    const server = new X509Certificate(readFileSync(path.join(root, 'tls', 'server.crt')));
    expect(server.checkIssued(ca)).toBe(true);
    for (const address of [...machine.addresses, '127.0.0.1']) expect(server.checkIP(address)).toBe(address);
    expect(server.checkHost('localhost')).toBe('localhost');
  });

  it('serves HTTPS; plain HTTP on the same port redirects to it, except health and the CA download', async () => {
    const plain = `http://127.0.0.1:${ports.http}`;
    const redirected = await fetch(`${plain}/softphone/?x=1`);
    expect(redirected.status).toBe(308);
    expect(redirected.headers.get('location')).toBe(`https://127.0.0.1:${ports.http}/softphone/?x=1`);
    expect((await fetch(`${plain}/api/auth/login`, { method: 'POST', body: '{}' })).status).toBe(308);
    expect((await fetch(`${plain}/healthz`)).status).toBe(200);
    const download = await fetch(`${plain}/ca.crt`);
    expect(download.headers.get('content-type')).toBe('application/x-x509-ca-cert');
    expect(Buffer.from(await download.arrayBuffer()).equals(caPem)).toBe(true);
    const page = await fetch(`${baseUrl}/softphone/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('reports every real component it started and is ready', async () => {
    expect(output).toMatch(/postgres\s+started/);
    expect(output).toMatch(/redis\s+started/);
    expect(output).toMatch(/rtpengine\s+started/);
    expect(output).toMatch(/admin login admin \/ switchboard-admin/);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { components: Array<{ name: string; state: string }> };
    expect(body.components.find((c) => c.name === 'rtpengine')?.state).toBe('up');
    expect(await pingRtpengine('127.0.0.1', ports.ng!)).toBe(true);
  });

  it('loaded the demo data set on first start', async () => {
    const staff = (await get('/api/staff')) as Array<{ role: string; skills: Record<string, number>; hasSipCredentials: boolean }>;
    const byRole = (role: string) => staff.filter((s) => s.role === role);
    expect(byRole('operator')).toHaveLength(3);
    expect(byRole('operator').filter((s) => (s.skills.regional ?? 0) > 0)).toHaveLength(1);
    expect(byRole('key_account_manager')).toHaveLength(2);
    expect(byRole('finance')).toHaveLength(1);
    expect(byRole('department_head').length).toBeGreaterThanOrEqual(2);
    expect(byRole('quality')).toHaveLength(1);
    expect(staff.every((s) => s.hasSipCredentials)).toBe(true);
    const clients = (await get('/api/clients')) as Array<{ type: string; managerId: number | null; debt: { overdue: boolean } }>;
    expect(new Set(clients.map((c) => c.type))).toEqual(new Set(['market', 'key', 'own_point', 'retail', 'regional']));
    expect(clients.some((c) => c.debt.overdue)).toBe(true);
    expect(clients.some((c) => c.managerId === null)).toBe(true);
    const departments = (await get('/api/departments')) as Array<{ headStaffId: number | null }>;
    // Every department the default routing can send a caller to has a head.
    expect(departments.length).toBe(6);
    expect(departments.every((d) => d.headStaffId !== null)).toBe(true);
    const key = (await get(`/api/clients?phone=${encodeURIComponent('8 (495) 100-00-02')}`)) as Array<{ type: string }>;
    expect(key[0]?.type).toBe('key');
    // The hotline keeps the shipped hours (Mon–Fri 08–20, Sat 09–17, Moscow) in its routing config, their one home (issue 17).
    const routing = (await get('/api/routing-config/published')) as { document: { businessHours: { timezone: string; hours: unknown[] } } };
    expect(routing.document.businessHours).toMatchObject({ timezone: 'Europe/Moscow', hours: DEFAULT_ROUTING_CONFIG.businessHours.hours });
  });

  it('published the default IVR flow and routing config as version 1', async () => {
    const flow = await get('/api/ivr/flows/main/published');
    expect(flow).toMatchObject({ version: 1, status: 'published', createdBy: 'system', document: { name: 'main' } });
    const routing = await get('/api/routing-config/published');
    expect(routing).toMatchObject({ version: 1, status: 'published' });
    const prompts = (await get('/api/prompts')) as Array<{ language: string }>;
    expect(new Set(prompts.map((p) => p.language))).toEqual(new Set(['en', 'ru']));
  });

  itWithDrachtio('started drachtio-server, connected to it, and answers SIP OPTIONS', async () => {
    expect(output).toMatch(/drachtio\s+started/);
    const ready = (await (await fetch(`${baseUrl}/readyz`)).json()) as { components: Array<{ name: string; state: string }> };
    expect(ready.components.find((c) => c.name === 'sip')?.state).toBe('up');
    expect(await sipOptions('127.0.0.1', ports.sip!)).toBe('SIP/2.0 200 OK');
    // SIP over TLS for desk phones, with the same certificate, verified against the local CA.
    expect(await sipOptionsOverTls('127.0.0.1', ports.tls!, caPem)).toBe('SIP/2.0 200 OK');
  });

  it('stops cleanly on Ctrl-C, stopping every service it started — a caller still in the IVR is hung up after the drain, not waited on', async () => {
    // With SIP up, a caller who presses nothing stays in the IVR menu well past the 2 s drain (SHUTDOWN_DRAIN_SECONDS).
    const caller = drachtioPresent
      ? runSipp({
        scenario: sessionCallerScenario({ from: '+74951112233', steps: [{ awaitBye: true }] }),
        target: `127.0.0.1:${ports.sip}`, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
      })
      : null;
    // The call is up once rtpengine holds its media (anchored on arrival, before the IVR speaks).
    if (caller) await expect(eventually(() => mediaCalls(), (calls) => calls.length === 1, 20_000)).resolves.toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const signalledAt = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // The drain (2 s), then the call's BYE and record, then every service: well within the drain plus a service stop each.
    expect(Date.now() - signalledAt).toBeLessThan(45_000);
    if (caller) {
      const result = await caller;
      expect(result.errors).toBe('');
      expect(result.successful).toBe(1);
    }
    for (const name of ['http', 'pg', 'redis', 'drachtio']) {
      expect(await tcpPortOpen('127.0.0.1', ports[name]!)).toBe(false);
    }
    expect(await pingRtpengine('127.0.0.1', ports.ng!)).toBe(false);
  }, 90000);

  it('started again, reuses its CA and server certificate (PCs that trusted it keep trusting it)', async () => {
    const before = { ca: readFileSync(path.join(root, 'tls', 'ca.crt')), server: readFileSync(path.join(root, 'tls', 'server.crt')) };
    child = await startIt();
    try {
      expect(readFileSync(path.join(root, 'tls', 'ca.crt')).equals(before.ca)).toBe(true);
      expect(readFileSync(path.join(root, 'tls', 'server.crt')).equals(before.server)).toBe(true);
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
      if (drachtioPresent) {
        // The call hung up at the shutdown has its one row, saying why.
        const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'switchboard-admin' }) });
        token = ((await login.json()) as { token: string }).token;
        const page = (await get('/api/call-log')) as { items: Array<{ callId: string; callerNumber: string }> };
        const cutOff = page.items.filter((item) => item.callerNumber === '+74951112233');
        expect(cutOff).toHaveLength(1);
        expect(await get(`/api/calls/${cutOff[0]!.callId}`)).toMatchObject({ hangupSide: 'system', hangupCause: 'shutdown: the process stopped' });
      }
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      await exited;
    }
  }, 120000);
});
