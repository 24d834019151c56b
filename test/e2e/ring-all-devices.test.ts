import { freeTcpPort } from '../../src/platform/managed-process';
import { describeWithDrachtio } from '../helpers/drachtio';
import { eventually } from '../helpers/eventually';
import { agentScenario, callerScenario, freeMediaPort, registerPhone, runSipp, sippListening, startSippPhone } from '../helpers/sipp';
import { answerInvite, awaitBye, pause, receiveRequest, respond, scenario } from '../helpers/sipp-scenario';
import { startSystemHarness, type SystemHarness } from '../helpers/system-harness';

const MARKET_CLIENT = '+74951000001';

/**
 * A desk phone that rings for a moment (180, then `ringMs`) before its user
 * picks up, and then waits for the BYE that ends its leg: the other phone of
 * the same agent is ringing all that while.
 */
function answeringAfterRingScenario(ringMs: number): string {
  return scenario(`${receiveRequest('INVITE')}
${respond('180 Ringing', { contact: true })}
${pause(ringMs)}
${answerInvite()}
${awaitBye(60000)}`);
}

describeWithDrachtio('issue 17: every registered desk phone of an operator rings at once (real drachtio-server, rtpengine, sipp)', () => {
  let h: SystemHarness;

  beforeAll(async () => {
    h = await startSystemHarness();
  }, 120000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => h.expectNothingLeft(), 30_000);

  it('Anna has two desk phones: both ring, the one she picks up takes the call, the other gets CANCEL; one answered call, one offer, one recording', async () => {
    const testStartedAt = new Date();
    const anna = await h.login('anna', 'demo-pass-1');
    const olga = await h.login('olga', 'demo-pass-1');
    const staffId = async (login: string): Promise<number> =>
      (await h.db.query<{ staff_id: number }>('SELECT staff_id FROM users WHERE username = $1', [login])).rows[0]!.staff_id;
    const annaId = await staffId('anna');

    // Registration is pinned to the REGISTER's source port: each phone registers from the port its sipp then listens on.
    const phoneAPort = await freeTcpPort();
    const phoneBPort = await freeTcpPort();
    expect(await registerPhone({ target: h.sipTarget, port: phoneAPort, user: 'anna', password: 'demo-pass-1' })).toBe(0);
    expect(await registerPhone({ target: h.sipTarget, port: phoneBPort, user: 'anna', password: 'demo-pass-1' })).toBe(0);

    // Only Anna can take the call.
    await h.api('POST', `/api/agents/${await staffId('olga')}/state`, olga, { state: 'not_ready', reason: 'break' });
    await h.api('POST', `/api/agents/${annaId}/state`, anna, { state: 'ready' });
    expect((await h.api('GET', `/api/agents/${annaId}`, anna)).body.state).toBe('ready');

    // A only rings and must be CANCELled (INVITE, 180, CANCEL, 200, 487, ACK); B rings 1.5 s, then answers.
    const phoneA = startSippPhone({ scenario: agentScenario('ring'), port: phoneAPort, mediaPort: await freeMediaPort(), timeoutSeconds: 60 });
    const phoneB = startSippPhone({ scenario: answeringAfterRingScenario(1500), port: phoneBPort, mediaPort: await freeMediaPort(), timeoutSeconds: 60 });
    await sippListening('127.0.0.1', phoneAPort);
    await sippListening('127.0.0.1', phoneBPort);
    try {
      const caller = await runSipp({
        scenario: callerScenario({ from: MARKET_CLIENT, to: 'hotline', steps: [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 8000 }, { audio: true }, { pauseMs: 4000 }, { hangUp: true }] }),
        target: h.sipTarget, localPort: await freeTcpPort(), mediaPort: await freeMediaPort(), timeoutSeconds: 60,
      });
      expect(caller.errors).toBe('');
      expect(caller.successful).toBe(1);
      // A's scenario completes only if it was rung and then got CANCEL (a 200 or a BYE would fail it).
      expect(await phoneA.done).toBe(0);
      // B was rung, answered and got the BYE when the caller hung up.
      expect(await phoneB.done).toBe(0);
    } finally {
      phoneA.stop();
      phoneB.stop();
    }

    const call = await eventually(
      async () => (await h.db.query('SELECT * FROM calls WHERE started_at >= $1', [testStartedAt])).rows,
      (rows) => rows.length === 1 && rows[0].ended_at != null && rows[0].recording_id != null,
    );
    expect(call).toHaveLength(1);
    expect(call[0]).toMatchObject({ outcome: 'answered', hangup_side: 'caller', queue_name: 'operators', agent_id: annaId, caller_e164: MARKET_CLIENT });

    // Both phones rang under one offer (not one after the other): one 'offered', nothing missed, then Anna answered.
    const events = (await h.db.query<{ type: string; data: { agentId?: number } }>('SELECT type, data FROM call_events WHERE call_id = $1 ORDER BY seq', [call[0].id])).rows;
    expect(events.filter((e) => e.type === 'offered').map((e) => e.data.agentId)).toEqual([annaId]);
    expect(events.filter((e) => e.type === 'offer_missed')).toEqual([]);
    expect(events.filter((e) => e.type === 'agent_answered').map((e) => e.data.agentId)).toEqual([annaId]);

    const recordings = (await h.db.query('SELECT id FROM recordings WHERE call_id = $1', [call[0].id])).rows;
    expect(recordings.map((r) => r.id)).toEqual([call[0].recording_id]);

    await h.api('POST', `/api/agents/${annaId}/wrap-up/end`, anna);
  }, 120000);
});
