import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { callerScenario, freeMediaPort, runSipp } from '../helpers/sipp';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';
import { channelRms } from '../helpers/wav-level';
import { sippErrors } from './call-session-kit';

const MARKET_CLIENT = '+74951000001';

describeWithDrachtio('voicemail (issue 17): a caller leaves a message from the queue; it plays back non-silent through the API (real drachtio, rtpengine, sipp, Redis, Postgres)', () => {
  let h: SystemHarness;
  let anna: string;
  let svetlana: string;

  beforeAll(async () => {
    h = await startSystemHarness();
    // Nobody serves the operators' queue: the caller waits, and presses the message key (2, the default).
    for (const login of ['anna', 'ion', 'olga']) {
      const token = await h.login(login, 'demo-pass-1');
      const id = (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
      await h.api('POST', `/api/agents/${id}/state`, token, { state: 'not_ready', reason: 'break' });
      if (login === 'anna') anna = token;
    }
    svetlana = await h.login('svetlana', 'demo-pass-1');
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => h.expectNothingLeft(), 30_000);

  it('menu 1 → operators, 2 while waiting → greeting and tone, speech recorded until #; the queue’s members list and play it, louder than silence; another queue’s operator cannot', async () => {
    const startedAt = new Date();
    const caller = await runSipp({
      scenario: callerScenario({
        from: MARKET_CLIENT, to: 'hotline',
        // 1 in the main menu; 2 once in the queue; speech after the greeting (≤ 5 s) and the tone; # to finish.
        steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 4000 }, { key: '2' }, { pauseMs: 6500 }, { audio: true }, { pauseMs: 4000 }, { key: '#' }, { awaitBye: true, timeoutMs: 20_000 }],
      }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    expect(sippErrors(caller.errors)).toBe('');
    expect(caller.successful).toBe(1);

    const call = await eventually(async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [startedAt])).rows[0], (c) => c?.ended_at != null && c?.recording_id != null);
    expect(call).toMatchObject({ queue_name: 'operators', hangup_side: 'system', agent_id: null });
    const list = await eventually(async () => (await h.api('GET', '/api/voicemails', anna)).body, (b) => b.items?.some((m: { callId: string; playable: boolean }) => m.callId === call.id && m.playable));
    const message = list.items.find((m: { callId: string }) => m.callId === call.id);
    expect(message).toMatchObject({ owner: { kind: 'queue', queue: 'operators' }, callerNumber: MARKET_CLIENT, endedBy: 'hash', recordingId: call.recording_id });
    expect(message.durationMs).toBeGreaterThan(2000);

    const audio = await h.fetch(`${h.baseUrl}/api/voicemails/${message.id}/audio`, { headers: { Authorization: `Bearer ${anna}` } });
    expect(audio.status).toBe(200);
    const wav = Buffer.from(await audio.arrayBuffer());
    // The caller's channel carries the speech sipp played; far above the noise floor of silence.
    expect(channelRms(wav, 0)).toBeGreaterThan(50);

    expect((await h.api('GET', `/api/voicemails/${message.id}/audio`, svetlana)).status).toBe(403);
    expect((await h.api('GET', '/api/voicemails', svetlana)).body.items.map((m: { id: string }) => m.id)).not.toContain(message.id);
  }, 120_000);

  it('a caller who hangs up while waiting is on the operators’ abandoned list for its members, and off it once a call-back that reached them is recorded', async () => {
    const startedAt = new Date();
    const number = '+74951000004';
    const caller = await runSipp({
      scenario: callerScenario({ from: number, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 5000 }, { hangUp: true }] }),
      target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
    });
    expect(sippErrors(caller.errors)).toBe('');
    const call = await eventually(async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1 ORDER BY started_at DESC LIMIT 1', [startedAt])).rows[0], (c) => c?.ended_at != null);
    expect(call).toMatchObject({ outcome: 'abandoned_queue', queue_name: 'operators', caller_e164: number });

    const listed = (await h.api('GET', '/api/abandoned-calls', anna)).body as Array<{ callId: string; callerNumber: string }>;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ callId: call.id, callerNumber: number })]));
    expect((await h.api('GET', '/api/abandoned-calls', svetlana)).body).toEqual([]);
    expect((await h.api('POST', `/api/abandoned-calls/${call.id}/callbacks`, anna, { result: 'reached' })).status).toBe(200);
    expect(((await h.api('GET', '/api/abandoned-calls', anna)).body as Array<{ callId: string }>).map((e) => e.callId)).not.toContain(call.id);
  }, 90_000);
});
