import { readFileSync } from 'node:fs';
import { parseWav } from '../../src/media/wav-file';
import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually, quietPeriod } from '../helpers/eventually';
import { channelRms } from '../helpers/wav-level';
import { agentScenario, callerScenario, freeMediaPort, referringAgentScenario, registerPhone, runSipp, startSippPhone, type SippResult } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

const MARKET_CLIENT = '+74951000001';


describeWithDrachtio('hotline calls through real drachtio-server, rtpengine, Redis and Postgres (sipp callers and desk phones)', () => {
  let h: SystemHarness;
  let anna: string;
  let olga: string;
  let annaPhone: number;
  let olgaPhone: number;

  beforeAll(async () => {
    h = await startSystemHarness();
    anna = await h.login('anna', 'demo-pass-1');
    olga = await h.login('olga', 'demo-pass-1');
    annaPhone = await freeTcpPort();
    olgaPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: annaPhone, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    expect(await registerPhone({ target: h.sipTarget, port: olgaPhone, user: 'olga', password: 'demo-pass-1' })).toBe(0);
  }, 120000);

  afterAll(async () => {
    await h?.close();
  });

  // Each scenario leaves no call and no rtpengine session behind (every resource released, design §8).
  afterEach(() => h.expectNothingLeft(), 30_000);

  const staffId = async (login: string): Promise<number> => {
    const { rows } = await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login]);
    return rows[0]!.staff_id;
  };
  const setState = async (token: string, login: string, state: string, reason?: string) =>
    h.api('POST', `/api/agents/${await staffId(login)}/state`, token, { state, ...(reason ? { reason } : {}) });
  const agentState = async (token: string, login: string) => (await h.api('GET', `/api/agents/${await staffId(login)}`, token)).body.state as string;
  /** The call row of the call this test made (rows are written when a call ends). */
  let testStartedAt = new Date();
  beforeEach(() => {
    testStartedAt = new Date();
  });
  const latestCall = async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [testStartedAt])).rows[0];
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data, at FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any; at: Date }>;

  /** Tatiana (finance) with a registered desk phone and Anna both Ready, Olga on a break: the stage for a transfer to finance. */
  const readyAnnaAndFinance = async (): Promise<{ tatiana: string; tatianaPhone: number }> => {
    const tatiana = await h.login('tatiana', 'demo-pass-1');
    const tatianaPhone = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: tatianaPhone, user: 'tatiana', password: 'demo-pass-1' })).toBe(0);
    await setState(olga, 'olga', 'not_ready', 'break');
    // Setting ready is refused when already ready (an earlier test may leave Anna so): check the state itself.
    await setState(anna, 'anna', 'ready');
    await setState(tatiana, 'tatiana', 'ready');
    expect(await agentState(anna, 'anna')).toBe('ready');
    expect(await agentState(tatiana, 'tatiana')).toBe('ready');
    return { tatiana, tatianaPhone };
  };
  /** The call row of a call Anna blind-transferred to the finance queue and Tatiana took, ended by the caller. */
  const expectTransferredFromAnnaToFinance = (call: any, annaId: number, tatianaId: number): void => {
    expect(call).toMatchObject({ outcome: 'transferred', hangup_side: 'caller' });
    expect(call.agent_ids).toEqual([annaId, tatianaId]);
    expect(call.transfers).toHaveLength(1);
    expect(call.transfers[0]).toMatchObject({ kind: 'blind', target: { kind: 'queue', queue: 'finance' }, byAgentId: annaId, result: 'completed' });
  };

  /**
   * After Anna handed the caller to finance: Tatiana talks, Anna is out of the call, and the caller's and Tatiana's
   * sipp runs end cleanly. Returns the call's row once the call has ended.
   */
  const financeTakesOver = async (tatiana: string, caller: Promise<SippResult>, tatianaAnswers: { done: Promise<number | null> }) => {
    expect(await eventually(() => agentState(tatiana, 'tatiana'), (s) => s === 'on_call', 15000)).toBe('on_call');
    expect(['wrap_up', 'ready']).toContain(await agentState(anna, 'anna'));
    const result = await caller;
    expect(result.errors).toBe('');
    expect(result.successful).toBe(1);
    expect(await tatianaAnswers.done).toBe(0);
    return eventually(latestCall, (c) => c?.ended_at != null);
  };

  it('a market client presses 1, waits for an operator, talks, and is recorded: one call row, its events, media both ways, a stereo recording', async () => {
    await setState(olga, 'olga', 'not_ready', 'break');
    expect((await setState(anna, 'anna', 'ready')).body.state).toBe('ready');
    const phone = startSippPhone({ scenario: 'uas', port: annaPhone, mediaPort: await freeMediaPort() });
    const caller = await runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 6000 }, { audio: true }, { pauseMs: 5000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    expect(caller.errors).toBe('');
    expect(caller.successful).toBe(1);
    expect(await phone.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null && c?.recording_id != null);
    expect(call).toMatchObject({ outcome: 'answered', hangup_side: 'caller', client_type: 'market', queue_name: 'operators', agent_id: await staffId('anna'), caller_e164: MARKET_CLIENT });
    expect(call.routing_reason).toBe('order from market client Sadovod market, stall 14 — queue operators, priority 5');
    expect(call.talk_ms).toBeGreaterThan(8000);
    const events = await eventsOf(call.id);
    const types = events.map((e) => e.type);
    for (const [before, after] of [['answered', 'ivr_started'], ['ivr_started', 'dtmf'], ['dtmf', 'routed'], ['routed', 'queued'], ['queued', 'offered'], ['offered', 'agent_answered'], ['agent_answered', 'ended']]) {
      expect(types.indexOf(before!)).toBeLessThan(types.indexOf(after!));
    }
    expect(events.find((e) => e.type === 'dtmf')?.data).toMatchObject({ digit: '1' });
    // The IVR timeline in the order it happened: the greeting was entered before the key press (which may come
    // while it plays: barge-in), the branch the key chose after it; each step at its own time.
    const steps = events.map((e) => (e.type === 'ivr_step' ? e.data.nodeId as string : e.type)).filter((t) => t === 'dtmf' || ['greeting', 'hours', 'main_menu', 'check_debt', 'route_order'].includes(t));
    expect(steps.filter((t) => t !== 'dtmf')).toEqual(['greeting', 'hours', 'main_menu', 'check_debt', 'route_order']);
    expect(steps.indexOf('greeting')).toBeLessThan(steps.indexOf('dtmf'));
    expect(steps.indexOf('dtmf')).toBeLessThan(steps.indexOf('check_debt'));
    const path = call.ivr_path as Array<{ nodeId: string; at: number }>;
    expect(path.map((p) => p.nodeId)).toEqual(['greeting', 'hours', 'main_menu', 'check_debt', 'route_order']);
    const dtmfAt = new Date(events.find((e) => e.type === 'dtmf')!.at).getTime();
    expect(path[0]!.at).toBeLessThan(dtmfAt);
    expect(path[3]!.at).toBeGreaterThanOrEqual(dtmfAt);
    expect(path.every((p, i) => i === 0 || p.at >= path[i - 1]!.at)).toBe(true);
    const media = events.find((e) => e.type === 'note' && e.data.media)?.data.media;
    expect(media.callerPackets).toBeGreaterThan(100);
    expect(media.agentPackets).toBeGreaterThan(100);

    const recording = (await h.db.query('SELECT * FROM recordings WHERE id = $1', [call.recording_id])).rows[0];
    expect(Math.abs(recording.duration_ms - call.talk_ms)).toBeLessThan(2000);
    const wav = readFileSync(recording.file_path);
    const info = parseWav(wav);
    expect(info).toMatchObject({ channels: 2, sampleRate: 8000, bitsPerSample: 16 });
    const levels = [channelRms(wav, 0), channelRms(wav, 1)];
    expect({ caller: levels[0]! > 50, agent: levels[1]! > 50, levels }).toMatchObject({ caller: true, agent: true });
    expect(await agentState(anna, 'anna')).toBe('wrap_up');
    await h.api('POST', `/api/agents/${await staffId('anna')}/wrap-up/end`, anna);
  }, 120000);

  it('a trunk\'s INVITE without SDP (delayed offer) is answered with our offer, the ACK brings the answer: the IVR takes the caller\'s key 1 over that media, the caller talks with the operator both ways, and is recorded', async () => {
    await setState(olga, 'olga', 'not_ready', 'break');
    // Refused when already ready (after an earlier test's wrap-up): the state itself is what counts.
    await setState(anna, 'anna', 'ready');
    expect(await agentState(anna, 'anna')).toBe('ready');
    const phone = startSippPhone({ scenario: 'uas', port: annaPhone, mediaPort: await freeMediaPort() });
    const caller = await runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', delayedOffer: true, steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 6000 }, { audio: true }, { pauseMs: 5000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    expect(caller.errors).toBe('');
    expect(caller.successful).toBe(1);
    expect(await phone.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null && c?.recording_id != null);
    expect(call).toMatchObject({ outcome: 'answered', hangup_side: 'caller', queue_name: 'operators', agent_id: await staffId('anna'), caller_e164: MARKET_CLIENT });
    const events = await eventsOf(call.id);
    // The key went through rtpengine (RFC 4733 on the media our offer set up): the IVR heard the caller.
    expect(events.find((e) => e.type === 'dtmf')?.data).toMatchObject({ digit: '1' });
    const media = events.find((e) => e.type === 'note' && e.data.media)?.data.media;
    expect({ callerPackets: media.callerPackets > 100, agentPackets: media.agentPackets > 100, media }).toMatchObject({ callerPackets: true, agentPackets: true });
    const recording = (await h.db.query('SELECT * FROM recordings WHERE id = $1', [call.recording_id])).rows[0];
    const wav = readFileSync(recording.file_path);
    const levels = [channelRms(wav, 0), channelRms(wav, 1)];
    expect({ caller: levels[0]! > 50, agent: levels[1]! > 50, levels }).toMatchObject({ caller: true, agent: true });
    await h.api('POST', `/api/agents/${await staffId('anna')}/wrap-up/end`, anna);
  }, 120000);

  it('the call\'s timeline and recording are served over HTTP: supervisors play it with Range, only the operator who took it may open it', async () => {
    const { rows } = await h.db.query("SELECT id, recording_id FROM calls WHERE outcome = 'answered' AND agent_id = $1 ORDER BY started_at DESC LIMIT 1", [await staffId('anna')]);
    const call = rows[0];
    expect(call?.recording_id).toBeTruthy();
    const supervisor = await h.login('supervisor', 'demo-pass-1');
    const detail = await h.api('GET', `/api/calls/${call.id}`, supervisor);
    expect(detail.status).toBe(200);
    expect(detail.body.events.map((e: { type: string }) => e.type)).toContain('agent_answered');
    expect((await h.api('GET', `/api/calls/${call.id}`, anna)).status).toBe(200);
    expect((await h.api('GET', `/api/calls/${call.id}`, olga)).status).toBe(403);
    const whole = await h.fetch(`${h.baseUrl}/api/recordings/${call.recording_id}/audio`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(whole.status).toBe(200);
    const size = Number(whole.headers.get('content-length'));
    expect(size).toBeGreaterThan(44);
    const part = await h.fetch(`${h.baseUrl}/api/recordings/${call.recording_id}/audio`, { headers: { authorization: `Bearer ${supervisor}`, range: 'bytes=44-1043' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 44-1043/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(1000);
    expect((await h.fetch(`${h.baseUrl}/api/recordings/${call.recording_id}/audio`, { headers: { authorization: `Bearer ${anna}` } })).status).toBe(403);
  }, 30000);

  it('an operator who is Ready with no registered phone is skipped at once: shown Not ready (unreachable), the attempt on the call\'s timeline, the caller kept waiting for the next one', async () => {
    const ion = await h.login('ion', 'demo-pass-1');
    const ionId = await staffId('ion');
    await setState(anna, 'anna', 'not_ready', 'lunch');
    await setState(olga, 'olga', 'not_ready', 'break');
    // Ion never registered a phone in this file.
    if (await agentState(ion, 'ion') !== 'ready') await setState(ion, 'ion', 'ready');
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 7000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 40,
    });
    // Well before the reservation would have expired on its own (the ring timeout, 20 s): the caller is still on the line.
    const ionNow = await eventually(() => h.api('GET', `/api/agents/${ionId}`, ion), (r) => r.body.state === 'not_ready', 6000);
    expect(ionNow.body).toMatchObject({ state: 'not_ready', reason: 'unreachable' });
    expect((await caller).successful).toBe(1);
    const call = await eventually(latestCall, (c) => c?.outcome != null);
    expect(call).toMatchObject({ outcome: 'abandoned_queue', agent_id: null });
    const events = await eventsOf(call.id);
    expect(events.filter((e) => e.type === 'offered' || e.type === 'offer_missed').map((e) => [e.type, e.data.agentId, e.data.reason ?? null])).toEqual([
      ['offered', ionId, null], ['offer_missed', ionId, 'unreachable: no registered phone'],
    ]);
  }, 60000);

  it('a caller who hangs up while waiting in the queue is recorded as abandoned in queue, and leaves the queue', async () => {
    await setState(anna, 'anna', 'not_ready', 'lunch');
    await runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 4000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 40,
    });
    const call = await eventually(latestCall, (c) => c?.outcome != null);
    expect(call).toMatchObject({ outcome: 'abandoned_queue', hangup_side: 'caller', queue_name: 'operators', agent_id: null });
    expect(call.queue_wait_ms).toBeGreaterThan(1000);
    const supervisor = await h.login('supervisor', 'demo-pass-1');
    const live = await eventually(() => h.api('GET', '/api/queues/operators/live', supervisor), (r) => r.body?.today?.abandoned >= 1);
    expect(live.status).toBe(200);
    expect(live.body.today.abandoned).toBeGreaterThanOrEqual(1);
    expect(live.body.waitingNow).toBe(0);
  }, 60000);

  it('an operator whose phone is busy is set not ready (missed) and the caller goes to the next operator, keeping their place', async () => {
    await setState(anna, 'anna', 'ready');
    const busy = startSippPhone({ scenario: agentScenario('busy'), port: annaPhone, mediaPort: await freeMediaPort() });
    const answering = startSippPhone({ scenario: 'uas', port: olgaPhone, mediaPort: await freeMediaPort() });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 3000 }, { pauseMs: 4000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 40,
    });
    expect(await busy.done).toBe(0);
    expect(await eventually(() => agentState(anna, 'anna'), (s) => s === 'not_ready')).toBe('not_ready');
    await setState(olga, 'olga', 'ready');
    expect((await caller).successful).toBe(1);
    expect(await answering.done).toBe(0);
    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ outcome: 'answered', agent_id: await staffId('olga') });
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'offered')).toHaveLength(2);
    expect(types).toContain('offer_missed');
    await h.api('POST', `/api/agents/${await staffId('olga')}/wrap-up/end`, olga);
  }, 90000);

  it('a caller who hangs up while the operator\'s phone rings: the ringing is CANCELled and the operator is free again', async () => {
    await setState(olga, 'olga', 'not_ready', 'break');
    await setState(anna, 'anna', 'ready');
    const ringing = startSippPhone({ scenario: agentScenario('ring'), port: annaPhone, mediaPort: await freeMediaPort() });
    await runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 3000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 40,
    });
    expect(await ringing.done).toBe(0);
    const call = await eventually(latestCall, (c) => c?.outcome != null);
    expect(call).toMatchObject({ outcome: 'abandoned_ringing', hangup_side: 'caller' });
    expect(await eventually(() => agentState(anna, 'anna'), (s) => s === 'ready')).toBe('ready');
  }, 60000);

  it('does not let an INVITE from an address that is not a trunk reach the hotline: it is challenged (407) and no call starts', async () => {
    const challengedAt = new Date();
    const result = await runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [] }).replace('<recv response="200" rtd="true" rrs="true"/>', '<recv response="407"/>').replace(/<send>\s*<!\[CDATA\[\s*ACK[\s\S]*?\]\]>\s*<\/send>/, ''),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 10, extraArgs: ['-i', '127.0.0.2'],
    });
    expect(result.successful).toBe(1);
    // Only authenticated staff phones get past the challenge (test/e2e/outbound-calls.test.ts); nothing was answered or recorded.
    await quietPeriod(500, 'a call wrongly started by the challenged INVITE would have written its row by now');
    const started = await h.db.query('SELECT id FROM calls WHERE started_at >= $1', [challengedAt]);
    expect(started.rows).toEqual([]);
  }, 30000);

  it('an operator blind-transfers the caller to the finance queue over REST: the next agent answers, the call is recorded as transferred', async () => {
    const { tatiana, tatianaPhone } = await readyAnnaAndFinance();
    const annaAnswers = startSippPhone({ scenario: 'uas', port: annaPhone, mediaPort: await freeMediaPort() });
    const tatianaAnswers = startSippPhone({ scenario: 'uas', port: tatianaPhone, mediaPort: await freeMediaPort() });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 6000 }, { audio: true }, { pauseMs: 9000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const annaId = await staffId('anna');
    const tatianaId = await staffId('tatiana');
    const onCall = await eventually(() => h.api('GET', `/api/agents/${annaId}`, anna), (r) => r.body?.state === 'on_call' && !!r.body?.callId, 20000);
    expect(onCall.body.state).toBe('on_call');
    const callId = onCall.body.callId as string;
    expect((await h.api('POST', `/api/calls/${callId}/transfer`, olga, { target: { kind: 'queue', queue: 'finance' } })).status).toBe(403);
    expect((await h.api('POST', `/api/calls/${callId}/transfer`, anna, { target: { kind: 'queue', queue: 'no_such_queue' } })).status).toBe(404);
    const transfer = await h.api('POST', `/api/calls/${callId}/transfer`, anna, { target: { kind: 'queue', queue: 'finance' } });
    expect(transfer.status).toBe(200);
    expect(await annaAnswers.done).toBe(0);
    const call = await financeTakesOver(tatiana, caller, tatianaAnswers);
    expect(call.id).toBe(callId);
    expectTransferredFromAnnaToFinance(call, annaId, tatianaId);
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types).toContain('transfer_started');
    expect(types.filter((t) => t === 'agent_answered')).toHaveLength(2);
    expect(types.indexOf('transfer_started')).toBeLessThan(types.lastIndexOf('agent_answered'));
    expect((await h.api('POST', `/api/calls/${callId}/transfer`, anna, { target: { kind: 'queue', queue: 'finance' } })).status).toBe(404);
    expect(['wrap_up', 'ready']).toContain(await agentState(anna, 'anna'));
    expect(await eventually(() => agentState(tatiana, 'tatiana'), (s) => s === 'wrap_up' || s === 'ready')).toMatch(/wrap_up|ready/);
    await h.api('POST', `/api/agents/${annaId}/wrap-up/end`, anna);
    await h.api('POST', `/api/agents/${tatianaId}/wrap-up/end`, tatiana);
    await setState(tatiana, 'tatiana', 'not_ready', 'break');
  }, 120000);

  it('an operator\'s desk phone blind-transfers the caller with a REFER to sip:queue-finance: 202, NOTIFY, BYE, and the finance agent takes the call', async () => {
    const { tatiana, tatianaPhone } = await readyAnnaAndFinance();
    const annaRefers = startSippPhone({ scenario: referringAgentScenario({ referTo: 'sip:queue-finance@127.0.0.1', pauseMs: 2000 }), port: annaPhone, mediaPort: await freeMediaPort() });
    const tatianaAnswers = startSippPhone({ scenario: 'uas', port: tatianaPhone, mediaPort: await freeMediaPort() });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 14000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const annaId = await staffId('anna');
    const tatianaId = await staffId('tatiana');
    expect(await annaRefers.done).toBe(0);
    const call = await financeTakesOver(tatiana, caller, tatianaAnswers);
    expectTransferredFromAnnaToFinance(call, annaId, tatianaId);
    expect((await eventsOf(call.id)).map((e) => e.type)).toContain('transfer_started');
    await h.api('POST', `/api/agents/${annaId}/wrap-up/end`, anna);
    await eventually(() => agentState(tatiana, 'tatiana'), (s) => s === 'wrap_up' || s === 'ready');
    await h.api('POST', `/api/agents/${tatianaId}/wrap-up/end`, tatiana);
    await setState(tatiana, 'tatiana', 'not_ready', 'break');
  }, 120000);

  it('a caller transferred to a queue nobody is free for, who hangs up while waiting: the new queue entry is abandoned', async () => {
    await setState(olga, 'olga', 'not_ready', 'break');
    await setState(anna, 'anna', 'ready');
    expect(await agentState(anna, 'anna')).toBe('ready');
    const annaAnswers = startSippPhone({ scenario: 'uas', port: annaPhone, mediaPort: await freeMediaPort() });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 12000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const annaId = await staffId('anna');
    const onCall = await eventually(() => h.api('GET', `/api/agents/${annaId}`, anna), (r) => r.body?.state === 'on_call' && !!r.body?.callId, 20000);
    const callId = onCall.body.callId as string;
    // Tatiana (finance) was left not ready by the tests above.
    expect((await h.api('POST', `/api/calls/${callId}/transfer`, anna, { target: { kind: 'department', department: 'finance' } })).status).toBe(200);
    expect(await annaAnswers.done).toBe(0);
    expect((await caller).successful).toBe(1);
    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ id: callId, outcome: 'transferred', hangup_side: 'caller', agent_ids: [annaId] });
    expect(call.transfers[0]).toMatchObject({ kind: 'blind', target: { kind: 'department', department: 'finance' }, result: 'completed' });
    const supervisor = await h.login('supervisor', 'demo-pass-1');
    const live = await eventually(() => h.api('GET', '/api/queues/finance/live', supervisor), (r) => r.body?.today?.abandoned >= 1);
    expect(live.body.today.abandoned).toBeGreaterThanOrEqual(1);
    expect(live.body.waitingNow).toBe(0);
    await h.api('POST', `/api/agents/${annaId}/wrap-up/end`, anna);
  }, 90000);
});
