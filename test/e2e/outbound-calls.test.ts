import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Acd } from '../../src/acd';
import { parseWav } from '../../src/media/wav-file';
import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { channelRms } from '../helpers/wav-level';
import { freeMediaPort, registerPhone, sippListening } from '../helpers/sipp';
import {
  answerCall, answerInvite, awaitBye, deviceCallerScenario, KEEP_DIALOG, pause, phoneBye, playAudio, receiveRequest, referenceVariables, refuseCall, respond, scenario,
} from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/** The trunk answers on its own loopback address, so that staff phones on 127.0.0.1 are not trunk sources. */
const TRUNK_IP = '127.0.0.5';
const CLIENT = '+74951000001';
const CLIENT_NATIONAL = '8 (495) 100-00-01';

/**
 * A staff desk phone rung by the server with an INVITE without SDP (late
 * offer): checks the X- headers, answers with its offer in the 200, gets the
 * answer in the ACK, talks (PCMA audio) for `talkMs`, then hangs up.
 */
function staffPhoneScenario(options: { direction: 'outbound' | 'callback'; talkMs: number }): string {
  const checks = [
    ...KEEP_DIALOG,
    { regexp: options.direction, header: 'X-Switchboard-Direction:', assignTo: 'direction' },
    { regexp: '[0-9a-f-]{36}', header: 'X-Switchboard-Call-Id:', assignTo: 'call_id_header' },
  ];
  return scenario(`${receiveRequest('INVITE', { checks })}
${respond('180 Ringing', { contact: true })}
${pause(300)}
${answerInvite({ retransmit: true })}
${pause(1500)}
${playAudio()}
${pause(options.talkMs)}
${phoneBye(101)}
${referenceVariables('direction', 'call_id_header')}`);
}

/** The trunk: checks the Request-URI is `sip:<e164>@…`, answers, sends audio, and waits for the BYE. */
function trunkScenario(e164: string): string {
  return scenario(`${answerCall([{ regexp: `^INVITE sip:\\${e164}@`, assignTo: 'ruri' }])}
${playAudio()}
${awaitBye(60000)}
${referenceVariables('ruri')}`);
}

/** A trunk whose called party is busy. */
function busyTrunkScenario(): string {
  return scenario(refuseCall('486 Busy Here'));
}

/** Runs sipp with a scenario from `ip`; `target` makes it a UAC. Resolves with its exit code and what it printed. */
function sipp(options: { scenario: string; ip: string; port: number; mediaPort: number; target?: string; auth?: { user: string; password: string; uri?: string }; timeoutSeconds?: number }): { done: Promise<{ code: number | null; output: string }>; stop: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-outbound-'));
  writeFileSync(path.join(dir, 'scenario.xml'), options.scenario);
  const args = [
    ...(options.target ? [options.target] : []), '-sf', path.join(dir, 'scenario.xml'), '-m', '1', '-i', options.ip, '-p', String(options.port), '-mp', String(options.mediaPort),
    '-nostdin', '-timeout', `${options.timeoutSeconds ?? 60}s`, '-timeout_error', '-trace_err',
    // sipp hashes sip:<remote ip:port> unless told the Request-URI (without its scheme); the server insists on the real one (RFC 2617 §3.2.2.5).
    ...(options.auth ? ['-au', options.auth.user, '-ap', options.auth.password, ...(options.auth.uri ? ['-auth_uri', options.auth.uri] : [])] : []),
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => {
    let errors = '';
    try {
      const file = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
      if (file) errors = readFileSync(path.join(dir, file), 'utf8');
    } catch {
      // no error log
    }
    rmSync(dir, { recursive: true, force: true });
    resolve({ code, output: `${output}\n${errors}` });
  }));
  return { done, stop: () => child.kill('SIGKILL') };
}


describeWithDrachtio('outbound calls through a trunk: click-to-call, calls from staff phones, queued callbacks (real drachtio, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness;
  let trunkPort: number;
  let admin: string;
  let anna: string;
  let tatiana: string;
  let annaPhone: number;
  let annaId: number;

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    // A callback the client does not answer is tried again at once (no delay), so that its retry is seen in the line.
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort}`, CALLBACK_RETRY_DELAY_SECONDS: '0' } });
    admin = await h.login('admin', 'switchboard-admin');
    anna = await h.login('anna', 'demo-pass-1');
    tatiana = await h.login('tatiana', 'demo-pass-1');
    annaPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: annaPhone, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    annaId = (await h.db.query<{ staff_id: number }>("SELECT staff_id FROM users WHERE username = 'anna'")).rows[0]!.staff_id;
  }, 120000);

  afterAll(async () => {
    await h?.close();
  });

  // Each scenario leaves no call and no rtpengine session behind (every resource released, design §8).
  afterEach(() => h.expectNothingLeft(), 30_000);

  let testStartedAt = new Date();
  beforeEach(() => {
    testStartedAt = new Date();
  });
  const callsSince = async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at', [testStartedAt])).rows;
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any }>;
  const mediaOf = (events: Array<{ type: string; data: any }>) => events.find((e) => e.type === 'note' && e.data.media)?.data.media as { callerPackets: number; agentPackets: number } | undefined;

  /** One finished, recorded two-leg call: both legs' packets through rtpengine, a stereo recording with sound on both sides. */
  const expectTalkedAndRecorded = async (call: any): Promise<void> => {
    const media = mediaOf(await eventsOf(call.id));
    expect(media?.callerPackets).toBeGreaterThan(100);
    expect(media?.agentPackets).toBeGreaterThan(100);
    const recording = (await h.db.query('SELECT * FROM recordings WHERE id = $1', [call.recording_id])).rows[0];
    expect(recording).toBeDefined();
    const wav = readFileSync(recording.file_path);
    expect(parseWav(wav)).toMatchObject({ channels: 2, sampleRate: 8000 });
    const levels = [channelRms(wav, 0), channelRms(wav, 1)];
    expect({ staff: levels[0]! > 50, remote: levels[1]! > 50, levels }).toMatchObject({ staff: true, remote: true });
  };

  it('click-to-call: the operator\'s desk phone rings first, then the client is dialled through the trunk, bridged, recorded and written as one outbound call row; no queue call is offered to her meanwhile', async () => {
    const annaAgent = async (): Promise<{ state: string; reason: string }> => (await h.api('GET', `/api/agents/${annaId}`, anna)).body as { state: string; reason: string };
    await h.api('POST', `/api/agents/${annaId}/state`, anna, { state: 'ready' });
    const trunk = sipp({ scenario: trunkScenario(CLIENT), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    const phone = sipp({ scenario: staffPhoneScenario({ direction: 'outbound', talkMs: 6000 }), ip: '127.0.0.1', port: annaPhone, mediaPort: await freeMediaPort() });
    await Promise.all([sippListening(TRUNK_IP, trunkPort), sippListening('127.0.0.1', annaPhone)]);
    const placed = await h.api('POST', '/api/calls/outbound', anna, { number: CLIENT_NATIONAL });
    expect(placed.status).toBe(202);
    expect(placed.body.callId).toMatch(/^[0-9a-f-]{36}$/);
    // Out of the ACD's pool from the moment she asked for the call.
    const during = await annaAgent();
    const [phoneDone, trunkDone] = await Promise.all([phone.done, trunk.done]);
    expect({ code: phoneDone.code, output: phoneDone.code === 0 ? '' : phoneDone.output }).toEqual({ code: 0, output: '' });
    expect({ code: trunkDone.code, output: trunkDone.code === 0 ? '' : trunkDone.output }).toEqual({ code: 0, output: '' });

    const call = (await eventually(async () => (await h.db.query('SELECT * FROM calls WHERE id = $1', [placed.body.callId])).rows[0], (c) => c?.recording_id != null && c?.ended_at != null))!;
    expect(call).toMatchObject({
      direction: 'outbound', caller_number: 'anna', dialed_number: CLIENT, trunk: `${TRUNK_IP}:${trunkPort}`,
      agent_id: annaId, outcome: 'answered', hangup_side: 'agent',
    });
    // The number belongs to a demo client: the row names it.
    expect(call.client_id).not.toBeNull();
    expect(call.talk_ms).toBeGreaterThan(4000);
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types.indexOf('offered')).toBeLessThan(types.indexOf('remote_answered'));
    expect(types.indexOf('remote_answered')).toBeLessThan(types.indexOf('recording_started'));
    await expectTalkedAndRecorded(call);
    expect(during).toMatchObject({ state: 'not_ready', reason: 'direct_call' });
    // Ready again once the call is over.
    expect(await eventually(annaAgent, (a) => a.state === 'ready')).toMatchObject({ state: 'ready' });
  }, 90000);

  it('click-to-call is refused up front: 403 without the dial-out right (and the right shows in the staff API), 400 for a bad number, 409 without a registered phone', async () => {
    const tatianaId = (await h.db.query<{ staff_id: number }>("SELECT staff_id FROM users WHERE username = 'tatiana'")).rows[0]!.staff_id;
    const staff = await h.api('GET', `/api/staff/${tatianaId}`, admin);
    expect(staff.body.canDialOut).toBe(false);
    expect((await h.api('GET', `/api/staff/${annaId}`, admin)).body.canDialOut).toBe(true);
    expect((await h.api('POST', '/api/calls/outbound', tatiana, { number: CLIENT })).status).toBe(403);
    expect((await h.api('POST', '/api/calls/outbound', anna, { number: 'not a number' })).status).toBe(400);
    expect((await h.api('POST', '/api/calls/outbound', anna, { number: CLIENT, staffId: tatianaId })).status).toBe(403);
    // Olga may dial out but has no phone registered.
    expect((await h.api('POST', '/api/calls/outbound', await h.login('olga', 'demo-pass-1'), { number: CLIENT })).status).toBe(409);
    // Granting the right through the staff API is what lets Tatiana dial: then only her missing phone stops her.
    expect((await h.api('PATCH', `/api/staff/${tatianaId}`, admin, { canDialOut: true })).body.canDialOut).toBe(true);
    expect((await h.api('POST', '/api/calls/outbound', tatiana, { number: CLIENT })).status).toBe(409);
    expect((await h.api('PATCH', `/api/staff/${tatianaId}`, admin, { canDialOut: false })).body.canDialOut).toBe(false);
    expect(await callsSince()).toEqual([]);
  }, 30000);

  it('a phone that is not a trunk cannot call out without credentials: 407, then 403 for a wrong password; a staff member without the dial-out right gets 403', async () => {
    const wrong = sipp({ scenario: deviceCallerScenario({ dialled: CLIENT, user: 'anna', expect: 403 }), ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget, auth: { user: 'anna', password: 'wrong-password', uri: `${CLIENT}@${h.sipTarget}` }, timeoutSeconds: 15 });
    const wrongDone = await wrong.done;
    expect({ code: wrongDone.code, output: wrongDone.code === 0 ? '' : wrongDone.output }).toEqual({ code: 0, output: '' });
    const unknown = sipp({ scenario: deviceCallerScenario({ dialled: CLIENT, user: 'nobody', expect: 403 }), ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget, auth: { user: 'nobody', password: 'demo-pass-1', uri: `${CLIENT}@${h.sipTarget}` }, timeoutSeconds: 15 });
    expect((await unknown.done).code).toBe(0);
    const notAllowed = sipp({ scenario: deviceCallerScenario({ dialled: CLIENT, user: 'tatiana', expect: 403 }), ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget, auth: { user: 'tatiana', password: 'demo-pass-1', uri: `${CLIENT}@${h.sipTarget}` }, timeoutSeconds: 15 });
    const notAllowedDone = await notAllowed.done;
    expect({ code: notAllowedDone.code, output: notAllowedDone.code === 0 ? '' : notAllowedDone.output }).toEqual({ code: 0, output: '' });
    // Nothing reached the trunk and no call was placed.
    expect(await callsSince()).toEqual([]);
  }, 60000);

  it('an operator dials a number on her authenticated desk phone: it goes out through the trunk and is recorded', async () => {
    const trunk = sipp({ scenario: trunkScenario(CLIENT), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    await sippListening(TRUNK_IP, trunkPort);
    const caller = sipp({ scenario: deviceCallerScenario({ dialled: CLIENT, user: 'anna', expect: 200, talkMs: 5000, audio: true }), ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget, auth: { user: 'anna', password: 'demo-pass-1', uri: `${CLIENT}@${h.sipTarget}` } });
    const [callerDone, trunkDone] = await Promise.all([caller.done, trunk.done]);
    expect({ code: callerDone.code, output: callerDone.code === 0 ? '' : callerDone.output }).toEqual({ code: 0, output: '' });
    expect(trunkDone.code).toBe(0);
    const calls = await eventually(callsSince, (rows) => rows[0]?.recording_id != null);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ direction: 'outbound', caller_number: 'anna', dialed_number: CLIENT, agent_id: annaId, outcome: 'answered' });
    await expectTalkedAndRecorded(calls[0]);
  }, 60000);

  it('the outbound policy (issue 15): a premium-rate number dialled on a desk phone gets 403 with the reason and never reaches the trunk, nor by click-to-call; the allowed number right after does', async () => {
    const PREMIUM = '+78091234567';
    // The trunk takes exactly one call and insists it is for CLIENT: a premium INVITE reaching it would fail the check.
    const trunk = sipp({ scenario: trunkScenario(CLIENT), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    await sippListening(TRUNK_IP, trunkPort);
    const denied = sipp({
      scenario: deviceCallerScenario({ dialled: PREMIUM, user: 'anna', expect: 403, warning: 'premium-rate' }),
      ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget,
      auth: { user: 'anna', password: 'demo-pass-1', uri: `${PREMIUM}@${h.sipTarget}` }, timeoutSeconds: 15,
    });
    const deniedDone = await denied.done;
    expect({ code: deniedDone.code, output: deniedDone.code === 0 ? '' : deniedDone.output }).toEqual({ code: 0, output: '' });
    const clicked = await h.api('POST', '/api/calls/outbound', anna, { number: '8 809 123-45-67' });
    expect(clicked.status).toBe(403);
    expect(clicked.body.error).toMatchObject({ code: 'DESTINATION_NOT_ALLOWED', details: [{ path: 'reason', message: 'premium_rate' }] });
    expect(await callsSince()).toEqual([]);

    const allowed = sipp({
      scenario: deviceCallerScenario({ dialled: CLIENT, user: 'anna', expect: 200, talkMs: 2000 }),
      ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget,
      auth: { user: 'anna', password: 'demo-pass-1', uri: `${CLIENT}@${h.sipTarget}` },
    });
    const [allowedDone, trunkDone] = await Promise.all([allowed.done, trunk.done]);
    expect({ code: allowedDone.code, output: allowedDone.code === 0 ? '' : allowedDone.output }).toEqual({ code: 0, output: '' });
    expect({ code: trunkDone.code, output: trunkDone.code === 0 ? '' : trunkDone.output }).toEqual({ code: 0, output: '' });
    const calls = await eventually(callsSince, (rows) => rows[0]?.ended_at != null);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ direction: 'outbound', dialed_number: CLIENT, trunk: `${TRUNK_IP}:${trunkPort}` });
  }, 60000);

  it('an operator dials a colleague\'s SIP username: an internal call rings the colleague\'s phone, not the trunk', async () => {
    const ionPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: ionPhone, user: 'ion', password: 'demo-pass-1' })).toBe(0);
    const ion = spawn('sipp', ['-sn', 'uas', '-rtp_echo', '-i', '127.0.0.1', '-p', String(ionPhone), '-mp', String(await freeMediaPort()), '-m', '1', '-nostdin', '-timeout', '30s', '-timeout_error'], { stdio: 'ignore' });
    const ionDone = new Promise<number | null>((resolve) => ion.on('exit', (code) => resolve(code)));
    await sippListening('127.0.0.1', ionPhone);
    const caller = sipp({ scenario: deviceCallerScenario({ dialled: 'ion', user: 'anna', expect: 200, talkMs: 3000, audio: true }), ip: '127.0.0.1', port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget, auth: { user: 'anna', password: 'demo-pass-1', uri: `ion@${h.sipTarget}` } });
    const callerDone = await caller.done;
    expect({ code: callerDone.code, output: callerDone.code === 0 ? '' : callerDone.output }).toEqual({ code: 0, output: '' });
    expect(await ionDone).toBe(0);
    const ionId = (await h.db.query<{ staff_id: number }>("SELECT staff_id FROM users WHERE username = 'ion'")).rows[0]!.staff_id;
    const calls = await eventually(callsSince, (rows) => rows[0]?.ended_at != null);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ direction: 'internal', caller_number: 'anna', dialed_number: 'ion', agent_id: ionId, outcome: 'answered', hangup_side: 'caller', trunk: null });
  }, 60000);

  describe('queued callbacks', () => {
    let redis: Redis;
    let acd: Acd;
    const staffState = async (): Promise<string> => (await h.api('GET', `/api/agents/${annaId}`, anna)).body.state as string;
    const setAnna = async (state: string, reason?: string) => h.api('POST', `/api/agents/${annaId}/state`, anna, { state, ...(reason ? { reason } : {}) });
    /** A callback request waiting in the operators' queue, made as a waiting caller's would be. */
    const requestCallback = async (id: string, number: string): Promise<void> => {
      await acd.enqueue({ callId: id, queueId: 'operators', callerNumber: number, meta: { clientId: null, reason: 'test' } });
      await acd.requestCallback(id, number);
    };

    beforeAll(async () => {
      const where = h.system.components.find((c) => c.name === 'redis')!.where;
      redis = new Redis(/redis:\/\/[^\s]+/.exec(where)![0], { maxRetriesPerRequest: 2 });
      // The test's own view of the same ACD: it only writes the request; the system places it.
      acd = new Acd({ redis });
      await acd.prepare();
    });
    afterAll(() => redis?.disconnect());

    it('the agent is rung first, then the client; the callback is a recorded call row with direction callback and the agent goes to wrap-up', async () => {
      for (const login of ['ion', 'olga']) {
        const token = await h.login(login, 'demo-pass-1');
        const id = (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
        await h.api('POST', `/api/agents/${id}/state`, token, { state: 'not_ready', reason: 'break' });
      }
      if ((await staffState()) !== 'not_ready') await setAnna('not_ready', 'break');
      const id = `cb-${Date.now()}`;
      await requestCallback(id, CLIENT);
      expect((await acd.getCall(id))?.kind).toBe('callback');

      const trunk = sipp({ scenario: trunkScenario(CLIENT), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
      const phone = sipp({ scenario: staffPhoneScenario({ direction: 'callback', talkMs: 5000 }), ip: '127.0.0.1', port: annaPhone, mediaPort: await freeMediaPort() });
      await Promise.all([sippListening(TRUNK_IP, trunkPort), sippListening('127.0.0.1', annaPhone)]);
      expect((await setAnna('ready')).status).toBe(200);
      const [phoneDone, trunkDone] = await Promise.all([phone.done, trunk.done]);
      expect({ code: phoneDone.code, output: phoneDone.code === 0 ? '' : phoneDone.output }).toEqual({ code: 0, output: '' });
      expect(trunkDone.code).toBe(0);

      const calls = await eventually(callsSince, (rows) => rows[0]?.recording_id != null);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ direction: 'callback', dialed_number: CLIENT, agent_id: annaId, outcome: 'answered', caller_number: 'anna' });
      expect(calls[0].client_id).not.toBeNull();
      await expectTalkedAndRecorded(calls[0]);
      expect((await acd.getCall(id))?.state).toBe('completed');
      expect(await eventually(staffState, (s) => s === 'wrap_up' || s === 'ready')).toMatch(/wrap_up|ready/);
      if ((await staffState()) === 'wrap_up') await h.api('POST', `/api/agents/${annaId}/wrap-up/end`, anna);
    }, 90000);

    it('a client who does not answer: the call row says so and the callback is tried again at the caller\'s original place', async () => {
      if ((await staffState()) !== 'not_ready') await setAnna('not_ready', 'break');
      const id = `cb-${Date.now()}`;
      await requestCallback(id, CLIENT);
      const original = await acd.getCall(id);
      const trunk = sipp({ scenario: busyTrunkScenario(), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
      const phone = sipp({
        scenario: scenario(`${answerCall()}\n${awaitBye(30000)}`),
        ip: '127.0.0.1', port: annaPhone, mediaPort: await freeMediaPort(),
      });
      await Promise.all([sippListening(TRUNK_IP, trunkPort), sippListening('127.0.0.1', annaPhone)]);
      expect((await setAnna('ready')).status).toBe(200);
      const [phoneDone, trunkDone] = await Promise.all([phone.done, trunk.done]);
      expect({ code: phoneDone.code, output: phoneDone.code === 0 ? '' : phoneDone.output }).toEqual({ code: 0, output: '' });
      expect(trunkDone.code).toBe(0);

      const calls = await eventually(callsSince, (rows) => rows[0]?.ended_at != null);
      expect(calls[0]).toMatchObject({ direction: 'callback', dialed_number: CLIENT, outcome: 'failed', hangup_side: 'system' });
      expect(calls[0].hangup_cause).toMatch(/486/);
      const note = (await eventsOf(calls[0].id)).find((e) => e.type === 'note' && e.data.callback)?.data.callback;
      expect(note).toMatchObject({ outcome: 'requeued', attempt: 1, next: `${id}.cb2` });
      const retry = await acd.getCall(`${id}.cb2`);
      expect(retry).toMatchObject({ kind: 'callback', state: 'waiting', callbackNumber: CLIENT, queueId: 'operators', score: original!.score });
      // Clean up: the retry is withdrawn so that later tests see an empty line.
      await acd.abandon(`${id}.cb2`);
    }, 90000);
  });
});
