import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, sippListening } from '../helpers/sipp';
import { answerCall, awaitBye, deviceCallerScenario, referenceVariables, refuseCall, scenario, type Check } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/** The carrier answers on its own loopback address, so that staff phones on 127.0.0.1 are not trunk sources. */
const TRUNK_IP = '127.0.0.6';
const CLIENT = '+74951000001';
const COMPANY = '+74957001122';

/** The carrier: takes the INVITE only if its identity headers match `checks` (sipp fails the call otherwise), answers, waits for the BYE. */
function carrierScenario(checks: Check[]): string {
  return scenario(`${answerCall([{ regexp: `^INVITE sip:\\${CLIENT}@`, assignTo: 'ruri' }, ...checks])}
${awaitBye(60000)}
${referenceVariables('ruri', ...checks.map((c) => c.assignTo))}`);
}

/** Runs sipp with a scenario from `ip`; `target` makes it a UAC. Resolves with its exit code and what it printed. */
function sipp(options: { scenario: string; ip: string; port: number; mediaPort: number; target?: string; auth?: { user: string; password: string; uri: string }; timeoutSeconds?: number }): { done: Promise<{ code: number | null; output: string }> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-caller-id-'));
  writeFileSync(path.join(dir, 'scenario.xml'), options.scenario);
  const args = [
    ...(options.target ? [options.target] : []), '-sf', path.join(dir, 'scenario.xml'), '-m', '1', '-i', options.ip, '-p', String(options.port), '-mp', String(options.mediaPort),
    '-nostdin', '-timeout', `${options.timeoutSeconds ?? 30}s`, '-timeout_error', '-trace_err', '-trace_msg',
    ...(options.auth ? ['-au', options.auth.user, '-ap', options.auth.password, '-auth_uri', options.auth.uri] : []),
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => {
    let logs = '';
    for (const file of readdirSync(dir).filter((f) => f.endsWith('_errors.log') || f.endsWith('_messages.log'))) logs += readFileSync(path.join(dir, file), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    resolve({ code, output: `${output}\n${logs}` });
  }));
  return { done };
}

describeWithDrachtio('outbound caller ID per trunk at a sipp carrier (issue 17: From, P-Asserted-Identity, privacy; real drachtio, rtpengine, Redis, Postgres)', () => {
  let h: SystemHarness;
  let trunkPort: number;
  let admin: string;

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort}` } });
    admin = await h.login('admin', 'switchboard-admin');
  }, 120000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => h.expectNothingLeft(), 30_000);

  /** Anna's desk phone dials the client; the carrier checks what the INVITE says about who calls. */
  const dialThroughCarrier = async (checks: Check[]): Promise<{ caller: { code: number | null; output: string }; carrier: { code: number | null; output: string } }> => {
    const carrier = sipp({ scenario: carrierScenario(checks), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    await sippListening(TRUNK_IP, trunkPort);
    const caller = sipp({
      scenario: deviceCallerScenario({ dialled: CLIENT, user: 'anna', expect: 200, talkMs: 1500 }),
      ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget,
      auth: { user: 'anna', password: 'demo-pass-1', uri: `${CLIENT}@${h.sipTarget}` },
    });
    const [callerDone, carrierDone] = await Promise.all([caller.done, carrier.done]);
    return { caller: callerDone, carrier: carrierDone };
  };
  const ok = (run: { code: number | null; output: string }) => ({ code: run.code, output: run.code === 0 ? '' : run.output });

  it('the company number and name configured on the trunk arrive in From and P-Asserted-Identity (RFC 3325), with Privacy: none', async () => {
    const set = await h.api('PUT', `/api/trunks/${TRUNK_IP}:${trunkPort}/caller-id`, admin, { fromNumber: '8 (495) 700-11-22', displayName: 'Acme Sales', privacy: 'none' });
    expect(set.status).toBe(200);
    const { caller, carrier } = await dialThroughCarrier([
      { header: 'From:', regexp: 'Acme Sales.*&lt;sip:\\+74957001122@', assignTo: 'from' },
      { header: 'P-Asserted-Identity:', regexp: 'Acme Sales.*&lt;sip:\\+74957001122@', assignTo: 'pai' },
      { header: 'Privacy:', regexp: 'none', assignTo: 'privacy' },
    ]);
    expect(ok(caller)).toEqual({ code: 0, output: '' });
    expect(ok(carrier)).toEqual({ code: 0, output: '' });
    const rows = await eventually(async () => (await h.db.query("SELECT dialed_number, trunk FROM calls WHERE direction = 'outbound' AND ended_at IS NOT NULL")).rows, (r) => r.length >= 1);
    expect(rows[0]).toMatchObject({ dialed_number: CLIENT, trunk: `${TRUNK_IP}:${trunkPort}` });
  }, 90000);

  it('with privacy "id" the From is anonymous@anonymous.invalid while the PAI keeps the company number, and Privacy: id asks the carrier to withhold it', async () => {
    expect((await h.api('PUT', `/api/trunks/${TRUNK_IP}:${trunkPort}/caller-id`, admin, { fromNumber: COMPANY, displayName: 'Acme Sales', privacy: 'id' })).status).toBe(200);
    const { caller, carrier } = await dialThroughCarrier([
      { header: 'From:', regexp: 'Anonymous.*&lt;sip:anonymous@anonymous\\.invalid&gt;', assignTo: 'from' },
      { header: 'P-Asserted-Identity:', regexp: '&lt;sip:\\+74957001122@', assignTo: 'pai' },
      { header: 'Privacy:', regexp: 'id', assignTo: 'privacy' },
    ]);
    expect(ok(caller)).toEqual({ code: 0, output: '' });
    expect(ok(carrier)).toEqual({ code: 0, output: '' });
  }, 90000);

  it('with the identity removed, calls go out unidentified again (the same checks would have refused the call above)', async () => {
    expect((await h.api('DELETE', `/api/trunks/${TRUNK_IP}:${trunkPort}/caller-id`, admin)).status).toBe(204);
    const { caller, carrier } = await dialThroughCarrier([{ header: 'From:', regexp: '&lt;sip:switchboard@switchboard\\.invalid&gt;', assignTo: 'from' }]);
    expect(ok(caller)).toEqual({ code: 0, output: '' });
    expect(ok(carrier)).toEqual({ code: 0, output: '' });
  }, 90000);
});

// Two trunks, each with its own identity: the first is out of service (503), and the call leaves by the second with
// the second trunk's identity — the identity of the trunk a call actually leaves by.
describeWithDrachtio('outbound caller ID with two trunks: the first out of service, the call leaves by the second with its identity (real drachtio, rtpengine, Redis, Postgres)', () => {
  const BACKUP_IP = '127.0.0.7';
  let h: SystemHarness;
  let firstPort: number;
  let secondPort: number;

  beforeAll(async () => {
    firstPort = await freeTcpPort();
    secondPort = await freeTcpPort();
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${firstPort},${BACKUP_IP}:${secondPort}` } });
    const admin = await h.login('admin', 'switchboard-admin');
    expect((await h.api('PUT', `/api/trunks/${TRUNK_IP}:${firstPort}/caller-id`, admin, { fromNumber: COMPANY, displayName: 'Acme Sales', privacy: 'none' })).status).toBe(200);
    expect((await h.api('PUT', `/api/trunks/${BACKUP_IP}:${secondPort}/caller-id`, admin, { fromNumber: '+74957003344', displayName: 'Acme Backup', privacy: 'none' })).status).toBe(200);
  }, 120000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => h.expectNothingLeft(), 30_000);

  it('the first carrier answers 503; the second gets the INVITE with its own trunk\'s number and name in From and PAI, and the call row names it', async () => {
    const startedAt = new Date();
    const first = sipp({ scenario: scenario(refuseCall('503 Service Unavailable')), ip: TRUNK_IP, port: firstPort, mediaPort: await freeMediaPort() });
    const second = sipp({
      scenario: carrierScenario([
        { header: 'From:', regexp: 'Acme Backup.*&lt;sip:\\+74957003344@', assignTo: 'from' },
        { header: 'P-Asserted-Identity:', regexp: 'Acme Backup.*&lt;sip:\\+74957003344@', assignTo: 'pai' },
      ]),
      ip: BACKUP_IP, port: secondPort, mediaPort: await freeMediaPort(),
    });
    await sippListening(TRUNK_IP, firstPort);
    await sippListening(BACKUP_IP, secondPort);
    const caller = sipp({
      scenario: deviceCallerScenario({ dialled: CLIENT, user: 'anna', expect: 200, talkMs: 1500 }),
      ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget,
      auth: { user: 'anna', password: 'demo-pass-1', uri: `${CLIENT}@${h.sipTarget}` },
    });
    const [callerDone, firstDone, secondDone] = await Promise.all([caller.done, first.done, second.done]);
    const ok = (run: { code: number | null; output: string }) => ({ code: run.code, output: run.code === 0 ? '' : run.output });
    expect(ok(firstDone)).toEqual({ code: 0, output: '' });
    expect(ok(secondDone)).toEqual({ code: 0, output: '' });
    expect(ok(callerDone)).toEqual({ code: 0, output: '' });
    const rows = await eventually(async () => (await h.db.query("SELECT id, trunk FROM calls WHERE direction = 'outbound' AND started_at >= $1 AND ended_at IS NOT NULL", [startedAt])).rows, (r) => r.length >= 1);
    expect(rows[0]).toMatchObject({ trunk: `${BACKUP_IP}:${secondPort}` });
  }, 90000);
});
