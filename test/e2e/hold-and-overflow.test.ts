import Redis from 'ioredis';
import { Acd } from '../../src/acd';
import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { callerScenario, freeMediaPort, registerPhone, runSipp, startSippPhone } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { RtpengineProbe, cancellingCallerScenario, componentAddress, holdingAgentScenario, sample, sessionCallerScenario, sippErrors, startPhone } from './call-session-kit';

const MARKET_CLIENT = '+74951000001';


describeWithDrachtio('hold with music, max-wait overflow and an early CANCEL, through real drachtio-server, rtpengine, Redis and Postgres', () => {
  let h: SystemHarness;
  let rtpengine: RtpengineProbe;
  let redis: Redis;
  let acd: Acd;
  let tokens: Record<string, string>;
  const phones: Record<string, number> = {};

  beforeAll(async () => {
    h = await startSystemHarness();
    rtpengine = new RtpengineProbe(h);
    const { host, port } = componentAddress(h, 'redis');
    redis = new Redis({ host, port, maxRetriesPerRequest: 2 });
    // A second view of the system's ACD (same Redis, same keys): the tests shorten a queue's max wait in it.
    acd = new Acd({ redis });
    tokens = {};
    for (const login of ['anna', 'olga', 'tatiana']) {
      tokens[login] = await h.login(login, 'demo-pass-1');
      phones[login] = await freeTcpPort();
      expect(await registerPhone({ target: h.sipTarget, port: phones[login], user: login, password: 'demo-pass-1' })).toBe(0);
    }
  }, 120000);

  afterAll(async () => {
    rtpengine?.close();
    redis?.disconnect();
    await h?.close();
  });

  // Each scenario leaves no call and no rtpengine session behind (every resource released, design §8).
  afterEach(() => h.expectNothingLeft(), 30_000);

  const staffId = async (login: string): Promise<number> => {
    const { rows } = await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login]);
    return rows[0]!.staff_id;
  };
  const agentState = async (login: string): Promise<string> => (await h.api('GET', `/api/agents/${await staffId(login)}`, tokens[login]!)).body.state as string;
  /** Puts `login` in `state` (ending a wrap-up first), whatever an earlier test left. */
  const setState = async (login: string, state: 'ready' | 'not_ready'): Promise<void> => {
    const id = await staffId(login);
    if ((await agentState(login)) === 'wrap_up') await h.api('POST', `/api/agents/${id}/wrap-up/end`, tokens[login]!);
    if ((await agentState(login)) === state) return;
    await h.api('POST', `/api/agents/${id}/state`, tokens[login]!, { state, ...(state === 'not_ready' ? { reason: 'break' } : {}) });
    expect(await agentState(login)).toBe(state);
  };
  let testStartedAt = new Date();
  beforeEach(() => {
    testStartedAt = new Date();
  });
  const latestCall = async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [testStartedAt])).rows[0];
  const eventsOf = async (callId: string) => (await h.db.query('SELECT type, data, at FROM call_events WHERE call_id = $1 ORDER BY seq', [callId])).rows as Array<{ type: string; data: any; at: Date }>;

  /** Runs `body` with the ACD's `queue` changed by `change`, and puts the queue back afterwards. */
  async function withQueue(queue: string, change: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    const stored = await redis.hget(acd.keys.get('queue', queue), 'config');
    expect(stored).toBeTruthy();
    const original = JSON.parse(stored!) as Parameters<Acd['defineQueue']>[0];
    await acd.defineQueue({ ...original, ...change });
    try {
      await body();
    } finally {
      await acd.defineQueue(original);
    }
  }

  it('the agent holds with a sendonly re-INVITE: the caller gets music from rtpengine, the hold is timed, and resume bridges them again', async () => {
    await setState('olga', 'not_ready');
    await setState('tatiana', 'not_ready');
    await setState('anna', 'ready');
    // The agent is silent and does not echo: whatever reaches the caller while held is rtpengine's music.
    const agent = startPhone({ scenario: holdingAgentScenario({ talkMs: 3000, holdMs: 5000, afterMs: 3000 }), port: phones.anna!, mediaPort: await freeMediaPort() });
    const counters = sample(() => rtpengine.packetsByTag(), 200);
    // The caller echoes every packet it gets: rtpengine's counter of the caller's leg rises exactly while something plays to it.
    const caller = await runSipp({
      scenario: sessionCallerScenario({ from: MARKET_CLIENT, steps: [{ pauseMs: 2500 }, { key: '1' }, { reinvite: 'recvonly' }, { reinvite: 'sendrecv' }, { awaitBye: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60, extraArgs: ['-rtp_echo'],
    });
    await counters.stop();
    expect(sippErrors(caller.errors)).toBe('');
    expect(caller.successful).toBe(1);
    expect(await agent.done).toBe(0);

    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ outcome: 'answered', hangup_side: 'agent', agent_id: await staffId('anna') });
    const events = await eventsOf(call.id);
    const at = (type: string): number => events.find((e) => e.type === type)!.at.getTime();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['agent_answered', 'hold', 'resume']));
    expect(at('hold')).toBeLessThan(at('resume'));
    // Held 5 s by the phone's clock, plus the resume's round trip.
    expect(Math.abs(call.hold_ms - 5000)).toBeLessThanOrEqual(1500);
    expect(Math.abs(call.hold_ms - (at('resume') - at('hold')))).toBeLessThan(50);

    const callerPacketsAt = (time: number): number => {
      const before = counters.samples.filter((s) => s.at <= time && s.value !== null);
      const last = before[before.length - 1]?.value ?? {};
      return Object.entries(last).filter(([tag]) => tag.includes('SIPpTag00')).reduce((n, [, packets]) => n + packets, 0);
    };
    const rise = (from: number, to: number): number => callerPacketsAt(to) - callerPacketsAt(from);
    const answeredAt = at('agent_answered');
    const figures = {
      talking: rise(answeredAt + 800, at('hold') - 200),
      held: rise(at('hold') + 500, at('resume') - 200),
      resumed: rise(at('resume') + 800, call.ended_at.getTime() - 300),
    };
    // ~50 packets a second of music while held; nothing before or after (the agent is silent).
    expect(figures).toEqual({ talking: expect.any(Number), held: expect.any(Number), resumed: expect.any(Number) });
    expect(figures.held).toBeGreaterThan(150);
    expect(figures.talking).toBeLessThan(15);
    expect(figures.resumed).toBeLessThan(15);
    expect(await rtpengine.calls()).toEqual([]);
  }, 120000);

  it('a caller waiting past a 3 s max wait overflows to the finance queue, and the finance agent takes the call', async () => {
    await setState('anna', 'not_ready');
    await setState('olga', 'not_ready');
    await setState('tatiana', 'ready');
    await withQueue('operators', { maxWaitMs: 3000, overflow: { type: 'queue', queueId: 'finance' } }, async () => {
      const tatiana = startSippPhone({ scenario: 'uas', port: phones.tatiana!, mediaPort: await freeMediaPort() });
      const caller = await runSipp({
        scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 9000 }, { audio: true }, { pauseMs: 3000 }, { hangUp: true }] }),
        target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
      });
      expect(sippErrors(caller.errors)).toBe('');
      expect(caller.successful).toBe(1);
      expect(await tatiana.done).toBe(0);
    });
    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ outcome: 'answered', hangup_side: 'caller', queue_name: 'finance', agent_id: await staffId('tatiana') });
    const events = await eventsOf(call.id);
    const types = events.map((e) => e.type);
    const overflow = events.find((e) => e.type === 'overflowed');
    expect(overflow?.data).toMatchObject({ queue: 'operators', target: 'queue finance', reason: 'max wait reached in queue operators' });
    expect(types.indexOf('overflowed')).toBeLessThan(types.indexOf('agent_answered'));
    // Waited about the max wait in the first queue before moving on.
    const queuedAt = events.find((e) => e.type === 'queued')!.at.getTime();
    expect(overflow!.at.getTime() - queuedAt).toBeGreaterThanOrEqual(2900);
    expect(overflow!.at.getTime() - queuedAt).toBeLessThan(5000);
    await setState('tatiana', 'not_ready');
  }, 90000);

  it('a caller waiting past a 3 s max wait whose queue overflows to a callback is told, let go politely and recorded as callback requested', async () => {
    await setState('anna', 'not_ready');
    await setState('olga', 'not_ready');
    await setState('tatiana', 'not_ready');
    await withQueue('operators', { maxWaitMs: 3000, overflow: { type: 'callback' } }, async () => {
      const caller = await runSipp({
        scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { awaitBye: true, timeoutMs: 30000 }] }),
        target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
      });
      expect(sippErrors(caller.errors)).toBe('');
      expect(caller.successful).toBe(1);
    });
    const call = await eventually(latestCall, (c) => c?.ended_at != null);
    expect(call).toMatchObject({ outcome: 'callback_requested', hangup_side: 'system', queue_name: 'operators', agent_id: null });
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['queued', 'overflowed', 'callback_requested', 'ended']));
    // The ACD keeps the caller's place as a callback request; the caller's leg is gone from rtpengine.
    const entry = await acd.getCall(call.id);
    expect(entry).toMatchObject({ kind: 'callback', callbackNumber: MARKET_CLIENT });
    expect(await rtpengine.calls()).toEqual([]);
    // Leave no callback behind for the tests after this one.
    await acd.abandon(call.id).catch(() => undefined);
  }, 90000);

  it('a caller who CANCELs while the directory lookup is still running: nothing is answered, nothing is left in rtpengine, the call is recorded as abandoned', async () => {
    // Holding the phone-number table makes the lookup wait; the CANCEL arrives meanwhile.
    const blocker = await h.db.connect();
    let result: Awaited<ReturnType<typeof runSipp>>;
    let call: any;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE client_phones IN ACCESS EXCLUSIVE MODE');
      result = await runSipp({
        scenario: cancellingCallerScenario({ from: '+74951009876', cancelAfterMs: 1500 }),
        target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 20,
      });
      // Released at the CANCEL: the row is written while the lookup is still stuck behind the lock.
      call = await eventually(latestCall, (c) => c?.ended_at != null, 8000);
    } finally {
      await blocker.query('COMMIT').catch(() => undefined);
      blocker.release();
    }
    // CANCEL answered 200, the INVITE 487 (RFC 3261 §9.2), never a 200.
    expect(sippErrors(result.errors)).toBe('');
    expect(result.successful).toBe(1);
    expect(call).toMatchObject({ outcome: 'abandoned_ringing', hangup_side: 'caller', hangup_cause: 'CANCEL', answered_at: null, caller_number: '+74951009876' });
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types).not.toContain('answered');
    expect(types).not.toContain('ivr_started');
    expect(call.ended_at.getTime() - call.started_at.getTime()).toBeLessThan(3000);
    expect(await rtpengine.calls()).toEqual([]);
  }, 60000);
});
