import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, registerPhone, sippListening } from '../helpers/sipp';
import { deviceCallerScenario } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/** The trunk calls go out to, on its own loopback address (staff phones are on 127.0.0.1). */
const TRUNK_IP = '127.0.0.5';
/** Another host than the registering phone's. */
const OTHER_IP = '127.0.0.6';
const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'sipp');

/** Runs sipp once from 127.0.0.1 with a scenario (a fixture file, or XML text); resolves with its exit code and, on failure, what it said. */
function runSipp(target: string, options: { fixture?: string; xml?: string; args: string[]; timeoutSeconds?: number }): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-contacts-'));
  const file = options.fixture ? path.join(FIXTURES, options.fixture) : path.join(dir, 'scenario.xml');
  if (options.xml) writeFileSync(file, options.xml);
  const child = spawn('sipp', [target, '-sf', file, '-m', '1', '-i', '127.0.0.1', '-nostdin', '-timeout', `${options.timeoutSeconds ?? 20}s`, '-timeout_error', '-trace_err', ...options.args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => {
    const errors = readdirSync(dir).filter((f) => f.endsWith('_errors.log')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    rmSync(dir, { recursive: true, force: true });
    resolve({ code, output: code === 0 ? '' : `${output.slice(-1500)}\n${errors}` });
  }));
}

/** A UDP socket that only listens: whatever SIP request reaches it is kept. */
async function ear(ip: string, port: number): Promise<{ heard: string[]; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  const heard: string[] = [];
  socket.on('message', (msg) => heard.push(msg.toString().split('\r\n')[0] ?? ''));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, ip, () => resolve());
  });
  return { heard, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

describeWithDrachtio('toll fraud through a registration (issue 15): a phone is rung where it registered from, never at a trunk (the whole system: real drachtio, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness;
  let trunkPort: number;

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort}` } });
  }, 120000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => h.expectNothingLeft(), 30_000);

  it('refuses a Contact at the trunk or at another host with 403 and the reason; a colleague\'s call to that person rings only their real phone, and nothing reaches the trunk or the other host', async () => {
    const trunk = await ear(TRUNK_IP, trunkPort);
    const otherPort = await freeTcpPort();
    const otherHost = await ear(OTHER_IP, otherPort);
    try {
      // Ion (an operator without dial-out) registers the carrier trunk with a premium number as the user part, then a host he is not on.
      const refused = async (contact: string, reason: string): Promise<{ code: number | null; output: string }> => runSipp(h.sipTarget, {
        fixture: 'register-contact-refused.xml',
        args: ['-p', String(await freeTcpPort()), '-au', 'ion', '-ap', 'demo-pass-1', '-key', 'user', 'ion', '-key', 'contact', contact, '-key', 'reason', reason],
      });
      expect(await refused(`sip:+78091234567@${TRUNK_IP}:${trunkPort}`, 'Contact names a SIP trunk')).toEqual({ code: 0, output: '' });
      expect(await refused(`sip:ion@${OTHER_IP}:${otherPort}`, 'Contact host is not where the REGISTER came from')).toEqual({ code: 0, output: '' });

      // His real desk phone registers and answers.
      const ionPhone = await freeTcpPort();
      expect(await registerPhone({ target: h.sipTarget, port: ionPhone, user: 'ion', password: 'demo-pass-1' })).toBe(0);
      const ion = spawn('sipp', ['-sn', 'uas', '-rtp_echo', '-i', '127.0.0.1', '-p', String(ionPhone), '-mp', String(await freeMediaPort()), '-m', '1', '-nostdin', '-timeout', '30s', '-timeout_error'], { stdio: 'ignore' });
      const ionDone = new Promise<number | null>((resolve) => ion.on('exit', (code) => resolve(code)));
      await sippListening('127.0.0.1', ionPhone);

      // A call for Ion: Anna's desk phone dials him.
      const caller = await runSipp(h.sipTarget, {
        xml: deviceCallerScenario({ dialled: 'ion', user: 'anna', expect: 200, talkMs: 1500 }),
        args: ['-p', String(await freeTcpPort()), '-mp', String(await freeMediaPort()), '-au', 'anna', '-ap', 'demo-pass-1', '-auth_uri', `ion@${h.sipTarget}`],
      });
      expect(caller).toEqual({ code: 0, output: '' });
      expect(await ionDone).toBe(0);
      const calls = await eventually(
        async () => (await h.db.query<{ dialed_number: string; outcome: string; ended_at: Date | null }>("SELECT dialed_number, outcome, ended_at FROM calls WHERE dialed_number = 'ion'")).rows,
        (rows) => rows[0]?.ended_at != null,
      );
      expect(calls).toMatchObject([{ dialed_number: 'ion', outcome: 'answered' }]);
      // The call was placed and is over: anything sent to the trunk or the other host would have arrived by now.
      expect(trunk.heard).toEqual([]);
      expect(otherHost.heard).toEqual([]);
    } finally {
      await Promise.all([trunk.close(), otherHost.close()]);
    }
  }, 90000);
});
