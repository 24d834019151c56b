import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { callerScenario, freeMediaPort, registerPhone, runSipp } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { RtpengineProbe, answeringPhoneScenario, decliningPhoneScenario, sample, sippErrors, startPhone } from './call-session-kit';

const MARKET_CLIENT = '+74951000001';


describeWithDrachtio('warm transfer (consult) through real drachtio-server, rtpengine, Redis and Postgres (sipp caller and desk phones)', () => {
  let h: SystemHarness;
  let rtpengine: RtpengineProbe;
  const tokens: Record<string, string> = {};
  const phones: Record<string, number> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await startSystemHarness();
    rtpengine = new RtpengineProbe(h);
    for (const login of ['anna', 'olga', 'tatiana']) {
      tokens[login] = await h.login(login, 'demo-pass-1');
      phones[login] = await freeTcpPort();
      expect(await registerPhone({ target: h.sipTarget, port: phones[login], user: login, password: 'demo-pass-1' })).toBe(0);
      const { rows } = await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login]);
      ids[login] = rows[0]!.staff_id;
    }
  }, 120000);

  afterAll(async () => {
    rtpengine?.close();
    await h?.close();
  });

  // Each scenario leaves no call and no rtpengine session behind (every resource released, design §8).
  afterEach(() => h.expectNothingLeft(), 30_000);

  const agentState = async (login: string): Promise<string> => (await h.api('GET', `/api/agents/${ids[login]}`, tokens[login]!)).body.state as string;
  /** Anna Ready (she takes the hotline call), Olga and Tatiana not: Tatiana is consulted as a person, rung directly. */
  const onlyAnnaReady = async (): Promise<void> => {
    for (const login of ['anna', 'olga', 'tatiana']) {
      if ((await agentState(login)) === 'wrap_up') await h.api('POST', `/api/agents/${ids[login]}/wrap-up/end`, tokens[login]!);
      const want = login === 'anna' ? 'ready' : 'not_ready';
      if ((await agentState(login)) !== want) await h.api('POST', `/api/agents/${ids[login]}/state`, tokens[login]!, { state: want, ...(want === 'not_ready' ? { reason: 'break' } : {}) });
      expect(await agentState(login)).toBe(want);
    }
  };
  let testStartedAt = new Date();
  beforeEach(() => {
    testStartedAt = new Date();
  });
  const latestCall = async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [testStartedAt])).rows[0];
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data, at FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any; at: Date }>;
  /** The hotline call Anna is talking on, once she is. */
  const annasCall = async (): Promise<string> => {
    const onCall = await eventually(() => h.api('GET', `/api/agents/${ids.anna}`, tokens.anna!), (r) => r.body?.state === 'on_call' && !!r.body?.callId, 20000);
    expect(onCall.body.state).toBe('on_call');
    return onCall.body.callId as string;
  };
  const consultState = async (callId: string): Promise<string | null> => ((await h.api('GET', `/api/calls/${callId}/consult`, tokens.anna!)).body?.consult?.state as string | undefined) ?? null;
  /** RTP packets rtpengine received from the legs whose tag matches. */
  const packets = (value: Record<string, number> | null, match: RegExp): number => Object.entries(value ?? {}).filter(([tag]) => match.test(tag)).reduce((n, [, p]) => n + p, 0);

  it('Anna consults Tatiana, then completes: the caller and Tatiana exchange audio, Anna goes to wrap-up, the call row shows both agents and the warm transfer; Tatiana gets no finance calls meanwhile', async () => {
    await onlyAnnaReady();
    // Tatiana is Ready in the finance queue (nobody waits there): rung directly for the consult, she is out of the ACD's pool until her leg ends.
    await h.api('POST', `/api/agents/${ids.tatiana}/state`, tokens.tatiana!, { state: 'ready' });
    // Anna's phone is silent and takes the re-INVITE that pairs it with Tatiana; Tatiana's echoes what she hears.
    const anna = startPhone({ scenario: answeringPhoneScenario({ reinvites: 1 }), port: phones.anna!, mediaPort: await freeMediaPort() });
    const tatiana = startPhone({ scenario: answeringPhoneScenario({ reinvites: 0 }), port: phones.tatiana!, mediaPort: await freeMediaPort(), rtpEcho: true });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 12000 }, { audio: true }, { pauseMs: 8000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const counters = sample(() => rtpengine.packetsByTag(), 200);
    const callId = await annasCall();

    const target = { kind: 'person', staffId: ids.tatiana };
    expect((await h.api('POST', `/api/calls/${callId}/consult`, tokens.olga!, { target })).status).toBe(403);
    expect((await h.api('POST', `/api/calls/${callId}/consult/complete`, tokens.anna!)).status).toBe(409);
    const started = await h.api('POST', `/api/calls/${callId}/consult`, tokens.anna!, { target });
    expect(started.status).toBe(200);
    expect(started.body.consult).toMatchObject({ state: 'ringing', target: { kind: 'person', staffId: ids.tatiana } });
    expect(await eventually(() => consultState(callId), (s) => s === 'talking')).toBe('talking');
    const tatianaDuring = (await h.api('GET', `/api/agents/${ids.tatiana}`, tokens.tatiana!)).body as { state: string; reason: string };
    const completedAt = Date.now();
    const completed = await h.api('POST', `/api/calls/${callId}/consult/complete`, tokens.anna!);
    expect(completed.status).toBe(200);
    expect(await anna.done).toBe(0);
    expect(await agentState('anna')).toBe('wrap_up');

    const result = await caller;
    await counters.stop();
    expect(sippErrors(result.errors)).toBe('');
    expect(result.successful).toBe(1);
    expect(await tatiana.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ id: callId, outcome: 'transferred', hangup_side: 'caller', agent_id: ids.anna });
    expect(call.agent_ids).toEqual([ids.anna, ids.tatiana]);
    expect(call.transfers).toHaveLength(1);
    expect(call.transfers[0]).toMatchObject({ kind: 'warm', target: { kind: 'person', staffId: ids.tatiana }, byAgentId: ids.anna, result: 'completed' });
    const events = await eventsOf(callId);
    const types = events.map((e) => e.type);
    expect(events.find((e) => e.type === 'transfer')?.data).toMatchObject({ mode: 'warm', target: { kind: 'person', staffId: ids.tatiana }, fromAgentId: ids.anna, toAgentId: ids.tatiana });
    expect(types.indexOf('transfer_started')).toBeLessThan(types.indexOf('transfer'));
    expect(types.filter((t) => t === 'agent_answered')).toHaveLength(2);

    // Before the transfer completed nobody spoke to Tatiana (Anna is silent); afterwards the caller's audio reached her and her echo came back.
    const before = counters.samples.filter((s) => s.at < completedAt).pop()?.value ?? null;
    const after = counters.samples.filter((s) => s.value !== null).pop()?.value ?? null;
    const figures = { tatianaBefore: packets(before, /^consult-/), tatianaAfter: packets(after, /^consult-/), callerAfter: packets(after, /SIPpTag00/) - packets(before, /SIPpTag00/) };
    expect(figures.tatianaBefore).toBeLessThan(10);
    expect(figures.tatianaAfter).toBeGreaterThan(150);
    expect(figures.callerAfter).toBeGreaterThan(150);
    const media = events.find((e) => e.type === 'note' && e.data.media)?.data.media;
    expect(media.agentPackets).toBeGreaterThan(150);
    expect(await rtpengine.calls()).toEqual([]);
    expect(tatianaDuring).toMatchObject({ state: 'not_ready', reason: 'direct_call' });
    // Her leg ended with the call: she is Ready again, as she was.
    expect(await eventually(() => agentState('tatiana'), (s) => s === 'ready')).toBe('ready');
  }, 120000);

  it('Anna consults Tatiana, then cancels: Tatiana is hung up, the caller and Anna talk again, and the call row keeps one agent and a cancelled transfer', async () => {
    await onlyAnnaReady();
    // Now Anna's phone echoes: after the cancel, the caller's audio must come back through her again.
    const anna = startPhone({ scenario: answeringPhoneScenario({ reinvites: 1 }), port: phones.anna!, mediaPort: await freeMediaPort(), rtpEcho: true });
    const tatiana = startPhone({ scenario: answeringPhoneScenario({ reinvites: 0 }), port: phones.tatiana!, mediaPort: await freeMediaPort() });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 12000 }, { audio: true }, { pauseMs: 8000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const counters = sample(() => rtpengine.packetsByTag(), 200);
    const callId = await annasCall();
    expect((await h.api('POST', `/api/calls/${callId}/consult`, tokens.anna!, { target: { kind: 'person', staffId: ids.tatiana } })).status).toBe(200);
    expect(await eventually(() => consultState(callId), (s) => s === 'talking')).toBe('talking');
    const cancelledAt = Date.now();
    expect((await h.api('POST', `/api/calls/${callId}/consult/cancel`, tokens.anna!)).status).toBe(200);
    expect(await tatiana.done).toBe(0);
    expect((await h.api('GET', `/api/calls/${callId}/consult`, tokens.anna!)).status).toBe(404);
    expect(await agentState('anna')).toBe('on_call');

    const result = await caller;
    await counters.stop();
    expect(sippErrors(result.errors)).toBe('');
    expect(result.successful).toBe(1);
    expect(await anna.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ id: callId, outcome: 'answered', hangup_side: 'caller' });
    expect(call.agent_ids).toEqual([ids.anna]);
    expect(call.transfers[0]).toMatchObject({ kind: 'warm', result: 'cancelled' });
    const types = (await eventsOf(callId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['transfer_started', 'transfer_cancelled']));
    expect(types).not.toContain('transfer');
    // Anna's leg carries the caller's audio again after the cancel (her echo), Tatiana's got none.
    const before = counters.samples.filter((s) => s.at < cancelledAt).pop()?.value ?? null;
    const after = counters.samples.filter((s) => s.value !== null).pop()?.value ?? null;
    const annaTag = (value: Record<string, number> | null): number => packets(value, /^agent-/) + packets(value, /^ivr$/);
    expect(annaTag(after) - annaTag(before)).toBeGreaterThan(150);
    expect(packets(after, /^consult-/)).toBeLessThan(10);
    expect(call.hold_ms).toBeGreaterThan(0);
    await h.api('POST', `/api/agents/${ids.anna}/wrap-up/end`, tokens.anna!);
  }, 120000);

  it('Anna consults the finance service: the ACD picks Tatiana (Ready in the finance queue), and after completing Tatiana is on the call in the ACD, then in wrap-up', async () => {
    await onlyAnnaReady();
    await h.api('POST', `/api/agents/${ids.tatiana}/state`, tokens.tatiana!, { state: 'ready' });
    expect(await agentState('tatiana')).toBe('ready');
    const anna = startPhone({ scenario: answeringPhoneScenario({ reinvites: 1 }), port: phones.anna!, mediaPort: await freeMediaPort() });
    const tatiana = startPhone({ scenario: answeringPhoneScenario({ reinvites: 0 }), port: phones.tatiana!, mediaPort: await freeMediaPort(), rtpEcho: true });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 10000 }, { audio: true }, { pauseMs: 4000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const callId = await annasCall();
    const started = await h.api('POST', `/api/calls/${callId}/consult`, tokens.anna!, { target: { kind: 'finance' } });
    expect(started.status).toBe(200);
    expect(started.body.consult.target).toMatchObject({ kind: 'finance', department: 'finance', queue: 'finance' });
    expect(await eventually(() => consultState(callId), (s) => s === 'talking')).toBe('talking');
    expect(await agentState('tatiana')).toBe('on_call');
    expect((await h.api('POST', `/api/calls/${callId}/consult/complete`, tokens.anna!)).status).toBe(200);
    expect(await anna.done).toBe(0);
    expect(await agentState('anna')).toBe('wrap_up');
    expect(await agentState('tatiana')).toBe('on_call');
    expect((await caller).successful).toBe(1);
    expect(await tatiana.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ id: callId, outcome: 'transferred' });
    expect(call.agent_ids).toEqual([ids.anna, ids.tatiana]);
    expect(call.transfers[0]).toMatchObject({ kind: 'warm', target: { kind: 'finance', queue: 'finance' }, result: 'completed' });
    expect(await eventually(() => agentState('tatiana'), (s) => s === 'wrap_up')).toBe('wrap_up');
    await h.api('POST', `/api/agents/${ids.tatiana}/wrap-up/end`, tokens.tatiana!);
    await h.api('POST', `/api/agents/${ids.anna}/wrap-up/end`, tokens.anna!);
  }, 120000);

  it('a consulted person who declines is reported (consult_failed); the caller stays on hold until Anna cancels', async () => {
    await onlyAnnaReady();
    const anna = startPhone({ scenario: answeringPhoneScenario({ reinvites: 0 }), port: phones.anna!, mediaPort: await freeMediaPort() });
    const tatiana = startPhone({ scenario: decliningPhoneScenario(), port: phones.tatiana!, mediaPort: await freeMediaPort() });
    const caller = runSipp({
      scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 9000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    const callId = await annasCall();
    expect((await h.api('POST', `/api/calls/${callId}/consult`, tokens.anna!, { target: { kind: 'person', staffId: ids.tatiana } })).status).toBe(200);
    expect(await tatiana.done).toBe(0);
    expect(await eventually(() => consultState(callId), (s) => s === 'failed')).toBe('failed');
    expect((await h.api('POST', `/api/calls/${callId}/consult/complete`, tokens.anna!)).status).toBe(409);
    expect((await h.api('POST', `/api/calls/${callId}/consult/cancel`, tokens.anna!)).status).toBe(200);
    expect((await caller).successful).toBe(1);
    expect(await anna.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ id: callId, outcome: 'answered' });
    const events = await eventsOf(callId);
    expect(events.find((e) => e.type === 'consult_failed')?.data).toMatchObject({ reason: 'declined (603)', target: { kind: 'person', staffId: ids.tatiana } });
    expect(events.map((e) => e.type)).toContain('transfer_cancelled');
    expect(await rtpengine.calls()).toEqual([]);
    await h.api('POST', `/api/agents/${ids.anna}/wrap-up/end`, tokens.anna!);
  }, 90000);
});
