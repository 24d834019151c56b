import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Acd } from '../../src/acd';
import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { freeMediaPort, registerPhone, sippListening } from '../helpers/sipp';
import {
  answerCall, answerInvite, awaitBye, callerScenario, KEEP_DIALOG, pause, phoneBye, playAudio, receiveRequest, referenceVariables, respond, scenario,
} from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

/** The trunk's own loopback address: callers come from it, and callbacks go out to it. */
const TRUNK_IP = '127.0.0.5';
/** Two market clients (demo data): an order (key 1 in the IVR) routes them to the operators' queue. */
const FIRST = '+74951000001';
const LATER = '+74951000007';
const ANNOUNCE_EVERY_S = 3;
/**
 * sipp sends a key by replaying its RFC 2833 pcap, with the same RTP timestamps every time; a second '1' in one call
 * never reached the app in a first run of this test (a replayed event is likely taken for a retransmission on the way):
 * each key of a call must differ. The IVR's order key is 1, so the queue's callback key is 3 and
 * the caller confirms their own number with # (which the dialogue takes as 1).
 */
const CALLBACK_KEY = '3';

/** Runs sipp from `ip` (a UAC with `target`); resolves with its exit code and what it printed, error log included. */
function sipp(options: { scenario: string; ip: string; port: number; mediaPort: number; target?: string; timeoutSeconds?: number }): { done: Promise<{ code: number | null; output: string }>; stop: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-queue-wait-'));
  writeFileSync(path.join(dir, 'scenario.xml'), options.scenario);
  const args = [
    ...(options.target ? [options.target] : []), '-sf', path.join(dir, 'scenario.xml'), '-m', '1', '-i', options.ip, '-p', String(options.port), '-mp', String(options.mediaPort),
    '-nostdin', '-timeout', `${options.timeoutSeconds ?? 90}s`, '-timeout_error', '-trace_err',
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => {
    const file = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
    const errors = file ? readFileSync(path.join(dir, file), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    resolve({ code, output: `${output}\n${errors}` });
  }));
  return { done, stop: () => child.kill('SIGKILL') };
}

/** The operator's desk phone rung for the callback (late offer): answers, talks a little, hangs up. */
function callbackPhoneScenario(): string {
  return scenario(`${receiveRequest('INVITE', { checks: [...KEEP_DIALOG, { regexp: 'callback', header: 'X-Switchboard-Direction:', assignTo: 'direction' }] })}
${respond('180 Ringing', { contact: true })}
${pause(300)}
${answerInvite({ retransmit: true })}
${pause(1500)}
${playAudio()}
${pause(3000)}
${phoneBye(101)}
${referenceVariables('direction')}`);
}

/** The trunk: the client called back answers (the Request-URI must be their number), listens, and the operator hangs up. */
function calledBackClientScenario(e164: string): string {
  return scenario(`${answerCall([{ regexp: `^INVITE sip:\\${e164}@`, assignTo: 'ruri' }])}
${playAudio()}
${awaitBye(60000)}
${referenceVariables('ruri')}`);
}

const ok = (r: { code: number | null; output: string }): { code: number | null; output: string } => ({ code: r.code, output: r.code === 0 ? '' : r.output });

describeWithDrachtio('waiting in a queue (issue 17): position announcement, callback key, called back at the caller’s place (real drachtio, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness;
  let trunkPort: number;
  let redis: Redis;
  let acd: Acd;
  let anna: string;
  let annaId: number;
  let annaPhone: number;

  beforeAll(async () => {
    trunkPort = await freeTcpPort();
    h = await startSystemHarness({ env: { SIP_TRUNKS: `${TRUNK_IP}:${trunkPort}`, CALLBACK_RETRY_DELAY_SECONDS: '0' } });
    const admin = await h.login('admin', 'switchboard-admin');
    // Before any call of this system: the queue's settings are read fresh by the first caller.
    const operators = (await h.api('GET', '/api/queues?limit=100', admin)).body.find((q: { name: string }) => q.name === 'operators');
    expect((await h.api('PATCH', `/api/queues/${operators.id}`, admin, { announceEverySeconds: ANNOUNCE_EVERY_S, callbackKey: CALLBACK_KEY, messageKey: null })).status).toBe(200);
    // Nobody serves the operators' queue until the test says so.
    for (const login of ['anna', 'ion', 'olga']) {
      const token = await h.login(login, 'demo-pass-1');
      const id = (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
      await h.api('POST', `/api/agents/${id}/state`, token, { state: 'not_ready', reason: 'break' });
      if (login === 'anna') {
        anna = token;
        annaId = id;
      }
    }
    annaPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: annaPhone, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    const where = h.system.components.find((c) => c.name === 'redis')!.where;
    redis = new Redis(/redis:\/\/[^\s]+/.exec(where)![0], { maxRetriesPerRequest: 2 });
    acd = new Acd({ redis });
  }, 120000);

  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  afterEach(() => h.expectNothingLeft(), 30_000);

  const callFrom = async (number: string) => (await h.db.query('SELECT * FROM calls WHERE caller_number = $1 AND direction = $2 ORDER BY started_at DESC LIMIT 1', [number, 'inbound'])).rows[0];
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data, at FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any; at: Date }>;

  it('a caller hears their place at the queue’s interval, presses the callback key and confirms, and is called back at their place while a later caller keeps waiting', async () => {
    // The first caller: an order (1), waits, presses the callback key over the announcement, confirms their own number (#), and is hung up on.
    const first = sipp({
      scenario: callerScenario({ from: FIRST, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 2500 + ANNOUNCE_EVERY_S * 1000 }, { key: CALLBACK_KEY }, { pauseMs: 1500 }, { key: '#' }, { awaitBye: true, timeoutMs: 30000 }] }),
      ip: TRUNK_IP, port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget,
    });
    // Rows are written when a call ends: the ACD tells when the first caller waits.
    await eventually(async () => (await acd.waitingCalls('operators')).length, (n) => n === 1);
    // The later caller: an order too, then waits until they give up.
    const later = sipp({
      scenario: callerScenario({ from: LATER, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 30000 }, { hangUp: true }] }),
      ip: TRUNK_IP, port: await freeTcpPort(), mediaPort: await freeMediaPort(), target: h.sipTarget,
    });
    expect(ok(await first.done)).toEqual({ code: 0, output: '' });

    const firstCall = await eventually(() => callFrom(FIRST), (c) => c?.ended_at != null);
    expect(firstCall).toMatchObject({ outcome: 'callback_requested', hangup_side: 'system' });
    const events = await eventsOf(firstCall.id);
    const queuedAt = events.find((e) => e.type === 'queued')!.at.getTime();
    const announcement = events.find((e) => e.type === 'announcement');
    // First in line, nobody serving (no estimate), and the key to press — said one interval after the caller queued.
    expect(announcement?.data).toMatchObject({ queue: 'operators', prompts: ['queue_position', 'num_1', 'queue_wait_unknown', 'queue_press_for_callback', `num_${CALLBACK_KEY}`] });
    expect(announcement!.at.getTime() - queuedAt).toBeGreaterThanOrEqual(ANNOUNCE_EVERY_S * 1000 - 100);
    expect(announcement!.at.getTime() - queuedAt).toBeLessThan(ANNOUNCE_EVERY_S * 1000 + 1500);
    // The keys came through rtpengine's DTMF log (RFC 2833 from sipp): the IVR's 1, then the callback key and # in the queue.
    expect(events.filter((e) => e.type === 'dtmf').map((e) => e.data.digit)).toEqual(['1', CALLBACK_KEY, '#']);
    expect(events.find((e) => e.type === 'callback_requested')?.data).toMatchObject({ number: FIRST, queue: 'operators' });

    // The request keeps the first caller's place: ahead of the later caller, who still waits on the line.
    const waiting = await acd.waitingCalls('operators');
    expect(waiting).toHaveLength(2);
    const [head, next] = await Promise.all(waiting.map((id) => acd.getCall(id)));
    expect(head).toMatchObject({ kind: 'callback', callbackNumber: FIRST });
    expect(next).toMatchObject({ kind: 'call', callerNumber: LATER });

    // An operator comes free: her phone rings for the callback, then the client is dialled through the trunk — not the later caller.
    const trunk = sipp({ scenario: calledBackClientScenario(FIRST), ip: TRUNK_IP, port: trunkPort, mediaPort: await freeMediaPort() });
    const phone = sipp({ scenario: callbackPhoneScenario(), ip: '127.0.0.1', port: annaPhone, mediaPort: await freeMediaPort() });
    await Promise.all([sippListening(TRUNK_IP, trunkPort), sippListening('127.0.0.1', annaPhone)]).catch(async (err: unknown) => {
      trunk.stop();
      phone.stop();
      throw new Error(`${(err as Error).message}\ntrunk: ${(await trunk.done).output}\nphone: ${(await phone.done).output}`);
    });
    expect((await h.api('POST', `/api/agents/${annaId}/state`, anna, { state: 'ready' })).status).toBe(200);
    expect(ok(await phone.done)).toEqual({ code: 0, output: '' });
    expect(ok(await trunk.done)).toEqual({ code: 0, output: '' });
    const callback = await eventually(
      async () => (await h.db.query("SELECT * FROM calls WHERE direction = 'callback' AND dialed_number = $1 ORDER BY started_at DESC LIMIT 1", [FIRST])).rows[0],
      (c) => c?.ended_at != null,
    );
    expect(callback).toMatchObject({ outcome: 'answered', agent_id: annaId });
    // Meanwhile the later caller kept waiting: still in line (their own call not ended), until they gave up.
    expect((await callFrom(LATER))?.ended_at ?? null).toBeNull();
    expect(await acd.waitingCalls('operators')).toEqual([next!.id]);

    // She is back from the callback's wrap-up: the later caller is next, but hangs up first here.
    await h.api('POST', `/api/agents/${annaId}/state`, anna, { state: 'not_ready', reason: 'break' }).catch(() => undefined);
    expect(ok(await later.done)).toEqual({ code: 0, output: '' });
    const laterCall = await eventually(() => callFrom(LATER), (c) => c?.ended_at != null);
    expect(laterCall).toMatchObject({ outcome: 'abandoned_queue', hangup_side: 'caller' });
    const laterAnnouncements = (await eventsOf(laterCall.id)).filter((e) => e.type === 'announcement').map((e) => e.data.prompts.slice(0, 2));
    // Second behind the first caller, then (once the callback was taken) first.
    expect(laterAnnouncements[0]).toEqual(['queue_position', 'num_2']);
    expect(laterAnnouncements).toContainEqual(['queue_position', 'num_1']);
  }, 150000);
});
